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
 *
 * The steps' handlers record facts (the justifications, the report, the political decision, a temporary staffing);
 * the flow at the bottom of `capacityChange` acts on them in the order of the procedure (rammeaftale.md §3.4).
 */
import { condition, sleep, startChild } from '@temporalio/workflow';
import { justificationsOwedAtStart, type CapacityChangeClassification } from '../../domain/capacityChange';
import type { DeadlinePoint, PlannedDeadline } from '../../contracts/deadlines';
import type { ClosureInput } from '../closure/contract';
import { CaseRecord } from '../blocks/caseRecord';
import { DeadlineBook } from '../blocks/deadlines';
import { Approvals, BODY_NAMES } from '../blocks/approvals';
import { runUntilWithdrawn } from '../blocks/withdrawal';
import { acts } from '../blocks/proxies';
import { copenhagenToday } from '../blocks/time';
import { HOME_REGION } from '../../domain/region';
import {
  ROUTE_LABELS,
  recordPoliticalDecisionStep,
  recordTemporaryStaffingStep,
  reviseJustificationsStep,
  submitReportStep,
  type CapacityChangeDetails,
  type CapacityChangeInput,
  type TemporaryStaffingEntry,
  type TilbudRef,
} from './contract';
import {
  broadcastNotice,
  danishDate as date,
  fuOrientation,
  notAdoptedOutcome,
  outcomeNotice,
  registeredNotice,
  rejectedBySdfOutcome,
  reportDeadlineNotice,
  reportEscalation,
  reportReminder,
  reportReminderContent,
  signed,
} from './messages';
export * from './contract';

export const CAPACITY_REGION = HOME_REGION;

/** What a notice that could not be sent reached: nobody (the case shows why, see CaseRecord.attempt). */
const NOTHING_SENT = { recipients: 0, partiesWithoutContact: [] as string[] };

/**
 * The justifications due when the case is prepared. For a closure only "Lukningen begrundes": the second item
 * (the cost of continuing) is due only if SDF's hearing opposes the closure, which the closure procedure runs.
 */
function justificationProblem(texts: unknown, required: readonly string[]): string | undefined {
  if (!Array.isArray(texts)) return 'Begrundelserne skal angives som en liste af tekster';
  if (texts.length !== required.length) {
    return `Tabel 4.1 kræver ${required.length} begrundelse${required.length === 1 ? '' : 'r'} for denne ændring, i denne rækkefølge: ${required.map((r, i) => `${i + 1}) ${r}`).join(' ')}`;
  }
  const bad = texts.findIndex((t) => typeof t !== 'string' || t.trim().length < 10);
  if (bad >= 0) return `Begrundelse ${bad + 1} ("${required[bad]}") skal være en tekst på mindst 10 tegn`;
  return undefined;
}

/** One capacity case: its record, its deadlines and approvals, the details it shows and the facts its steps record. */
interface Capacity {
  input: CapacityChangeInput;
  details: CapacityChangeDetails;
  c: CaseRecord<CapacityChangeDetails>;
  deadlines: DeadlineBook;
  approvals: Approvals;
  operatorParty: { partyId: string; name: string };
  facts: {
    /** Rounds of justifications the flow asked for, and the round last given (reviseJustifications). */
    justificationsAsked: number;
    justificationsGiven: number;
    /** The forum step is behind: the political decision may be recorded. */
    forumDone: boolean;
    /** The case has reached its outcome (registered, rejected, not adopted, handed over). */
    finished: boolean;
    /** The permanent change is being written to the register: no temporary staffing any more. */
    registering: boolean;
    temporaryInFlight: number;
    temporarySeq: number;
    /** The tilbud's id in the register, once it has one. */
    registerId: number | undefined;
  };
}

function openCase(input: CapacityChangeInput): Capacity {
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
    details: details,
  });
  return {
    input,
    details,
    c,
    deadlines: new DeadlineBook(c),
    approvals: new Approvals(c),
    operatorParty: { partyId: input.operator.partyId, name: input.operator.name },
    facts: { justificationsAsked: 0, justificationsGiven: 0, forumDone: false, finished: false, registering: false, temporaryInFlight: 0, temporarySeq: 0, registerId: input.tilbud.id },
  };
}

const warn = (k: Capacity, w: string) => {
  if (!k.c.state.warnings.includes(w)) k.c.state.warnings.push(w);
};
const reportDue = (k: Capacity) => k.details.classification?.reportDeadline != null && k.c.state.deadlines.report !== undefined;
const tilbudRef = (k: Capacity): TilbudRef => ({
  id: k.facts.registerId,
  name: k.input.tilbud.name,
  operatorPartyId: k.input.operator.partyId,
  targetGroup: k.input.tilbud.targetGroup,
  basePlaces: k.input.kind === 'newTilbud' ? 0 : k.input.currentPlaces,
});

function partyStates(k: Capacity) {
  const { details, operatorParty } = k;
  const reported = details.report ? `indberettet${details.report.late ? ' (for sent)' : ''}` : details.reportLate ? 'mangler indberetning (for sent)' : 'afventer indberetning';
  return [{ ...operatorParty, state: `driftsherre${reportDue(k) ? ` – ${reported}` : ''}` }, ...k.c.state.parties.filter((p) => p.partyId !== operatorParty.partyId)];
}

// ---- The steps the driftsherre's answers and the council's decision are recorded by ----

function registerSteps(k: Capacity): void {
  const { c, deadlines, details, facts, input } = k;

  c.step(reviseJustificationsStep, {
    dueWhen: () => facts.justificationsAsked > facts.justificationsGiven,
    check: (r) => {
      const problem = justificationProblem(r.justifications, justificationsOwedAtStart(details.classification!));
      if (problem) return problem;
      if (details.justificationRound > 0 && r.justifications.every((t, i) => t === details.justifications[i]?.text)) {
        return 'Begrundelserne er uændrede; Socialdirektørforum har bedt om en ændring';
      }
      return undefined;
    },
    run: async (r) => {
      const required = justificationsOwedAtStart(details.classification!);
      details.justifications = required.map((requirement, i) => ({ requirement, text: r.justifications[i]! }));
      facts.justificationsGiven = facts.justificationsAsked;
      await c.publish(
        {},
        { description: `Begrundelserne er ${details.justificationRound > 0 ? 'revideret' : 'udfyldt'}: ${details.justifications.map((j, i) => `${i + 1}) ${j.text}`).join(' ')}`, actor: r.actor },
      );
      return details;
    },
  });

  c.step(submitReportStep, {
    dueWhen: () => !facts.finished && reportDue(k) && !details.report,
    notDueBecause: () => (!facts.finished && reportDue(k) && details.report ? 'Kapacitetsændringen er allerede indberettet' : undefined),
    run: async (r) => {
      const d = deadlines.get('report');
      const late = Date.now() > Date.parse(d.plan.deadline.dueAt);
      details.report = { text: r.text, submittedAt: new Date().toISOString(), submittedBy: r.actor, late };
      if (late) {
        details.reportLate = true;
        warn(k, `Kapacitetsændringen er indberettet for sent (fristen var ${date(d.plan.deadline.dueDate)})`);
      }
      await c.publish(
        { parties: partyStates(k) },
        {
          description: `Kapacitetsændringen er indberettet${late ? ` EFTER FRISTEN ${date(d.plan.deadline.dueDate)}` : ` inden fristen ${date(d.plan.deadline.dueDate)}`}: ${r.text}`,
          actor: r.actor,
        },
      );
      await deadlines.close('report', late ? 'expired' : 'met');
      return { late, dueDate: d.plan.deadline.dueDate };
    },
  });

  const decisionRoute = () => !!details.classification && details.classification.route !== 'free' && details.classification.route !== 'closure';
  c.step(recordPoliticalDecisionStep, {
    dueWhen: () => !facts.finished && facts.forumDone && !details.politicalDecision && decisionRoute(),
    notDueBecause: () => {
      if (facts.finished || !decisionRoute()) return undefined;
      if (!facts.forumDone) return `Den politiske beslutning registreres, når ${details.classification!.forumBody === 'FU' ? 'Forretningsudvalget er orienteret' : 'Socialdirektørforum har behandlet sagen'}`;
      return details.politicalDecision ? 'Den politiske beslutning er allerede registreret' : undefined;
    },
    check: (p) => (p.meetingDate > copenhagenToday() ? 'Mødedatoen kan ikke ligge i fremtiden' : undefined),
    run: async (p) => {
      details.politicalDecision = { approved: p.approved, meetingDate: p.meetingDate, decidedBy: p.actor, recordedAt: new Date().toISOString() };
      const notes: string[] = [];
      // A-5: the Rammeaftale does not order the steps; SDF after the council is legal but worth a flag.
      if (details.forum?.body === 'SDF' && details.forum.meetingDate && details.forum.meetingDate > p.meetingDate) {
        const w = `Den politiske behandling (${date(p.meetingDate)}) lå før Socialdirektørforums behandling (${date(details.forum.meetingDate)})`;
        warn(k, w);
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
  });

  c.step(recordTemporaryStaffingStep, {
    dueWhen: () => input.kind === 'adjust' && !!details.classification && !facts.finished && !facts.registering && !details.registration,
    notDueBecause: () =>
      input.kind !== 'adjust'
        ? 'En midlertidig op- eller nednormering kan kun registreres ved en ændring af pladsantallet i et eksisterende tilbud'
        : !details.classification
          ? 'Sagen er ikke klassificeret endnu'
          : undefined,
    check: (t) => {
      const fixed = details.registerAtStart?.fixedPlaces ?? input.currentPlaces;
      if (fixed + t.places < 0) return `En nednormering kan højst være ${fixed} pladser (tilbuddets faste pladser)`;
      const current = details.temporaryStaffing.at(-1)?.places ?? details.registerAtStart?.temporaryPlaces ?? 0;
      if (t.places === current) return `Den midlertidige normering er allerede ${signed(current)} pladser`;
      if (t.from >= input.effectiveDate) return `En midlertidig normering skal begynde før den varige ændring træder i kraft (${date(input.effectiveDate)})`;
      return undefined;
    },
    run: async (t) => {
      facts.temporaryInFlight += 1;
      // Reserved before the first await, so two staffings recorded at once get their own register entries.
      facts.temporarySeq += 1;
      const entryKey = `temporary:${facts.temporarySeq}`;
      const entry: TemporaryStaffingEntry = { places: t.places, from: t.from, reason: t.reason, recordedBy: t.actor, recordedAt: new Date().toISOString() };
      try {
        const r = await acts.registerTemporaryStaffing({ caseId: c.state.caseId, entryKey, tilbud: tilbudRef(k), places: t.places, from: t.from, reason: entry.reason, actor: t.actor });
        facts.registerId = r.tilbudId;
        details.temporaryStaffing.push(entry);
        const what = t.places === 0 ? 'Den midlertidige normering ophører' : `Midlertidig ${t.places > 0 ? 'opnormering' : 'nednormering'} med ${Math.abs(t.places)} pladser`;
        await c.publish(
          {},
          {
            description: `${what} fra ${date(t.from)} (${r.fixedPlaces} faste pladser, ${r.fixedPlaces + t.places} i drift; den varige ændring behandles fortsat). Begrundelse: ${entry.reason}`,
            actor: t.actor,
          },
        );
      } finally {
        facts.temporaryInFlight -= 1;
      }
      return entry;
    },
  });
}

// ---- The phases of the procedure ----

/** The case is opened and classified after Tabel 4.1; the register's row at the start is kept beside it. */
async function classify(k: Capacity) {
  const { c, details, input } = k;
  await c.publish(
    { parties: [{ ...k.operatorParty, state: 'driftsherre' }] },
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
  for (const w of cls.warnings) warn(k, w);
  if (input.tilbud.id !== undefined) {
    const t = await acts.capacityTilbud({ tilbudId: input.tilbud.id });
    details.registerAtStart = t ? { fixedPlaces: t.fixedPlaces, temporaryPlaces: t.temporaryPlaces } : null;
    // A-2: the classification counts from the places the caller gives (the period's baseline); a register that
    // says otherwise is shown, not silently corrected.
    if (t && t.fixedPlaces !== input.currentPlaces) {
      warn(k, `Kapacitetsregistret har ${t.fixedPlaces} faste pladser for ${t.name}; ændringen er klassificeret ud fra ${input.currentPlaces} pladser`);
    }
  } else {
    details.registerAtStart = null;
  }
  await c.publish(
    { stage: `Klassificeret: ${ROUTE_LABELS[cls.route].toLowerCase()}` },
    { description: `Klassificeret efter Tabel 4.1, række ${cls.tableRow} (${cls.sources.join(', ')}): ${cls.description}`, actor: 'system' },
  );
  return { cls, effectiveFrom };
}

/** The justifications of the row: asked for when the start did not give them all, or again when SDF sent the
 * case back; the flow waits until reviseJustifications gives them. */
async function justificationStep(k: Capacity, cls: CapacityChangeClassification, revise: boolean): Promise<void> {
  const { c, facts, input } = k;
  const required = justificationsOwedAtStart(cls);
  if (!revise && !justificationProblem(input.justifications, required)) return;
  const round = (facts.justificationsAsked += 1);
  await c.publish(
    { stage: revise ? 'Begrundelserne skal revideres' : 'Afventer begrundelser' },
    {
      description: revise
        ? 'Socialdirektørforum har sendt sagen tilbage: begrundelserne skal revideres, før sagen behandles igen'
        : `Begrundelserne efter Tabel 4.1 mangler eller er ufuldstændige: ${justificationProblem(input.justifications, required)}`,
      actor: 'system',
    },
  );
  await condition(() => facts.justificationsGiven >= round);
}

/** Row 5: the closure procedure (P3) runs the SDF hearing, the notices and the settlement; this case hands over. */
async function handOverToClosure(k: Capacity, cls: CapacityChangeClassification): Promise<void> {
  const { c, details, input } = k;
  await justificationStep(k, cls, false);
  const fuRecipients = await acts.forumRecipients({ body: 'FU' });
  const closureCaseId = `${c.state.caseId}-LUK`;
  const closureInput: ClosureInput = {
    tilbudName: input.tilbud.name,
    operator: { ...k.operatorParty, type: input.operator.type },
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
    k,
    'Overdraget til lukningsproceduren',
    `Lukningen behandles i sagen ${closureCaseId} (høring i Socialdirektørforum, meddelelse til kommunerne og lukkeregnskab, Rammeaftalens bilag 4 og 5)` +
      (input.closure?.structure ? '' : '. Tilbuddet behandles som en del af en økonomisk enhed, da det ikke er angivet som selvstændigt (002:1930-1935)'),
    'handedToClosure',
  );
}

/** "Senest ifm. den politiske behandling … dog senest 3 måneder før" (002:1529-1531): the deadline, and the
 * driftsherre is told. */
async function setReportDeadline(k: Capacity, cls: CapacityChangeClassification): Promise<void> {
  const { c, input, operatorParty } = k;
  const rd = cls.reportDeadline!;
  const report = await k.deadlines.add('report', 'Indberetning af kapacitetsændringen', { wording: rd.wording, rule: rd.rule, nominalDate: rd.nominalDate }, input.ladder);
  // The block re-derives the date from the spec; the classification's reason (which of the two dates won) is
  // kept here in the journal.
  await c.publish({ parties: partyStates(k) }, { description: `Frist for indberetning: ${date(report.plan.deadline.dueDate)}. ${rd.reason ?? ''}`.trim(), actor: 'system' });
  await c.attempt('E-mailen til driftsherren kunne ikke sendes', () => acts.notifyParties({
    caseId: c.state.caseId,
    procedure: 'capacityChange',
    step: 'report',
    partyIds: [operatorParty.partyId],
    ...reportDeadlineNotice(input, cls, report.plan.deadline.dueDate, c.state.caseId),
    deadline: { ...report.plan.deadline, revision: report.revision },
  }));
}

/** The report deadline's notices: reminders to the driftsherre and the secretariat, the late flag, escalation. */
async function followReport(k: Capacity): Promise<void> {
  const { deadlines, details, facts } = k;
  for (;;) {
    const d = deadlines.get('report');
    const revision = d.revision;
    const result = await deadlines.follow('report', {
      isDone: () => details.report !== undefined || facts.finished,
      onPoint: (p, entry) => reportNotice(k, p, entry.plan.deadline, entry.revision),
    });
    if (result === 'done') return;
    // Every notice has fired; only an extended deadline (extendDeadline) makes new ones.
    await condition(() => details.report !== undefined || facts.finished || d.revision !== revision);
    if (details.report !== undefined || facts.finished) return;
  }
}

async function reportNotice(k: Capacity, p: DeadlinePoint, deadline: PlannedDeadline['deadline'], revision: number): Promise<void> {
  const { c, details, input } = k;
  const dueText = date(deadline.dueDate);
  if (p.kind === 'reminder' || p.kind === 'due') {
    const reminder = reportReminder(input, p.kind, deadline.dueDate);
    await c.attempt('E-mailen til driftsherren kunne ikke sendes', () => acts.notifyParties({
      caseId: c.state.caseId,
      procedure: 'capacityChange',
      step: 'report',
      reminder: `${p.kind}:${p.date}`,
      partyIds: [k.operatorParty.partyId],
      subject: reminder.subject,
      content: reportReminderContent(input, reminder, c.state.caseId),
      deadline: { ...deadline, revision },
    }));
    await acts.notifySecretariat({ caseId: c.state.caseId, step: `report:${p.kind}:${p.date}`, subject: reminder.subject, heading: reminder.subject, paragraphs: reminder.paragraphs });
    await c.publish({}, { description: `Påmindelse om indberetning (frist ${dueText}) sendt til ${input.operator.name} og sekretariatet`, actor: 'system' });
  } else if (p.kind === 'expired') {
    details.reportLate = true;
    const w = `Fristen for indberetning (${dueText}) er overskredet; ${input.operator.name} har ikke indberettet kapacitetsændringen`;
    warn(k, w);
    await c.publish({ parties: partyStates(k) }, { description: `ADVARSEL: ${w}`, actor: 'system' });
  } else {
    await acts.notifySecretariat({ caseId: c.state.caseId, step: `report:escalation:${p.date}`, ...reportEscalation(input, deadline.dueDate, c.state.caseId) });
    await c.publish({}, { description: 'Manglende indberetning er eskaleret til sekretariatet', actor: 'system' });
  }
}

async function broadcastParties(k: Capacity): Promise<{ partyId: string; name: string }[]> {
  const region = await acts.listRegionParties({ region: CAPACITY_REGION });
  const all = [...region];
  for (const p of k.input.otherUserMunicipalities) if (!all.some((x) => x.partyId === p.partyId)) all.push(p);
  return all;
}

/** "Meddeles alle kommuner i Syddanmark og eventuelle andre brugerkommuner" (002:1564-1565). */
async function broadcast(k: Capacity, cls: CapacityChangeClassification, round: number): Promise<void> {
  const { c, details, input, operatorParty } = k;
  const parties = await broadcastParties(k);
  const revised = round > 1;
  const r = await c.orElse('Meddelelsen til parterne kunne ikke sendes', NOTHING_SENT, () => acts.notifyParties({
    caseId: c.state.caseId,
    procedure: 'capacityChange',
    step: 'broadcast',
    reminder: revised ? `revision:${round}` : '',
    partyIds: parties.map((p) => p.partyId),
    ...broadcastNotice(input, cls, details, revised, c.state.caseId),
  }));
  details.broadcasts.push({ round, parties: parties.length, emails: r.recipients, withoutContact: r.partiesWithoutContact });
  const others = parties.filter((p) => p.partyId !== operatorParty.partyId).map((p) => ({ ...p, state: revised ? 'meddelt (revideret)' : 'meddelt' }));
  c.state.parties = [{ ...operatorParty, state: 'driftsherre' }, ...others];
  await c.publish(
    { parties: partyStates(k) },
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
async function broadcastOutcome(k: Capacity, outcome: { subject: string; text: string }): Promise<void> {
  const { c } = k;
  if (!k.details.broadcasts.length) return;
  const parties = await broadcastParties(k);
  const r = await c.orElse('Meddelelsen til parterne kunne ikke sendes', NOTHING_SENT, () => acts.notifyParties({
    caseId: c.state.caseId,
    procedure: 'capacityChange',
    step: 'outcome',
    partyIds: parties.map((p) => p.partyId),
    ...outcomeNotice(k.input, outcome, c.state.caseId),
  }));
  await c.publish({}, { description: `${outcome.subject}: meddelt ${parties.length} parter (${r.recipients} e-mails)`, actor: 'system' });
}

/** Row 3: Forretningsudvalget is oriented; the orientation is not a decision. */
async function orientFu(k: Capacity, cls: CapacityChangeClassification): Promise<void> {
  const { c, details } = k;
  const r = await acts.notifyForum({ caseId: c.state.caseId, body: 'FU', step: 'fu-orientation', ...fuOrientation(k.input, cls, details) });
  details.forum = { body: 'FU', step: 'orientation', outcome: r.recipients.length ? 'oriented' : 'noRecipients', recipients: r.recipients };
  if (!r.recipients.length) warn(k, 'Forretningsudvalget er ikke orienteret: der er ingen modtagere registreret for FU (forum_recipient)');
  await c.publish(
    { stage: 'Forretningsudvalget orienteret' },
    {
      description: r.recipients.length
        ? `Forretningsudvalget er orienteret (${r.recipients.join(', ')}); orienteringen er ikke en beslutning`
        : 'ADVARSEL: Forretningsudvalget kunne ikke orienteres, da der ikke er registreret modtagere',
      actor: 'system',
    },
  );
}

/** Rows 2 and 4: SDF's statement (advisory), or its approval of a new regional tilbud (binding, 002:1520).
 * 'amend' sends the case back to the justifications. */
async function sdfStep(k: Capacity, cls: CapacityChangeClassification): Promise<'done' | 'amend' | 'blocked'> {
  const { c, details } = k;
  const approval = cls.forumStep === 'approval';
  const label = approval ? 'Godkendelse i Socialdirektørforum' : 'Udtalelse fra Socialdirektørforum';
  // A-5: SDF should have treated the change before it takes effect, so its meeting is planned before that day.
  const outcome = await k.approvals.run('sdf', label, ['SDF'], { deadlineDueDate: k.input.effectiveDate });
  const step = c.state.approvals.sdf!.steps[0]!;
  details.forum = { body: 'SDF', step: cls.forumStep, outcome, meetingDate: step.meetingDate, note: step.note, decidedBy: step.decidedBy };
  if (outcome === 'amend') return 'amend';
  if (approval) {
    if (outcome === 'rejected') return 'blocked';
    await c.publish({}, { description: `${BODY_NAMES.SDF} har godkendt det nye regionale tilbud (002:1520)`, actor: 'system' });
    return 'done';
  }
  if (outcome === 'rejected') warn(k, `${BODY_NAMES.SDF} har afgivet en negativ udtalelse (møde ${date(step.meetingDate!)})`);
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

/** The justifications, the notice to everyone and the forum, round after round while SDF sends the case back. */
async function prepareAndTreat(k: Capacity, cls: CapacityChangeClassification): Promise<'done' | 'blocked'> {
  for (let revise = false; ; revise = true) {
    await justificationStep(k, cls, revise);
    k.details.justificationRound += 1;
    await broadcast(k, cls, k.details.justificationRound);
    if (cls.forumBody === 'FU') {
      await orientFu(k, cls);
      return 'done';
    }
    const result = await sdfStep(k, cls);
    if (result !== 'amend') return result;
  }
}

/** The driftsherre's council decides; the flow waits for recordPoliticalDecision. */
async function politicalDecision(k: Capacity): Promise<NonNullable<CapacityChangeDetails['politicalDecision']>> {
  k.facts.forumDone = true;
  await k.c.publish({ stage: 'Afventer politisk beslutning' }, { description: `Sagen afventer den politiske beslutning hos ${k.input.operator.name}`, actor: 'system' });
  await condition(() => k.details.politicalDecision !== undefined);
  return k.details.politicalDecision!;
}

/** Waits for the effective date (00:00 Copenhagen time) on a durable timer. */
async function untilEffective(effectiveFrom: string): Promise<void> {
  const wait = Date.parse(effectiveFrom) - Date.now();
  if (wait > 0) await sleep(wait);
}

/** The permanent change enters the capacity register (and ends a temporary staffing). */
async function register(k: Capacity, cls: CapacityChangeClassification, reason: string): Promise<void> {
  const { c, details, facts, input } = k;
  // A temporary staffing being written now must land before the permanent change ends it.
  facts.registering = true;
  await condition(() => facts.temporaryInFlight === 0);
  const r = await acts.registerPermanentCapacity({
    caseId: c.state.caseId,
    tilbud: tilbudRef(k),
    newPlaces: input.newPlaces,
    changeDate: input.effectiveDate,
    reason,
    actor: 'system',
    endTemporary: details.temporaryStaffing.length > 0,
  });
  facts.registerId = r.tilbudId;
  details.registration = { tilbudId: r.tilbudId, oldPlaces: r.oldPlaces, newPlaces: r.newPlaces, date: input.effectiveDate, endedTemporaryPlaces: r.endedTemporaryPlaces };
  details.outcome = 'registered';
  if (cls.route !== 'free') await acts.notifySecretariat({ caseId: c.state.caseId, step: 'registered', ...registeredNotice(input, r, reason) });
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

/** The case's outcome: the report deadline closes, a temporary staffing left standing is flagged. */
async function finish(k: Capacity, stage: string, description: string, outcome: CapacityChangeDetails['outcome']): Promise<void> {
  const { c, deadlines, details } = k;
  k.facts.finished = true;
  details.outcome = outcome;
  if (reportDue(k) && deadlines.get('report').status === 'open') {
    if (outcome === 'registered') {
      warn(k, 'Ændringen er registreret, uden at den er indberettet');
      await deadlines.close('report', 'expired');
    } else {
      await deadlines.close('report', 'cancelled');
    }
  }
  const temporary = details.temporaryStaffing.at(-1);
  if (outcome !== 'registered' && temporary && temporary.places !== 0) {
    warn(k, `Den midlertidige normering (${signed(temporary.places)} pladser) står fortsat i kapacitetsregistret; driftsherren skal tilpasse driften`);
  }
  await c.publish({ stage, status: 'completed', parties: partyStates(k) }, { description, actor: 'system' });
}

export async function capacityChange(input: CapacityChangeInput): Promise<{ route: string; outcome: string; status: string }> {
  const k = openCase(input);
  registerSteps(k);
  const { c, details } = k;

  const outcome = await runUntilWithdrawn(c, async () => {
    // Classify the change after Tabel 4.1 (rammeaftale.md §3.4, step 2).
    const { cls, effectiveFrom } = await classify(k);

    // Row 1: a minor change is free; it is registered on the effective date.
    if (cls.route === 'free') {
      await c.publish({ stage: 'Fri ændring – afventer ikrafttræden' }, { description: `Ændringen kan foretages frit (±${cls.freeLimit} pladser) og registreres ${date(input.effectiveDate)}`, actor: 'system' });
      await untilEffective(effectiveFrom);
      await register(k, cls, `${ROUTE_LABELS.free} (Tabel 4.1, række 1): ${input.currentPlaces} → ${input.newPlaces} pladser, frit inden for ±${cls.freeLimit}`);
      await finish(k, 'Registreret', `Den frie ændring er registreret med virkning fra ${date(input.effectiveDate)}`, 'registered');
      return;
    }

    // Row 5: a closure is handed over to the closure procedure as a child case.
    if (cls.route === 'closure') {
      await handOverToClosure(k, cls);
      return;
    }

    // Rows 2-4: the report deadline runs beside the rest of the case.
    await setReportDeadline(k, cls);
    const reportWatch = followReport(k);

    // Prepare the case (justifications), tell everyone, and the forum step (steps 3-5), again if SDF sends it back.
    if ((await prepareAndTreat(k, cls)) === 'blocked') {
      await broadcastOutcome(k, rejectedBySdfOutcome(input, BODY_NAMES.SDF));
      await finish(k, 'Afvist af Socialdirektørforum', `${BODY_NAMES.SDF} har afvist det nye regionale tilbud; tilbuddet oprettes ikke, og intet er registreret (002:1520)`, 'rejectedBySdf');
      await reportWatch;
      return;
    }

    // The political decision in the driftsherre's council (step 6).
    const decision = await politicalDecision(k);
    if (!decision.approved) {
      await broadcastOutcome(k, notAdoptedOutcome(input, decision.meetingDate));
      await finish(k, 'Ikke vedtaget', 'Ændringen er ikke vedtaget politisk; intet er registreret', 'notAdopted');
      await reportWatch;
      return;
    }

    // The permanent change takes effect on the effective date (step 7).
    if (Date.parse(effectiveFrom) > Date.now()) {
      await c.publish({ stage: 'Vedtaget – afventer ikrafttræden' }, { description: `Ændringen registreres, når den træder i kraft ${date(input.effectiveDate)}`, actor: 'system' });
    }
    await untilEffective(effectiveFrom);
    await register(k, cls, `${ROUTE_LABELS[cls.route]} (Tabel 4.1, række ${cls.tableRow}): ${input.currentPlaces} → ${input.newPlaces} pladser; vedtaget ${date(decision.meetingDate)}`);
    await finish(k, 'Registreret', `Ændringen er trådt i kraft og registreret med virkning fra ${date(input.effectiveDate)}`, 'registered');
    await reportWatch;
  });

  return {
    route: details.classification?.route ?? 'unclassified',
    outcome: outcome === 'withdrawn' ? 'withdrawn' : (details.outcome ?? 'open'),
    status: c.state.status,
  };
}
