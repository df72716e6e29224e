/**
 * Syddansk besvarelse på en central udmelding (other-procedures.md §2).
 *
 * Social- og Boligstyrelsen (also called Socialstyrelsen; one actor) announces a target group to "landets
 * kommunalbestyrelser"; the reply is made "i regi af rammeaftalen", so it goes through KKR. The secretariat
 * collects data from named parties (e.g. the communication centres), writes a draft, which SDF, K22 and KKR
 * consider, and submits the report by the board's deadline — in 2023 "med forbehold for politisk godkendelse i
 * de enkelte kommuner", so each municipal council ratifies it afterwards (§2.3 steps 1-9).
 */
import { allHandlersFinished, condition, defineUpdate, setHandler } from '@temporalio/workflow';
import { z } from 'zod';
import type { DeadlinePoint, DeadlineSpecInput } from '../../contracts/deadlines';
import type { ReminderLadderInput } from '../../domain/calendar/reminders';
import { formatDanishDate } from '../../domain/calendar/format';
import { isPlainDate, type PlainDate } from '../../domain/calendar/plainDate';
import { CaseRecord } from '../blocks/caseRecord';
import { DeadlineBook } from '../blocks/deadlines';
import { Collections, type CollectionView } from '../blocks/responses';
import { Approvals, BODY_NAMES, OUTCOME_LABELS, type Body, type DecisionOutcome } from '../blocks/approvals';
import { runUntilWithdrawn } from '../blocks/withdrawal';
import { acts } from '../blocks/proxies';
import { copenhagenToday } from '../blocks/time';
import { collectionAnswer, ratificationAnswer, type CentralAnnouncementInput, type CentralAnnouncementDetails, type CollectionAnswer, type DraftVersion, type PartyRef, type ReportAnswer, type ReportDecision, type ReportSubmission } from './contract';
export * from './contract';

// ---- The secretariat's steps ----
export interface RecordDraftInput {
  text: string;
  actor: string;
}
export const recordDraftUpdate = defineUpdate<{ version: number }, [RecordDraftInput]>('recordDraft');

export interface SubmitReportInput {
  actor: string;
}
export const submitReportUpdate = defineUpdate<ReportSubmission, [SubmitReportInput]>('submitReport');

const CHAIN: Body[] = ['SDF', 'K22', 'KKR'];

/** The secretariat is reminded of the board's date and told at once when it passes; the expiry itself is the
 * escalation, because a date the board fixed for all five secretariats has no grace day. */
const SUBMISSION_LADDER: ReminderLadderInput = { workingDaysBefore: [10, 3], onTheDay: true, escalateWorkingDaysAfter: null };

const STAGE = {
  collecting: 'Dataindsamling',
  drafting: 'Udarbejdelse af udkast til afrapportering',
  ready: 'Klar til indsendelse',
  readyLate: 'Klar til indsendelse – fristen er overskredet',
  ratifying: 'Indsendt med forbehold – afventer politisk godkendelse i kommunalbestyrelserne',
} as const;

const fmt = (d: string) => formatDanishDate(d as PlainDate);

/**
 * Waits until the Update that woke the procedure has completed. An Update handler here ends by publishing
 * (a local activity); if the procedure also published and then scheduled an activity while the handler was
 * still running, a replay that resolves both local activities in one activation can schedule the activity
 * before the Update completes — a nondeterminism error, seen on a replayed KKR-rejection case. Going on only
 * after the handler has finished gives one order, live and on replay.
 */
const handlersSettled = () => condition(allHandlersFinished);

export async function centralAnnouncement(input: CentralAnnouncementInput): Promise<{ status: string; submitted: boolean; late: boolean }> {
  const a = input.announcement;
  const details: CentralAnnouncementDetails = {
    announcement: a,
    withReservation: input.reservation !== undefined,
    boardEmail: input.boardEmail,
    drafts: [],
    decisions: [],
  };
  const c = new CaseRecord({
    procedure: 'centralAnnouncement',
    title: `Central udmelding: ${a.title}`,
    stage: 'Oprettet',
    details: details as unknown as Record<string, unknown>,
  });
  const deadlines = new DeadlineBook(c);
  const collections = new Collections(c, deadlines);
  const approvals = new Approvals(c);

  let awaitingDraft = false;
  let readyToSubmit = false;
  let submitting = false;
  let submitted = false;
  let notSubmitted = false;
  let submissionMissed = false;

  const submissionDue = () => deadlines.get('submission').plan.deadline;

  c.offers('recordDraft', () => awaitingDraft);
  c.offers('submitReport', () => readyToSubmit && !submitting && !submitted && !notSubmitted);
  setHandler(
    recordDraftUpdate,
    async (d) => {
      awaitingDraft = false;
      const version = details.drafts.length + 1;
      const text = d.text.trim();
      details.drafts.push({ version, text, at: new Date().toISOString(), by: d.actor });
      await c.publish(
        {},
        {
          description: `Udkast til afrapportering, version ${version}, er registreret${version > 1 ? ' (ændret efter tilbagesendelse)' : ''}`,
          actor: d.actor,
          documents: [{ name: `Udkast til afrapportering – ${a.title}, version ${version}.txt`, mediaType: 'text/plain; charset=utf-8', content: text }],
        },
      );
      return { version };
    },
    {
      validator: (d) => {
        if (!awaitingDraft) {
          if (submitting || submitted) throw new Error('Afrapporteringen er allerede indsendt; udkastet kan ikke ændres');
          if (notSubmitted) throw new Error('Sagen er afsluttet uden indsendelse');
          if (readyToSubmit) throw new Error('KKR Syddanmark har godkendt afrapporteringen; udkastet kan ikke ændres nu');
          if (details.drafts.length === 0) throw new Error('Dataindsamlingen er ikke afsluttet; udkastet kan registreres, når alle har svaret eller fristen er passeret');
          throw new Error('Udkastet er til behandling; et nyt udkast kan først registreres, hvis det sendes tilbage til ændring');
        }
        if (typeof d?.text !== 'string' || d.text.trim().length < 20) throw new Error('Udkastets tekst skal være mindst 20 tegn');
        if (d.text.length > 200_000) throw new Error('Udkastets tekst må højst være 200.000 tegn');
        if (!d.actor) throw new Error('Mangler aktør');
      },
    },
  );

  setHandler(
    submitReportUpdate,
    async (s) => {
      submitting = true;
      const now = Date.now();
      const due = submissionDue();
      const late = now > Date.parse(due.dueAt);
      const date = copenhagenToday(now);
      const col = c.state.collections.collection!;
      const doc = await acts.renderCentralAnnouncementReport({
        caseId: c.state.caseId,
        details,
        answers: reportAnswers(col),
        date,
      });
      await acts.sendDocument({
        caseId: c.state.caseId,
        step: 'submission',
        recipient: input.boardEmail,
        subject: `Syddansk afrapportering på den centrale udmelding: ${a.title}`,
        body:
          `Hermed fremsendes KKR Syddanmarks afrapportering på den centrale udmelding om ${a.title}, udmeldt ${fmt(a.announcementDate)}. Afrapporteringen er vedhæftet.` +
          (input.reservation ? ' Afrapporteringen fremsendes med forbehold for politisk godkendelse i de enkelte kommunalbestyrelser.' : '') +
          (late ? ` Afrapporteringen fremsendes efter fristen ${fmt(due.dueDate)}.` : '') +
          ` KKR Syddanmarks sagsnummer: ${c.state.caseId}.`,
        document: doc,
      });
      const submission: ReportSubmission = {
        at: new Date(now).toISOString(),
        date,
        by: s.actor,
        late,
        withReservation: input.reservation !== undefined,
        recipient: input.boardEmail,
        documentName: doc.name,
      };
      details.submission = submission;
      details.outcome = 'submitted';
      submitted = true;
      await c.publish(
        {},
        {
          description:
            `Afrapporteringen er indsendt til ${a.issuedBy} (${input.boardEmail})` +
            (input.reservation ? ' med forbehold for politisk godkendelse i de enkelte kommunalbestyrelser' : '') +
            (late ? `. Indsendt EFTER FRISTEN (${describeDue(due)})` : ''),
          actor: s.actor,
          documents: [doc],
        },
      );
      return submission;
    },
    {
      validator: (s) => {
        if (notSubmitted) throw new Error('KKR Syddanmark har afvist afrapporteringen; den indsendes ikke');
        if (submitting || submitted) throw new Error(`Afrapporteringen er allerede indsendt til ${a.issuedBy}`);
        if (!readyToSubmit) throw new Error('Afrapporteringen kan først indsendes, når KKR Syddanmark har godkendt den');
        if (!s?.actor) throw new Error('Mangler aktør');
      },
    },
  );

  const onSubmissionPoint = async (p: DeadlinePoint): Promise<void> => {
    const due = submissionDue();
    if (p.kind === 'reminder' || p.kind === 'due') {
      await acts.notifySecretariat({
        caseId: c.state.caseId,
        step: `submission:${p.kind}:${p.date}`,
        subject: `Påmindelse: afrapporteringen om ${a.title} skal indsendes senest ${fmt(due.dueDate)}`,
        heading: `Afrapporteringen er endnu ikke indsendt til ${a.issuedBy}`,
        paragraphs: [`Sagen står i fasen "${c.state.stage}".`, `Frist: ${describeDue(due)}.`],
      });
    } else if (p.kind === 'expired') {
      submissionMissed = true;
      const w = `Fristen for indsendelse til ${a.issuedBy} (${fmt(due.dueDate)}) er overskredet; afrapporteringen er ikke indsendt`;
      if (!c.state.warnings.includes(w)) c.state.warnings.push(w);
      await acts.notifySecretariat({
        caseId: c.state.caseId,
        step: `submission:expired:${p.date}`,
        subject: `Eskalering: afrapporteringen om ${a.title} er ikke indsendt (${c.state.caseId})`,
        heading: `Fristen for indsendelse til ${a.issuedBy} er overskredet`,
        paragraphs: [
          `Afrapporteringen skulle være indsendt senest ${fmt(due.dueDate)}. Sagen står i fasen "${c.state.stage}".`,
          `Sagen forbliver åben, så afrapporteringen kan indsendes for sent; ${a.issuedBy} bør orienteres om forsinkelsen.`,
        ],
      });
      await deadlines.close('submission', 'expired');
      await c.publish(readyToSubmit ? { stage: STAGE.readyLate } : {}, { description: `ADVARSEL: ${w}. Sekretariatet er underrettet; afrapporteringen kan fortsat indsendes for sent`, actor: 'system' });
    }
  };

  const outcome = await runUntilWithdrawn(c, async () => {
    await c.publish(
      { parties: input.collectionParties.map((p) => ({ ...p, state: 'afventer' })) },
      {
        description:
          `Sag oprettet: ${a.issuedBy} udmeldte ${fmt(a.announcementDate)} en central udmelding om ${a.title}. Målgruppe: ${a.targetGroup}` +
          (input.reservation ? '. Afrapporteringen indsendes med forbehold for politisk godkendelse i de enkelte kommunalbestyrelser' : ''),
        actor: input.startedBy,
      },
    );
    await deadlines.add('collection', 'Dataindsamling', input.deadlines.collection, input.ladder);
    await deadlines.add('submission', `Indsendelse til ${a.issuedBy}`, input.deadlines.submission, SUBMISSION_LADDER);
    await c.publish({}, { description: `Frist for indsendelse: ${describeDue(submissionDue())}`, actor: 'system' });

    // The board's date runs beside the whole procedure: it reminds, and when it passes unmet the case is
    // flagged and stays open, because a late report is still better than none.
    const submissionWatch = deadlines.follow('submission', {
      isDone: () => submitting || submitted || notSubmitted,
      onPoint: async (p) => onSubmissionPoint(p),
    });

    const procedure = async () => {
      await c.publish({ stage: STAGE.collecting }, { description: `Dataindsamling hos ${input.collectionParties.map((p) => p.name).join(', ')}`, actor: 'system' });
      const col = await collections.run({
        key: 'collection',
        label: 'Dataindsamling',
        parties: input.collectionParties,
        answer: collectionAnswer,
        describeAnswer: (x) => `${clip(x.text, 500)}${x.attachmentNames?.length ? ` (bilag: ${x.attachmentNames.join(', ')})` : ''}`,
        deadlineKey: 'collection',
        notice: {
          procedure: 'centralAnnouncement',
          subject: (k) => (k === 'invitation' ? `Central udmelding om ${a.title}: bidrag til den syddanske afrapportering` : `Påmindelse: bidrag til afrapportering om ${a.title}`),
          heading: `Bidrag til KKR Syddanmarks afrapportering på den centrale udmelding om ${a.title}`,
          paragraphs: [
            `${a.issuedBy} udmeldte ${fmt(a.announcementDate)} en central udmelding om ${a.title} til landets kommunalbestyrelser. Afrapporteringen sker i regi af rammeaftalen og behandles derfor i KKR Syddanmark.`,
            `Målgruppe: ${a.targetGroup}`,
            input.request,
            `Jeres svar indgår i udkastet til afrapportering, som behandles i Socialdirektørforum, K22 og KKR Syddanmark og sendes til ${a.issuedBy} senest ${fmt(submissionDue().dueDate)}.`,
          ],
          facts: [
            { label: 'Udmeldt af', value: a.issuedBy },
            { label: 'Udmeldt', value: fmt(a.announcementDate) },
          ],
        },
      });

      await handlersSettled();
      // Collections stops taking answers after its last notice; a late answer is still worth having in the
      // report, so the round stays open (answers are flagged late) until the secretariat records the draft.
      const stillMissing = col.parties.filter((p) => p.state === 'pending');
      if (stillMissing.length) col.status = 'open';
      awaitingDraft = true;
      await c.publish(
        { stage: STAGE.drafting },
        {
          description:
            'Dataindsamlingen er afsluttet; sekretariatet udarbejder udkast til afrapportering' +
            (stillMissing.length ? `. Mangler svar fra ${stillMissing.map((p) => p.name).join(', ')}; sene svar modtages, indtil udkastet er registreret` : ''),
          actor: 'system',
        },
      );
      await condition(() => details.drafts.length > 0);
      await handlersSettled();
      if (col.status === 'open') {
        col.status = 'finished';
        const missing = col.parties.filter((p) => p.state === 'pending');
        if (missing.length) await c.publish({}, { description: `Dataindsamlingen er lukket uden svar fra ${missing.map((p) => p.name).join(', ')}`, actor: 'system' });
      }

      // SDF and K22 recommend, KKR decides (agenda: "KKR … godkender udkastet"). An amendment sends the
      // report back to the draft and then to the body that asked for it; bodies that already approved keep
      // their approval. A recommending body that rejects cannot stop the report: KKR still decides.
      let bodies = CHAIN;
      let needDraft = false;
      let approved = false;
      for (;;) {
        if (needDraft) {
          const seen = details.drafts.length;
          awaitingDraft = true;
          await c.publish({ stage: STAGE.drafting }, { description: 'Udkastet er sendt tilbage til ændring; sekretariatet udarbejder et nyt udkast', actor: 'system' });
          await condition(() => details.drafts.length > seen);
          await handlersSettled();
          needDraft = false;
        }
        const result = await approvals.run('report', 'Afrapportering', bodies, { deadlineDueDate: submissionDue().dueDate, stagePrefix: 'Afrapportering' });
        await handlersSettled();
        const view = c.state.approvals.report!;
        for (const s of view.steps) {
          if (s.status === 'approved' || s.status === 'amend' || s.status === 'rejected') {
            details.decisions.push({
              round: view.round,
              body: s.body,
              bodyName: BODY_NAMES[s.body],
              outcome: s.status,
              outcomeLabel: OUTCOME_LABELS[s.status],
              meetingDate: s.meetingDate!,
              note: s.note,
              decidedBy: s.decidedBy,
            });
          }
        }
        if (result === 'approved') {
          approved = true;
          break;
        }
        const decidedBy = view.steps.find((s) => s.status === result)!.body;
        if (result === 'amend') {
          bodies = CHAIN.slice(CHAIN.indexOf(decidedBy));
          needDraft = true;
          continue;
        }
        if (decidedBy === 'KKR') break;
        bodies = CHAIN.slice(CHAIN.indexOf(decidedBy) + 1);
        await c.publish(
          {},
          { description: `${BODY_NAMES[decidedBy]} anbefaler ikke udkastet; afrapporteringen går videre til ${BODY_NAMES[bodies[0]!]}, som træffer beslutning uden denne anbefaling`, actor: 'system' },
        );
      }

      if (!approved) {
        notSubmitted = true;
        details.outcome = 'notSubmitted';
        await deadlines.close('submission', 'cancelled');
        await acts.notifySecretariat({
          caseId: c.state.caseId,
          step: 'rejected',
          subject: `KKR Syddanmark har afvist afrapporteringen om ${a.title} (${c.state.caseId})`,
          heading: 'Der indsendes ingen syddansk afrapportering',
          paragraphs: [`${a.issuedBy} venter afrapporteringer fra alle fem rammeaftalesekretariater senest ${fmt(submissionDue().dueDate)} og bør orienteres om, at Syddanmark ikke indsender en afrapportering.`],
        });
        await c.publish(
          { stage: 'Afsluttet uden indsendelse: afvist af KKR Syddanmark', status: 'completed' },
          { description: `KKR Syddanmark har afvist afrapporteringen. Der indsendes ingen syddansk afrapportering til ${a.issuedBy}; sekretariatet er bedt om at orientere styrelsen`, actor: 'system' },
        );
        return;
      }

      readyToSubmit = true;
      await c.publish(
        { stage: submissionMissed ? STAGE.readyLate : STAGE.ready },
        { description: `KKR Syddanmark har godkendt afrapporteringen; den kan indsendes til ${a.issuedBy} (${input.boardEmail})`, actor: 'system' },
      );
      await condition(() => submitted);
      await handlersSettled();
      await deadlines.close('submission', details.submission!.late ? 'expired' : 'met');

      const lateNote = details.submission!.late ? ' (efter fristen)' : '';
      if (!input.reservation) {
        await c.publish({ stage: `Indsendt${lateNote}`, status: 'completed' }, { description: `Sagen er afsluttet: afrapporteringen er indsendt${lateNote}`, actor: 'system' });
        return;
      }
      await deadlines.add('ratification', 'Politisk godkendelse i kommunalbestyrelserne', input.reservation.ratificationDeadline, input.ladder);
      await c.publish({ stage: STAGE.ratifying }, { description: 'Kommunalbestyrelserne bedes godkende afrapporteringen, så forbeholdet kan løftes', actor: 'system' });
      const r = await collections.run({
        key: 'ratification',
        label: 'Politisk godkendelse af afrapporteringen',
        parties: input.reservation.councils,
        answer: ratificationAnswer,
        check: (x) => (x.councilMeetingDate > copenhagenToday() ? 'Kommunalbestyrelsens mødedato kan ikke ligge i fremtiden' : undefined),
        describeAnswer: (x) => `${x.ratified ? 'godkendt' : 'ikke godkendt'} af kommunalbestyrelsen på mødet ${x.councilMeetingDate}${x.note ? ` (${x.note})` : ''}`,
        deadlineKey: 'ratification',
        notice: {
          procedure: 'centralAnnouncement',
          subject: (k) => (k === 'invitation' ? `Politisk godkendelse: afrapportering om ${a.title}` : `Påmindelse: politisk godkendelse af afrapportering om ${a.title}`),
          heading: `Afrapporteringen om ${a.title} er indsendt med forbehold for politisk godkendelse`,
          paragraphs: [
            `KKR Syddanmark har godkendt afrapporteringen, og den er sendt til ${a.issuedBy} ${fmt(details.submission!.date)} med forbehold for politisk godkendelse i de enkelte kommunalbestyrelser.`,
            'Meld venligst tilbage, når kommunalbestyrelsen har behandlet afrapporteringen, med dato for mødet.',
          ],
        },
      });
      await handlersSettled();
      const refused = r.parties.filter((p) => p.state === 'answered' && !(p.answer as { ratified: boolean }).ratified);
      const missing = r.parties.filter((p) => p.state === 'pending');
      if (refused.length || missing.length) {
        const w =
          `Forbeholdet er ikke løftet: ` +
          [refused.length ? `ikke godkendt af ${refused.map((p) => p.name).join(', ')}` : '', missing.length ? `intet svar fra ${missing.map((p) => p.name).join(', ')}` : '']
            .filter(Boolean)
            .join('; ') +
          `. ${a.issuedBy} bør orienteres`;
        c.state.warnings.push(w);
        await c.publish({ stage: `Indsendt${lateNote}; forbeholdet er ikke løftet for alle kommuner`, status: 'completed' }, { description: w, actor: 'system' });
      } else {
        await c.publish(
          { stage: `Indsendt${lateNote} og godkendt i alle kommunalbestyrelser`, status: 'completed' },
          { description: `Alle ${r.parties.length} kommunalbestyrelser har godkendt afrapporteringen; forbeholdet er løftet`, actor: 'system' },
        );
      }
    };
    // Promise.all so the watch's cancellation on withdrawal is handled with the procedure's.
    await Promise.all([procedure(), submissionWatch]);
  });

  return { status: outcome === 'withdrawn' ? 'withdrawn' : c.state.status, submitted: details.outcome === 'submitted', late: details.submission?.late ?? false };
}

function reportAnswers(col: CollectionView): ReportAnswer[] {
  return col.parties.map((p) => ({ name: p.name, answer: p.answer as CollectionAnswer | undefined, answeredAt: p.answeredAt, late: p.late }));
}

function describeDue(d: { dueDate: string; wording: string; reason?: string }): string {
  return `${fmt(d.dueDate)} ("${d.wording}")${d.reason ? `; ${d.reason}` : ''}`;
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}
