/**
 * Ændring af kapacitet (Rammeaftale 2023-2024, Bilag 4, Tabel 4.1; rammeaftale.md §3).
 *
 * The driftsherre changes the places of a tilbud, opens a new one or closes one. The classification decides the
 * route: a minor change is free and only registered; an expansion or a new tilbud needs a statement from
 * Socialdirektørforum (for a new regional tilbud a binding approval, 002:1520); a reduction is an orientation of
 * Forretningsudvalget; a closure is handed over to the closure procedure. Every route but the free one is told to
 * all municipalities and the Region and to other user municipalities (002:1564-1565), and must be reported "senest
 * ifm. den politiske behandling … dog senest 3 måneder før, ændringerne konkret sker" (002:1529-1531). The
 * permanent change enters the capacity register on the effective date, after the political decision; a temporary
 * up- or down-staffing may run meanwhile (002:1526-1527) without replacing it.
 */
import { condition, defineUpdate, setHandler, sleep, startChild } from '@temporalio/workflow';
import { justificationsOwedAtStart, type CapacityChangeClassification, type CapacityChangeKind, type OperatorType } from '../../domain/capacityChange';
import type { ReminderLadderInput } from '../../domain/calendar/reminders';
import type { DeadlinePoint, PlannedDeadline } from '../../contracts/deadlines';
import type { TilbudRef } from './contract';
import { isPlainDate, type PlainDate } from '../../domain/calendar/plainDate';
import { formatDanishDate } from '../../domain/calendar/format';
import type { ClosureInput } from '../../contracts/closure';
import { CaseRecord } from '../blocks/caseRecord';
import { DeadlineBook } from '../blocks/deadlines';
import { Approvals, BODY_NAMES } from '../blocks/approvals';
import { runUntilWithdrawn } from '../blocks/withdrawal';
import { acts } from '../blocks/proxies';
import { copenhagenToday } from '../blocks/time';
import { HOME_REGION } from '../../domain/region';
import type { CapacityChangeInput, ClosureHandover } from './contract';
export * from './contract';

export const CAPACITY_REGION = HOME_REGION;

/** What a notice that could not be sent reached: nobody (the case shows why, see CaseRecord.attempt). */
const NOTHING_SENT = { recipients: 0, partiesWithoutContact: [] as string[] };

export interface TemporaryStaffingEntry {
  /** Places relative to the fixed places: + up-staffing, − down-staffing, 0 ends the temporary staffing. */
  places: number;
  from: string;
  reason: string;
  recordedBy: string;
  recordedAt: string;
}

export interface CapacityChangeDetails {
  operator: CapacityChangeInput['operator'];
  tilbud: CapacityChangeInput['tilbud'];
  kind: CapacityChangeKind;
  currentPlaces: number;
  newPlaces: number;
  effectiveDate: string;
  politicalTreatmentDate: string | null;
  classification?: CapacityChangeClassification;
  /** The register's row when the case started (null: a tilbud the register does not hold yet). */
  registerAtStart?: { fixedPlaces: number; temporaryPlaces: number } | null;
  justifications: { requirement: string; text: string }[];
  justificationRound: number;
  broadcasts: { round: number; parties: number; emails: number; withoutContact: string[] }[];
  forum?: { body: 'SDF' | 'FU'; step: string; outcome: string; meetingDate?: string; note?: string; decidedBy?: string; recipients?: string[] };
  report?: { text: string; submittedAt: string; submittedBy: string; late: boolean };
  reportLate: boolean;
  politicalDecision?: { approved: boolean; meetingDate: string; decidedBy: string; recordedAt: string };
  temporaryStaffing: TemporaryStaffingEntry[];
  registration?: { tilbudId: number; oldPlaces: number; newPlaces: number; date: string; endedTemporaryPlaces: number | null };
  closureCaseId?: string;
  outcome?: 'registered' | 'rejectedBySdf' | 'notAdopted' | 'handedToClosure';
}

// ---- The steps the operator and the secretariat record ----
export interface ReviseJustificationsInput {
  justifications: string[];
  actor: string;
}
export const reviseJustificationsUpdate = defineUpdate<CapacityChangeDetails, [ReviseJustificationsInput]>('reviseJustifications');

export interface SubmitReportInput {
  text: string;
  actor: string;
}
export const submitReportUpdate = defineUpdate<{ late: boolean; dueDate: string }, [SubmitReportInput]>('submitReport');

export interface PoliticalDecisionInput {
  approved: boolean;
  meetingDate: string;
  actor: string;
}
export const recordPoliticalDecisionUpdate = defineUpdate<CapacityChangeDetails, [PoliticalDecisionInput]>('recordPoliticalDecision');

export interface TemporaryStaffingInput {
  places: number;
  from: string;
  reason: string;
  actor: string;
}
export const recordTemporaryStaffingUpdate = defineUpdate<TemporaryStaffingEntry, [TemporaryStaffingInput]>('recordTemporaryStaffing');

const ROUTE_LABELS: Record<CapacityChangeClassification['route'], string> = {
  free: 'Mindre ændring af pladsantallet',
  expansion: 'Oprettelse af pladser ud over den frie grænse',
  reduction: 'Nedlæggelse af pladser ud over den frie grænse',
  newTilbud: 'Oprettelse af nyt tilbud',
  closure: 'Lukning af tilbud',
};

const MIN_TEXT = 10;
const date = (d: string) => formatDanishDate(d as PlainDate);
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
const hasActor = (a: unknown) => typeof a === 'string' && a.trim().length > 0;

/**
 * The justifications due when the case is prepared. For a closure only "Lukningen begrundes": the second item
 * (the cost of continuing) is due only if SDF's hearing opposes the closure, which the closure procedure runs.
 */
function justificationProblem(texts: unknown, required: readonly string[]): string | undefined {
  if (!Array.isArray(texts)) return 'Begrundelserne skal angives som en liste af tekster';
  if (texts.length !== required.length) {
    return `Tabel 4.1 kræver ${required.length} begrundelse${required.length === 1 ? '' : 'r'} for denne ændring, i denne rækkefølge: ${required.map((r, i) => `${i + 1}) ${r}`).join(' ')}`;
  }
  const bad = texts.findIndex((t) => typeof t !== 'string' || t.trim().length < MIN_TEXT);
  if (bad >= 0) return `Begrundelse ${bad + 1} ("${required[bad]}") skal være en tekst på mindst ${MIN_TEXT} tegn`;
  return undefined;
}

export async function capacityChange(input: CapacityChangeInput): Promise<{ route: string; outcome: string; status: string }> {
  const details: CapacityChangeDetails = {
    operator: input.operator,
    tilbud: input.tilbud,
    kind: input.kind,
    currentPlaces: input.currentPlaces,
    newPlaces: input.newPlaces,
    effectiveDate: input.effectiveDate,
    politicalTreatmentDate: input.politicalTreatmentDate ?? null,
    justifications: [],
    justificationRound: 0,
    broadcasts: [],
    reportLate: false,
    temporaryStaffing: [],
  };
  const c = new CaseRecord({
    procedure: 'capacityChange',
    title: `${input.kind === 'closure' ? 'Lukning' : input.kind === 'newTilbud' ? 'Nyt tilbud' : 'Kapacitetsændring'}: ${input.tilbud.name} (${input.operator.name})`,
    stage: 'Oprettet',
    details: details as unknown as Record<string, unknown>,
  });
  const deadlines = new DeadlineBook(c);
  const approvals = new Approvals(c);
  const operatorParty = { partyId: input.operator.partyId, name: input.operator.name };
  const warn = (w: string) => {
    if (!c.state.warnings.includes(w)) c.state.warnings.push(w);
  };

  let awaitingJustifications = false;
  let forumDone = false;
  let finished = false;
  let registering = false;
  let temporaryInFlight = 0;
  let temporarySeq = 0;
  let registerId = input.tilbud.id;

  const tilbudRef = (): TilbudRef => ({
    id: registerId,
    name: input.tilbud.name,
    operatorPartyId: input.operator.partyId,
    targetGroup: input.tilbud.targetGroup,
    basePlaces: input.kind === 'newTilbud' ? 0 : input.currentPlaces,
  });
  const reportDue = () => details.classification?.reportDeadline != null && c.state.deadlines.report !== undefined;
  c.offers('reviseJustifications', () => awaitingJustifications);
  c.offers('submitReport', () => !finished && reportDue() && !details.report);
  c.offers('recordPoliticalDecision', () => !finished && forumDone && !details.politicalDecision && !!details.classification && details.classification.route !== 'free' && details.classification.route !== 'closure');
  c.offers('recordTemporaryStaffing', () => input.kind === 'adjust' && !!details.classification && !finished && !registering && !details.registration);

  setHandler(
    reviseJustificationsUpdate,
    async (r) => {
      const required = justificationsOwedAtStart(details.classification!);
      details.justifications = required.map((requirement, i) => ({ requirement, text: r.justifications[i]!.trim() }));
      awaitingJustifications = false;
      await c.publish(
        {},
        { description: `Begrundelserne er ${details.justificationRound > 0 ? 'revideret' : 'udfyldt'}: ${details.justifications.map((j, i) => `${i + 1}) ${j.text}`).join(' ')}`, actor: r.actor },
      );
      return details;
    },
    {
      validator: (r: ReviseJustificationsInput) => {
        if (!awaitingJustifications) throw new Error('Sagen afventer ikke begrundelser nu');
        const problem = justificationProblem(r?.justifications, justificationsOwedAtStart(details.classification!));
        if (problem) throw new Error(problem);
        if (details.justificationRound > 0 && r.justifications.every((t: string, i: number) => t.trim() === details.justifications[i]?.text)) {
          throw new Error('Begrundelserne er uændrede; Socialdirektørforum har bedt om en ændring');
        }
        if (!hasActor(r.actor)) throw new Error('Mangler aktør');
      },
    },
  );

  setHandler(
    submitReportUpdate,
    async (r) => {
      const d = deadlines.get('report');
      const late = Date.now() > Date.parse(d.plan.deadline.dueAt);
      details.report = { text: r.text.trim(), submittedAt: new Date().toISOString(), submittedBy: r.actor, late };
      if (late) {
        details.reportLate = true;
        warn(`Kapacitetsændringen er indberettet for sent (fristen var ${date(d.plan.deadline.dueDate)})`);
      }
      await c.publish(
        { parties: partyStates() },
        {
          description: `Kapacitetsændringen er indberettet${late ? ` EFTER FRISTEN ${date(d.plan.deadline.dueDate)}` : ` inden fristen ${date(d.plan.deadline.dueDate)}`}: ${r.text.trim()}`,
          actor: r.actor,
        },
      );
      await deadlines.close('report', late ? 'expired' : 'met');
      return { late, dueDate: d.plan.deadline.dueDate };
    },
    {
      validator: (r) => {
        if (finished || !reportDue()) throw new Error('Der afventes ingen indberetning i denne sag');
        if (details.report) throw new Error('Kapacitetsændringen er allerede indberettet');
        if (typeof r?.text !== 'string' || r.text.trim().length < MIN_TEXT) throw new Error(`Indberetningen skal være en tekst på mindst ${MIN_TEXT} tegn`);
        if (!hasActor(r.actor)) throw new Error('Mangler aktør');
      },
    },
  );

  setHandler(
    recordPoliticalDecisionUpdate,
    async (p) => {
      details.politicalDecision = { approved: p.approved, meetingDate: p.meetingDate, decidedBy: p.actor, recordedAt: new Date().toISOString() };
      const notes: string[] = [];
      // A-5: the Rammeaftale does not order the steps; SDF after the council is legal but worth a flag.
      if (details.forum?.body === 'SDF' && details.forum.meetingDate && details.forum.meetingDate > p.meetingDate) {
        const w = `Den politiske behandling (${date(p.meetingDate)}) lå før Socialdirektørforums behandling (${date(details.forum.meetingDate)})`;
        warn(w);
        notes.push(`ADVARSEL: ${w}`);
      }
      if (p.approved && !details.report) notes.push('Bemærk: kapacitetsændringen er endnu ikke indberettet (skal ske senest ifm. den politiske behandling)');
      await c.publish(
        {},
        {
          description: `Politisk beslutning hos ${input.operator.name} (møde ${date(p.meetingDate)}): ændringen er ${p.approved ? 'vedtaget' : 'ikke vedtaget'}${notes.length ? `. ${notes.join('. ')}` : ''}`,
          actor: p.actor,
        },
      );
      return details;
    },
    {
      validator: (p) => {
        if (finished || !details.classification || details.classification.route === 'free' || details.classification.route === 'closure') {
          throw new Error('Sagen afventer ikke en politisk beslutning');
        }
        if (!forumDone) {
          throw new Error(`Den politiske beslutning registreres, når ${details.classification.forumBody === 'FU' ? 'Forretningsudvalget er orienteret' : 'Socialdirektørforum har behandlet sagen'}`);
        }
        if (details.politicalDecision) throw new Error('Den politiske beslutning er allerede registreret');
        if (typeof p?.approved !== 'boolean') throw new Error('Angiv om ændringen er vedtaget (approved: true/false)');
        if (!isPlainDate(p.meetingDate)) throw new Error('Mødedato skal være en dato (ÅÅÅÅ-MM-DD)');
        if (p.meetingDate > copenhagenToday()) throw new Error('Mødedatoen kan ikke ligge i fremtiden');
        if (!hasActor(p.actor)) throw new Error('Mangler aktør');
      },
    },
  );

  setHandler(
    recordTemporaryStaffingUpdate,
    async (t) => {
      temporaryInFlight += 1;
      // Reserved before the first await, so two staffings recorded at once get their own register entries.
      temporarySeq += 1;
      const entryKey = `temporary:${temporarySeq}`;
      const entry: TemporaryStaffingEntry = { places: t.places, from: t.from, reason: t.reason.trim(), recordedBy: t.actor, recordedAt: new Date().toISOString() };
      try {
        const r = await acts.registerTemporaryStaffing({ caseId: c.state.caseId, entryKey, tilbud: tilbudRef(), places: t.places, from: t.from, reason: entry.reason, actor: t.actor });
        registerId = r.tilbudId;
        details.temporaryStaffing.push(entry);
        const what =
          t.places === 0
            ? 'Den midlertidige normering ophører'
            : `Midlertidig ${t.places > 0 ? 'opnormering' : 'nednormering'} med ${Math.abs(t.places)} pladser`;
        await c.publish(
          {},
          {
            description: `${what} fra ${date(t.from)} (${r.fixedPlaces} faste pladser, ${r.fixedPlaces + t.places} i drift; den varige ændring behandles fortsat). Begrundelse: ${entry.reason}`,
            actor: t.actor,
          },
        );
      } finally {
        temporaryInFlight -= 1;
      }
      return entry;
    },
    {
      validator: (t) => {
        if (input.kind !== 'adjust') throw new Error('En midlertidig op- eller nednormering kan kun registreres ved en ændring af pladsantallet i et eksisterende tilbud');
        if (!details.classification) throw new Error('Sagen er ikke klassificeret endnu');
        if (finished || registering || details.registration) throw new Error('Den varige ændring er afsluttet; en midlertidig normering registreres ikke længere i denne sag');
        if (!Number.isInteger(t?.places) || Math.abs(t.places) > 100_000) throw new Error('Antal pladser skal være et helt tal (+ for opnormering, − for nednormering, 0 for ophør)');
        const fixed = details.registerAtStart?.fixedPlaces ?? input.currentPlaces;
        if (fixed + t.places < 0) throw new Error(`En nednormering kan højst være ${fixed} pladser (tilbuddets faste pladser)`);
        const current = details.temporaryStaffing.at(-1)?.places ?? details.registerAtStart?.temporaryPlaces ?? 0;
        if (t.places === current) throw new Error(`Den midlertidige normering er allerede ${signed(current)} pladser`);
        if (!isPlainDate(t.from)) throw new Error('Startdato ("from") skal være en dato (ÅÅÅÅ-MM-DD)');
        if (t.from >= input.effectiveDate) throw new Error(`En midlertidig normering skal begynde før den varige ændring træder i kraft (${date(input.effectiveDate)})`);
        if (typeof t.reason !== 'string' || t.reason.trim().length < 5) throw new Error('Angiv en begrundelse for den midlertidige normering');
        if (!hasActor(t.actor)) throw new Error('Mangler aktør');
      },
    },
  );

  function partyStates() {
    const reported = details.report ? `indberettet${details.report.late ? ' (for sent)' : ''}` : details.reportLate ? 'mangler indberetning (for sent)' : 'afventer indberetning';
    return [{ ...operatorParty, state: `driftsherre${reportDue() ? ` – ${reported}` : ''}` }, ...c.state.parties.filter((p) => p.partyId !== operatorParty.partyId)];
  }

  async function broadcastParties(): Promise<{ partyId: string; name: string }[]> {
    const region = await acts.listRegionParties({ region: CAPACITY_REGION });
    const all = [...region];
    for (const p of input.otherUserMunicipalities) if (!all.some((x) => x.partyId === p.partyId)) all.push(p);
    return all;
  }

  /** "Meddeles alle kommuner i Syddanmark og eventuelle andre brugerkommuner" (002:1564-1565). */
  async function broadcast(cls: CapacityChangeClassification, round: number): Promise<void> {
    const parties = await broadcastParties();
    const revised = round > 1;
    const r = await c.orElse('Meddelelsen til parterne kunne ikke sendes', NOTHING_SENT, () => acts.notifyParties({
      caseId: c.state.caseId,
      procedure: 'capacityChange',
      step: 'broadcast',
      reminder: revised ? `revision:${round}` : '',
      partyIds: parties.map((p) => p.partyId),
      subject: `${revised ? 'Revideret: ' : ''}${ROUTE_LABELS[cls.route]} – ${input.tilbud.name} (${input.operator.name})`,
      content: {
        heading: `${ROUTE_LABELS[cls.route]}: ${input.tilbud.name}`,
        paragraphs: [
          `${input.operator.name} ${input.kind === 'newTilbud' ? 'opretter' : 'ændrer'} ${input.tilbud.name}${input.tilbud.targetGroup ? ` (målgruppe: ${input.tilbud.targetGroup})` : ''}. ${cls.description}`,
          ...details.justifications.map((j) => `${j.requirement} ${j.text}`),
          `Ændringen træder efter planen i kraft ${date(input.effectiveDate)}.`,
          'Meddelelsen sendes til alle kommuner i Syddanmark, Region Syddanmark og eventuelle andre brugerkommuner, jf. Rammeaftalens bilag 4, tabel 4.1.',
        ],
        facts: [
          { label: 'Sagsnummer', value: c.state.caseId },
          { label: 'Driftsherre', value: input.operator.name },
          { label: 'Pladser', value: `${input.currentPlaces} → ${input.newPlaces} (${signed(cls.delta)})` },
        ],
        link: { url: input.caseUrl, label: 'Se sagen' },
      },
    }));
    details.broadcasts.push({ round, parties: parties.length, emails: r.recipients, withoutContact: r.partiesWithoutContact });
    const others = parties.filter((p) => p.partyId !== operatorParty.partyId).map((p) => ({ ...p, state: revised ? 'meddelt (revideret)' : 'meddelt' }));
    c.state.parties = [{ ...operatorParty, state: 'driftsherre' }, ...others];
    await c.publish(
      { parties: partyStates() },
      {
        description:
          `${revised ? 'Revideret meddelelse' : 'Meddelelse'} sendt til ${parties.length} parter (${r.recipients} e-mails): alle kommuner i Syddanmark og Region Syddanmark` +
          (input.otherUserMunicipalities.length ? ` samt andre brugerkommuner: ${input.otherUserMunicipalities.map((p) => p.name).join(', ')}` : '') +
          (r.partiesWithoutContact.length ? `; uden kontaktadresse: ${r.partiesWithoutContact.join(', ')}` : ''),
        actor: 'system',
      },
    );
  }

  /** Tells everyone who was told of the proposal that it will not take effect. */
  async function broadcastOutcome(subject: string, text: string): Promise<void> {
    if (!details.broadcasts.length) return;
    const parties = await broadcastParties();
    const r = await c.orElse('Meddelelsen til parterne kunne ikke sendes', NOTHING_SENT, () => acts.notifyParties({
      caseId: c.state.caseId,
      procedure: 'capacityChange',
      step: 'outcome',
      partyIds: parties.map((p) => p.partyId),
      subject: `${subject} – ${input.tilbud.name} (${input.operator.name})`,
      content: { heading: subject, paragraphs: [text], facts: [{ label: 'Sagsnummer', value: c.state.caseId }], link: { url: input.caseUrl, label: 'Se sagen' } },
    }));
    await c.publish({}, { description: `${subject}: meddelt ${parties.length} parter (${r.recipients} e-mails)`, actor: 'system' });
  }

  async function justificationStep(cls: CapacityChangeClassification, revise: boolean): Promise<void> {
    const required = justificationsOwedAtStart(cls);
    if (!revise && !justificationProblem(input.justifications, required)) return;
    awaitingJustifications = true;
    await c.publish(
      { stage: revise ? 'Begrundelserne skal revideres' : 'Afventer begrundelser' },
      {
        description: revise
          ? 'Socialdirektørforum har sendt sagen tilbage: begrundelserne skal revideres, før sagen behandles igen'
          : `Begrundelserne efter Tabel 4.1 mangler eller er ufuldstændige: ${justificationProblem(input.justifications, required)}`,
        actor: 'system',
      },
    );
    await condition(() => !awaitingJustifications);
  }

  /** The report deadline's notices: reminders to the driftsherre and the secretariat, the late flag, escalation. */
  async function followReport(): Promise<void> {
    for (;;) {
      const d = deadlines.get('report');
      const revision = d.revision;
      const result = await deadlines.follow('report', {
        isDone: () => details.report !== undefined || finished,
        onPoint: (p, entry) => reportNotice(p, entry.plan.deadline, entry.revision),
      });
      if (result === 'done') return;
      // Every notice has fired; only an extended deadline (extendDeadline) makes new ones.
      await condition(() => details.report !== undefined || finished || d.revision !== revision);
      if (details.report !== undefined || finished) return;
    }
  }

  async function reportNotice(p: DeadlinePoint, deadline: PlannedDeadline['deadline'], revision: number): Promise<void> {
    const dueText = date(deadline.dueDate);
    if (p.kind === 'reminder' || p.kind === 'due') {
      const subject = `${p.kind === 'due' ? 'Sidste frist i dag' : 'Påmindelse'}: indberetning af kapacitetsændring for ${input.tilbud.name} senest ${dueText}`;
      const paragraphs = [
        `Kapacitetsændringen for ${input.tilbud.name} (${input.currentPlaces} → ${input.newPlaces} pladser, i kraft ${date(input.effectiveDate)}) er endnu ikke indberettet.`,
        'Ændringerne skal indberettes senest ifm. den politiske behandling i kommunerne – dog senest 3 måneder før, ændringerne konkret sker (Rammeaftalens bilag 4).',
      ];
      await c.attempt('E-mailen til driftsherren kunne ikke sendes', () => acts.notifyParties({
        caseId: c.state.caseId,
        procedure: 'capacityChange',
        step: 'report',
        reminder: `${p.kind}:${p.date}`,
        partyIds: [operatorParty.partyId],
        subject,
        content: { heading: subject, paragraphs, facts: [{ label: 'Sagsnummer', value: c.state.caseId }], link: { url: input.caseUrl, label: 'Se sagen og indberet' } },
        deadline: { ...deadline, revision },
      }));
      await acts.notifySecretariat({ caseId: c.state.caseId, step: `report:${p.kind}:${p.date}`, subject, heading: subject, paragraphs });
      await c.publish({}, { description: `Påmindelse om indberetning (frist ${dueText}) sendt til ${input.operator.name} og sekretariatet`, actor: 'system' });
    } else if (p.kind === 'expired') {
      details.reportLate = true;
      const w = `Fristen for indberetning (${dueText}) er overskredet; ${input.operator.name} har ikke indberettet kapacitetsændringen`;
      warn(w);
      await c.publish({ parties: partyStates() }, { description: `ADVARSEL: ${w}`, actor: 'system' });
    } else {
      const subject = `Eskalering: kapacitetsændring for ${input.tilbud.name} er ikke indberettet (${c.state.caseId})`;
      await acts.notifySecretariat({
        caseId: c.state.caseId,
        step: `report:escalation:${p.date}`,
        subject,
        heading: subject,
        paragraphs: [`Fristen ${dueText} er overskredet, og ${input.operator.name} har ikke indberettet ændringen.`],
      });
      await c.publish({}, { description: 'Manglende indberetning er eskaleret til sekretariatet', actor: 'system' });
    }
  }

  /** Waits for the effective date (00:00 Copenhagen time) on a durable timer. */
  async function untilEffective(effectiveFrom: string): Promise<void> {
    const wait = Date.parse(effectiveFrom) - Date.now();
    if (wait > 0) await sleep(wait);
  }

  async function register(cls: CapacityChangeClassification, reason: string): Promise<void> {
    // A temporary staffing being written now must land before the permanent change ends it.
    registering = true;
    await condition(() => temporaryInFlight === 0);
    const r = await acts.registerPermanentCapacity({
      caseId: c.state.caseId,
      tilbud: tilbudRef(),
      newPlaces: input.newPlaces,
      changeDate: input.effectiveDate,
      reason,
      actor: 'system',
      endTemporary: details.temporaryStaffing.length > 0,
    });
    registerId = r.tilbudId;
    details.registration = { tilbudId: r.tilbudId, oldPlaces: r.oldPlaces, newPlaces: r.newPlaces, date: input.effectiveDate, endedTemporaryPlaces: r.endedTemporaryPlaces };
    details.outcome = 'registered';
    if (cls.route !== 'free') {
      await acts.notifySecretariat({
        caseId: c.state.caseId,
        step: 'registered',
        subject: `Kapacitetsregistret opdateret: ${input.tilbud.name}`,
        heading: `${input.tilbud.name} (${input.operator.name}): ${r.oldPlaces} → ${r.newPlaces} faste pladser fra ${date(input.effectiveDate)}`,
        paragraphs: [reason],
      });
    }
    await c.publish(
      {},
      {
        description:
          `Kapacitetsregistret er opdateret (tilbud nr. ${r.tilbudId}): ${r.oldPlaces} → ${r.newPlaces} faste pladser med virkning fra ${date(input.effectiveDate)}` +
          (r.endedTemporaryPlaces !== null ? `; den midlertidige normering (${signed(r.endedTemporaryPlaces)} pladser) ophører` : ''),
        actor: 'system',
      },
    );
  }

  async function finish(stage: string, description: string, outcome: CapacityChangeDetails['outcome']): Promise<void> {
    finished = true;
    details.outcome = outcome;
    if (reportDue() && deadlines.get('report').status === 'open') {
      if (outcome === 'registered') {
        warn('Ændringen er registreret, uden at den er indberettet');
        await deadlines.close('report', 'expired');
      } else {
        await deadlines.close('report', 'cancelled');
      }
    }
    const temporary = details.temporaryStaffing.at(-1);
    if (outcome !== 'registered' && temporary && temporary.places !== 0) {
      warn(`Den midlertidige normering (${signed(temporary.places)} pladser) står fortsat i kapacitetsregistret; driftsherren skal tilpasse driften`);
    }
    await c.publish({ stage, status: 'completed', parties: partyStates() }, { description, actor: 'system' });
  }

  /** Runs the forum step of the route. 'amend' sends the case back to the justifications. */
  async function forumStep(cls: CapacityChangeClassification): Promise<'done' | 'amend' | 'blocked'> {
    if (cls.forumBody === 'FU') {
      const subject = `Orientering: ${ROUTE_LABELS[cls.route].toLowerCase()} – ${input.tilbud.name} (${input.operator.name})`;
      const r = await acts.notifyForum({
        caseId: c.state.caseId,
        body: 'FU',
        step: 'fu-orientation',
        subject,
        heading: subject,
        paragraphs: [
          `Forretningsudvalget orienteres, jf. Rammeaftalens bilag 4, tabel 4.1. Orienteringen kræver ingen beslutning. ${cls.description}`,
          ...details.justifications.map((j) => `${j.requirement} ${j.text}`),
        ],
        facts: [{ label: 'Ikrafttræden', value: date(input.effectiveDate) }],
      });
      details.forum = { body: 'FU', step: 'orientation', outcome: r.recipients.length ? 'oriented' : 'noRecipients', recipients: r.recipients };
      if (!r.recipients.length) warn('Forretningsudvalget er ikke orienteret: der er ingen modtagere registreret for FU (forum_recipient)');
      await c.publish(
        { stage: 'Forretningsudvalget orienteret' },
        {
          description: r.recipients.length
            ? `Forretningsudvalget er orienteret (${r.recipients.join(', ')}); orienteringen er ikke en beslutning`
            : 'ADVARSEL: Forretningsudvalget kunne ikke orienteres, da der ikke er registreret modtagere',
          actor: 'system',
        },
      );
      return 'done';
    }
    const approval = cls.forumStep === 'approval';
    const label = approval ? 'Godkendelse i Socialdirektørforum' : 'Udtalelse fra Socialdirektørforum';
    // A-5: SDF should have treated the change before it takes effect, so its meeting is planned before that day.
    const outcome = await approvals.run('sdf', label, ['SDF'], { deadlineDueDate: input.effectiveDate });
    const step = c.state.approvals.sdf!.steps[0]!;
    details.forum = { body: 'SDF', step: cls.forumStep, outcome, meetingDate: step.meetingDate, note: step.note, decidedBy: step.decidedBy };
    if (outcome === 'amend') return 'amend';
    if (approval) {
      if (outcome === 'rejected') return 'blocked';
      await c.publish({}, { description: `${BODY_NAMES.SDF} har godkendt det nye regionale tilbud (002:1520)`, actor: 'system' });
      return 'done';
    }
    if (outcome === 'rejected') {
      warn(`${BODY_NAMES.SDF} har afgivet en negativ udtalelse (møde ${date(step.meetingDate!)})`);
    }
    await c.publish(
      {},
      {
        description:
          outcome === 'approved'
            ? `${BODY_NAMES.SDF} har afgivet en positiv udtalelse`
            : `${BODY_NAMES.SDF} har afgivet en negativ udtalelse. Udtalelsen er vejledende; sagen fortsætter til den politiske beslutning`,
        actor: 'system',
      },
    );
    return 'done';
  }

  const outcome = await runUntilWithdrawn(c, async () => {
    await c.publish(
      { parties: [{ ...operatorParty, state: 'driftsherre' }] },
      {
        description: `Sag oprettet: ${input.tilbud.name} (${input.operator.name}), ${input.currentPlaces} → ${input.newPlaces} pladser med virkning fra ${date(input.effectiveDate)}${input.politicalTreatmentDate ? `; politisk behandling ${date(input.politicalTreatmentDate)}` : ''}`,
        actor: input.startedBy,
      },
    );
    const { classification: cls, effectiveFrom } = await acts.classifyCapacity({
      change: {
        operatorType: input.operator.type,
        kind: input.kind,
        currentPlaces: input.currentPlaces,
        newPlaces: input.newPlaces,
        effectiveDate: input.effectiveDate,
        politicalTreatmentDate: input.politicalTreatmentDate ?? null,
      },
    });
    details.classification = cls;
    const required = justificationsOwedAtStart(cls);
    details.justifications = required.length
      ? required.map((requirement, i) => ({ requirement, text: (input.justifications[i] ?? '').trim() }))
      : input.justifications.map((text) => ({ requirement: 'Bemærkning', text: text.trim() }));
    for (const w of cls.warnings) warn(w);
    if (input.tilbud.id !== undefined) {
      const t = await acts.capacityTilbud({ tilbudId: input.tilbud.id });
      details.registerAtStart = t ? { fixedPlaces: t.fixedPlaces, temporaryPlaces: t.temporaryPlaces } : null;
      // A-2: the classification counts from the places the caller gives (the period's baseline); a register that
      // says otherwise is shown, not silently corrected.
      if (t && t.fixedPlaces !== input.currentPlaces) {
        warn(`Kapacitetsregistret har ${t.fixedPlaces} faste pladser for ${t.name}; ændringen er klassificeret ud fra ${input.currentPlaces} pladser`);
      }
    } else {
      details.registerAtStart = null;
    }
    await c.publish(
      { stage: `Klassificeret: ${ROUTE_LABELS[cls.route].toLowerCase()}` },
      { description: `Klassificeret efter Tabel 4.1, række ${cls.tableRow} (${cls.sources.join(', ')}): ${cls.description}`, actor: 'system' },
    );

    if (cls.route === 'free') {
      await c.publish({ stage: 'Fri ændring – afventer ikrafttræden' }, { description: `Ændringen kan foretages frit (±${cls.freeLimit} pladser) og registreres ${date(input.effectiveDate)}`, actor: 'system' });
      await untilEffective(effectiveFrom);
      await register(cls, `${ROUTE_LABELS.free} (Tabel 4.1, række 1): ${input.currentPlaces} → ${input.newPlaces} pladser, frit inden for ±${cls.freeLimit}`);
      await finish('Registreret', `Den frie ændring er registreret med virkning fra ${date(input.effectiveDate)}`, 'registered');
      return;
    }

    if (cls.route === 'closure') {
      await justificationStep(cls, false);
      // The closure procedure (P3) runs the SDF hearing, the notices and the settlement; this case hands over.
      const fuRecipients = await acts.forumRecipients({ body: 'FU' });
      const closureCaseId = `${c.state.caseId}-LUK`;
      const closureInput: ClosureInput = {
        tilbudName: input.tilbud.name,
        operator: { ...operatorParty, type: input.operator.type },
        classification: 'closure',
        reason: details.justifications[0]!.text,
        // "vil tilbuddet betragtes som en del af en økonomisk enhed" unless marked stand-alone (002:1930-1935).
        structure: input.closure?.structure ?? 'economicUnit',
        turnoverDecisionYear: input.closure?.turnoverDecisionYear,
        otherUnitsTurnoverDecisionYear: input.closure?.otherUnitsTurnoverDecisionYear,
        payers: input.closure?.payers ?? [],
        actingMunicipalities: input.closure?.actingMunicipalities ?? [],
        otherRegionalTilbud: input.closure?.otherRegionalTilbud,
        fuRecipients,
        noticeReading: input.closure?.noticeReading,
        ladder: input.closure?.ladder,
        parentCaseId: c.state.caseId,
        startedBy: input.startedBy,
      };
      // The closure outlives this case: it runs for months after the hand-over.
      await startChild('closureOfTilbud', { workflowId: closureCaseId, args: [closureInput], parentClosePolicy: 'ABANDON' });
      details.closureCaseId = closureCaseId;
      await finish(
        'Overdraget til lukningsproceduren',
        `Lukningen behandles i sagen ${closureCaseId} (høring i Socialdirektørforum, meddelelse til kommunerne og lukkeregnskab, Rammeaftalens bilag 4 og 5)` +
          (input.closure?.structure ? '' : '. Tilbuddet behandles som en del af en økonomisk enhed, da det ikke er angivet som selvstændigt (002:1930-1935)'),
        'handedToClosure',
      );
      return;
    }

    // Expansion, reduction and new tilbud: report deadline, justifications, broadcast, forum, decision, effect.
    const rd = cls.reportDeadline!;
    const report = await deadlines.add('report', 'Indberetning af kapacitetsændringen', { wording: rd.wording, rule: rd.rule, nominalDate: rd.nominalDate }, input.ladder);
    // The block re-derives the date from the spec; the classification's reason (which of the two dates won) is
    // kept here in the journal.
    await c.publish(
      { parties: partyStates() },
      { description: `Frist for indberetning: ${date(report.plan.deadline.dueDate)}. ${rd.reason ?? ''}`.trim(), actor: 'system' },
    );
    const deadlineNotice = `Kapacitetsændring for ${input.tilbud.name}: indberetning senest ${date(report.plan.deadline.dueDate)}`;
    await c.attempt('E-mailen til driftsherren kunne ikke sendes', () => acts.notifyParties({
      caseId: c.state.caseId,
      procedure: 'capacityChange',
      step: 'report',
      partyIds: [operatorParty.partyId],
      subject: deadlineNotice,
      content: {
        heading: deadlineNotice,
        paragraphs: [cls.description, 'Indberetningen registreres i sagen af driftsherren eller sekretariatet.'],
        facts: [{ label: 'Sagsnummer', value: c.state.caseId }],
        link: { url: input.caseUrl, label: 'Se sagen og indberet' },
      },
      deadline: { ...report.plan.deadline, revision: report.revision },
    }));
    const reportWatch = followReport();

    let revise = false;
    for (;;) {
      await justificationStep(cls, revise);
      details.justificationRound += 1;
      await broadcast(cls, details.justificationRound);
      const result = await forumStep(cls);
      if (result === 'amend') {
        revise = true;
        continue;
      }
      if (result === 'blocked') {
        await broadcastOutcome('Nyt regionalt tilbud ikke godkendt', `${BODY_NAMES.SDF} har ikke godkendt ${input.tilbud.name}. Tilbuddet oprettes ikke, og intet registreres.`);
        await finish('Afvist af Socialdirektørforum', `${BODY_NAMES.SDF} har afvist det nye regionale tilbud; tilbuddet oprettes ikke, og intet er registreret (002:1520)`, 'rejectedBySdf');
        await reportWatch;
        return;
      }
      break;
    }

    forumDone = true;
    await c.publish({ stage: 'Afventer politisk beslutning' }, { description: `Sagen afventer den politiske beslutning hos ${input.operator.name}`, actor: 'system' });
    await condition(() => details.politicalDecision !== undefined);
    if (!details.politicalDecision!.approved) {
      await broadcastOutcome('Kapacitetsændring ikke vedtaget', `${input.operator.name} har ikke vedtaget ændringen af ${input.tilbud.name} (møde ${date(details.politicalDecision!.meetingDate)}). Pladsantallet er uændret.`);
      await finish('Ikke vedtaget', 'Ændringen er ikke vedtaget politisk; intet er registreret', 'notAdopted');
      await reportWatch;
      return;
    }
    if (Date.parse(effectiveFrom) > Date.now()) {
      await c.publish({ stage: 'Vedtaget – afventer ikrafttræden' }, { description: `Ændringen registreres, når den træder i kraft ${date(input.effectiveDate)}`, actor: 'system' });
    }
    await untilEffective(effectiveFrom);
    await register(
      cls,
      `${ROUTE_LABELS[cls.route]} (Tabel 4.1, række ${cls.tableRow}): ${input.currentPlaces} → ${input.newPlaces} pladser; vedtaget ${date(details.politicalDecision!.meetingDate)}`,
    );
    await finish('Registreret', `Ændringen er trådt i kraft og registreret med virkning fra ${date(input.effectiveDate)}`, 'registered');
    await reportWatch;
  });

  return {
    route: details.classification?.route ?? 'unclassified',
    outcome: outcome === 'withdrawn' ? 'withdrawn' : (details.outcome ?? 'open'),
    status: c.state.status,
  };
}
