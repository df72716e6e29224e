/**
 * Answers from many parties (the response matrix): one case fans out to the region's municipalities (and
 * the Region); each party has its own answer, reminders and late flag. Reminders go only to parties that
 * have not answered, so a party that answers gets nothing more. Answers arrive as an Update whose validator
 * rejects, with a reason and without changing anything, an answer the collection does not take.
 */
import { defineUpdate, setHandler } from '@temporalio/workflow';
import type { z } from 'zod';
import { describeErrors, readStep, type StepDefinition, type StepInputSchema } from '../../contracts/kit/step';
import type { DeadlinePoint } from '../../contracts/deadlines';
import { acts } from './proxies';
import type { CaseRecord } from './caseRecord';
import { impossibleState } from './failures';
import type { DeadlineBook } from './deadlines';
import type { CollectionView, PartyAnswer } from '../../contracts/caseState';
export type { CollectionView, PartyAnswer };



export interface SubmitAnswerInput {
  collection: string;
  partyId: string;
  answer: unknown;
  /** Who answered, as the API authenticated them (a signed link names the party). */
  actor: string;
}

export const submitAnswerUpdate = defineUpdate<{ accepted: true; late: boolean }, [SubmitAnswerInput]>('submitAnswer');

export interface CollectionSpec<S extends StepInputSchema> {
  key: string;
  label: string;
  parties: { partyId: string; name: string }[];
  /** The answer's definition in the procedure's contract: its schema, labels and form. */
  answer: StepDefinition<string, S, unknown>;
  describeAnswer: (a: z.output<S>) => string;
  /** A Danish reason to refuse a well-formed answer that needs the case's time (a date in the future). */
  check?: (a: z.output<S>) => string | undefined;
  deadlineKey: string;
  /** What the notices say; the activity adds the signed answer link per party. */
  notice: {
    procedure: string;
    subject: (kind: DeadlinePoint['kind'] | 'invitation') => string;
    heading: string;
    paragraphs: string[];
    facts?: { label: string; value: string }[];
  };
}

interface Registered {
  spec: CollectionSpec<StepInputSchema>;
  view: CollectionView;
}

/** One per workflow: owns the single `submitAnswer` Update and dispatches to the named collection. */
export class Collections {
  private readonly registered = new Map<string, Registered>();

  constructor(private readonly c: CaseRecord<object>, private readonly deadlines: DeadlineBook) {
    setHandler(
      submitAnswerUpdate,
      async (input) => {
        const r = this.registered.get(input.collection)!;
        const p = r.view.parties.find((x) => x.partyId === input.partyId)!;
        const read = readStep(r.spec.answer, input.answer);
        if (!read.ok) throw impossibleState('Et svar, som validatoren tog imod, kunne ikke læses');
        const answer = read.value;
        const d = this.deadlines.get(r.spec.deadlineKey);
        p.state = 'answered';
        p.answer = answer;
        p.answerText = r.spec.describeAnswer(answer);
        p.answeredAt = new Date().toISOString();
        p.answeredBy = input.actor;
        p.late = Date.now() > Date.parse(d.plan.deadline.dueAt);
        await this.c.publish(
          { parties: this.partyStates() },
          { description: `${r.spec.label}: svar fra ${p.name}${p.late ? ' (efter fristen)' : ''}: ${p.answerText}`, actor: input.actor },
        );
        return { accepted: true, late: p.late };
      },
      {
        validator: (input) => {
          const r = this.registered.get(input?.collection);
          if (!r) throw new Error('Der indsamles ikke svar på dette i sagen');
          if (r.view.status !== 'open') throw new Error(`Der tages ikke imod svar på "${r.spec.label}" nu`);
          const p = r.view.parties.find((x) => x.partyId === input.partyId);
          if (!p) throw new Error('Parten er ikke spurgt i denne sag');
          if (p.state === 'answered') throw new Error(`${p.name} har allerede svaret`);
          if (!input.actor) throw new Error('Mangler aktør');
          const read = readStep(r.spec.answer, input.answer);
          if (!read.ok) throw new Error(`Ugyldigt svar: ${describeErrors(read.errors)}`);
          const reason = r.spec.check?.(read.value);
          if (reason) throw new Error(`Ugyldigt svar: ${reason}`);
        },
      },
    );
  }

  private partyStates() {
    // The case's party list shows the latest collection's view of each party.
    const latest = [...this.registered.values()].filter((r) => r.view.status !== 'closed').pop();
    return latest
      ? latest.view.parties.map((p) => ({ partyId: p.partyId, name: p.name, state: p.state === 'answered' ? `svaret${p.late ? ' (for sent)' : ''}` : p.late ? 'mangler svar (for sent)' : 'afventer svar' }))
      : this.c.state.parties;
  }

  view(key: string): CollectionView {
    const r = this.registered.get(key);
    if (!r) throw impossibleState(`Sagen har ingen svarindsamling med nøglen ${key}`);
    return r.view;
  }

  pending(key: string): PartyAnswer[] {
    return this.view(key).parties.filter((p) => p.state === 'pending');
  }

  /**
   * Opens the collection, e-mails every party the invitation with its own answer link, then follows the
   * deadline: reminders to those who have not answered, the late flag at expiry and an escalation to the
   * secretariat. Resolves when every party has answered, or after the last notice of the deadline.
   */
  async run<S extends StepInputSchema>(spec: CollectionSpec<S>): Promise<CollectionView> {
    const view: CollectionView = {
      key: spec.key,
      label: spec.label,
      status: 'open',
      deadlineKey: spec.deadlineKey,
      parties: spec.parties.map((p) => ({ ...p, state: 'pending', late: false, notices: [] })),
    };
    this.registered.set(spec.key, { spec: spec as unknown as CollectionSpec<StepInputSchema>, view });
    this.c.state.collections[spec.key] = view;
    const deadline = this.deadlines.get(spec.deadlineKey);
    await this.notify(spec, view.parties, 'invitation', '');
    await this.c.publish(
      { parties: this.partyStates() },
      { description: `${spec.label}: sendt til ${view.parties.length} parter med frist ${deadline.plan.deadline.dueDate}`, actor: 'system' },
    );
    const allAnswered = () => view.parties.every((p) => p.state === 'answered');
    await this.deadlines.follow(spec.deadlineKey, {
      isDone: allAnswered,
      onPoint: async (point) => {
        const pending = view.parties.filter((p) => p.state === 'pending');
        if (!pending.length) return;
        if (point.kind === 'reminder' || point.kind === 'due') {
          await this.notify(spec, pending, point.kind, `${point.kind}:${point.date}`);
          await this.c.publish({}, { description: `${spec.label}: påmindelse sendt til ${pending.map((p) => p.name).join(', ')}`, actor: 'system' });
        } else if (point.kind === 'expired') {
          for (const p of pending) p.late = true;
          await this.c.publish(
            { parties: this.partyStates() },
            { description: `${spec.label}: fristen er udløbet; mangler svar fra ${pending.map((p) => p.name).join(', ')}`, actor: 'system' },
          );
        } else {
          await acts.notifySecretariat({
            caseId: this.c.state.caseId,
            step: `${spec.key}:escalation:${point.date}`,
            subject: `Eskalering: ${spec.label} mangler svar (${this.c.state.caseId})`,
            heading: `${spec.label}: ${pending.length} parter har ikke svaret`,
            paragraphs: [`Fristen ${deadline.plan.deadline.dueDate} er overskredet. Mangler svar fra: ${pending.map((p) => p.name).join(', ')}.`],
          });
          await this.c.publish({}, { description: `${spec.label}: eskaleret til sekretariatet`, actor: 'system' });
        }
      },
    });
    view.status = 'finished';
    await this.deadlines.close(spec.deadlineKey, allAnswered() ? 'met' : 'expired');
    return view;
  }

  private async notify<S extends StepInputSchema>(spec: CollectionSpec<S>, parties: PartyAnswer[], kind: DeadlinePoint['kind'] | 'invitation', reminder: string) {
    const entry = this.deadlines.get(spec.deadlineKey);
    // The revision becomes the calendar entry's SEQUENCE, so an extended deadline updates the entry.
    const deadline = { ...entry.plan.deadline, revision: entry.revision };
    for (const p of parties) p.notices.push(kind === 'invitation' ? 'invitation' : reminder);
    // A party the directory does not know (or data it refuses) marks the case; the collection goes on.
    await this.c.attempt(`${spec.label}: e-mail til ${parties.map((p) => p.name).join(', ')} kunne ikke sendes`, () => acts.notifyParties({
      caseId: this.c.state.caseId,
      procedure: spec.notice.procedure,
      step: spec.key,
      reminder,
      partyIds: parties.map((p) => p.partyId),
      subject: spec.notice.subject(kind),
      content: {
        heading: spec.notice.heading,
        paragraphs: spec.notice.paragraphs,
        facts: [{ label: 'Sagsnummer', value: this.c.state.caseId }, ...(spec.notice.facts ?? [])],
      },
      deadline,
      answerLink: { collection: spec.key, expiresAt: new Date(Date.parse(deadline.dueAt) + 30 * 86_400_000).toISOString() },
    }));
  }
}
