/**
 * The capacity-change procedure's contract (kapacitetsændring, Tabel 4.1): its start input, what it hands over to
 * a closure it starts, the details the case carries, and the steps the secretariat records on the case page.
 */
import { z } from 'zod';
import type { CapacityChangeClassification, CapacityChangeKind, OperatorType } from '../../domain/capacityChange';
import type { ReminderLadderInput } from '../../domain/calendar/reminders';
import type { ClosureInput } from '../closure/contract';
import type { CaseState } from '../../contracts/caseState';
import { defineStep, isoDate, text, type WorkflowContract } from '../../contracts/kit/step';

/** The closure procedure's own data, when the capacity case already knows it; the rest it collects itself. */
export type ClosureHandover = Partial<
  Pick<ClosureInput, 'structure' | 'turnoverDecisionYear' | 'otherUnitsTurnoverDecisionYear' | 'payers' | 'actingMunicipalities' | 'otherRegionalTilbud' | 'noticeReading' | 'ladder'>
>;

export interface CapacityChangeInput {
  /** The driftsherre, as the directory names it. */
  operator: { partyId: string; name: string; type: OperatorType };
  /** `id` is the tilbud's id in the capacity register; absent for a tilbud the register does not hold yet. */
  tilbud: { id?: number; name: string; targetGroup: string };
  kind: CapacityChangeKind;
  currentPlaces: number;
  newPlaces: number;
  effectiveDate: string;
  politicalTreatmentDate?: string | null;
  /** The answers to the row's "Begrundelser" of Tabel 4.1, in the table's order. */
  justifications: string[];
  /** "eventuelle andre brugerkommuner" (002:1564-1565): user municipalities outside the region. */
  otherUserMunicipalities: { partyId: string; name: string }[];
  /** Reminder ladder of the report deadline; the calendar's default (14, 7, 1 working days, due day, escalation). */
  ladder?: ReminderLadderInput;
  closure?: ClosureHandover;
  startedBy: string;
  caseUrl: string;
}

/** A tilbud as the procedure knows it: by its register id, or by name for one the register does not hold yet. */
export interface TilbudRef {
  id?: number;
  name: string;
  operatorPartyId: string;
  targetGroup: string;
  /** Fixed places to enter it with when the register does not hold it yet. */
  basePlaces: number;
}

export interface TemporaryStaffingEntry {
  /** Places relative to the fixed places: + up-staffing, − down-staffing, 0 ends the temporary staffing. */
  places: number;
  from: string;
  reason: string;
  recordedBy: string;
  recordedAt: string;
}

/** What the case carries (CaseState.details): the change, its classification and every fact the steps record. */
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

/** The routes of Tabel 4.1 as the case page, the stages and the notices name them. */
export const ROUTE_LABELS: Record<CapacityChangeClassification['route'], string> = {
  free: 'Mindre ændring af pladsantallet',
  expansion: 'Oprettelse af pladser ud over den frie grænse',
  reduction: 'Nedlæggelse af pladser ud over den frie grænse',
  newTilbud: 'Oprettelse af nyt tilbud',
  closure: 'Lukning af tilbud',
};

// ---------------------------------------------------------------------------------------------------------------
// The steps the driftsherre's answers are recorded by (on the case page, by the secretariat)
// ---------------------------------------------------------------------------------------------------------------

/** The shortest justification or report the procedure takes. */
export const MIN_TEXT = 10;

/** The requirements of Tabel 4.1 the case's justifications answer, in the table's order. */
export function justificationRequirements(s: CaseState): string[] {
  const d = s.details as Partial<CapacityChangeDetails>;
  return d.justifications?.length ? d.justifications.map((j) => j.requirement) : [...(d.classification?.justifications ?? [])];
}

export const reviseJustificationsStep = defineStep<CapacityChangeDetails>()({
  name: 'reviseJustifications',
  label: 'Registrér begrundelser efter tabel 4.1',
  takenBy: 'secretariat',
  // How many the row of Tabel 4.1 owes, and whether they changed since SDF sent the case back, the workflow checks.
  input: z.object({ justifications: z.array(text(MIN_TEXT), { error: 'Skal angives som en liste af tekster' }) }),
  form: {
    labels: { justifications: 'Begrundelser efter tabel 4.1' },
    widgets: { justifications: 'textRows' },
    hints: { justifications: `Én begrundelse pr. krav i tabel 4.1, hver på mindst ${MIN_TEXT} tegn.` },
  },
  notDue: 'Sagen afventer ikke begrundelser nu',
  example: { justifications: ['Ventelisten er på 12 borgere; taksten falder med ca. 2 % ved 10 ekstra pladser.'] },
  fromCase: (s) => {
    const required = justificationRequirements(s);
    const given = (s.details as Partial<CapacityChangeDetails>).justifications ?? [];
    return {
      values: { justifications: required.map((_, i) => given[i]?.text ?? '') },
      labels: Object.fromEntries(required.map((r, i) => [`justifications.${i}`, r])),
    };
  },
});

export const submitReportStep = defineStep<{ late: boolean; dueDate: string }>()({
  name: 'submitReport',
  label: 'Indberet kapacitetsændringen',
  takenBy: 'secretariat',
  input: z.object({ text: text(MIN_TEXT) }),
  form: { labels: { text: 'Indberetningens tekst' }, widgets: { text: 'textarea' } },
  notDue: 'Der afventes ingen indberetning i denne sag',
  example: { text: 'Indberettet i indberetningsdatabasen 24. november 2023' },
});

export const recordPoliticalDecisionStep = defineStep<CapacityChangeDetails>()({
  name: 'recordPoliticalDecision',
  label: 'Registrér den politiske beslutning',
  takenBy: 'secretariat',
  // A meeting in the future the workflow refuses (it knows today).
  input: z.object({ approved: z.boolean({ error: 'Angiv om ændringen er vedtaget' }), meetingDate: isoDate() }),
  form: { labels: { approved: 'Er ændringen vedtaget?', meetingDate: 'Mødedato' }, widgets: { approved: 'yesno', meetingDate: 'date' } },
  notDue: 'Sagen afventer ikke en politisk beslutning',
  example: { approved: true, meetingDate: '2023-11-28' },
});

const PLACES_MESSAGE = 'Skal være et helt tal (+ for opnormering, − for nednormering, 0 for ophør)';

export const recordTemporaryStaffingStep = defineStep<TemporaryStaffingEntry>()({
  name: 'recordTemporaryStaffing',
  label: 'Registrér midlertidig op- eller nednormering',
  takenBy: 'secretariat',
  // The places against the tilbud's fixed places and the start against the effective date the workflow checks.
  input: z.object({
    places: z.number({ error: PLACES_MESSAGE }).int(PLACES_MESSAGE).min(-100_000, PLACES_MESSAGE).max(100_000, PLACES_MESSAGE),
    from: isoDate(),
    reason: z.string({ error: 'Angiv en begrundelse for den midlertidige normering' }).trim().min(5, 'Angiv en begrundelse for den midlertidige normering (mindst 5 tegn)'),
  }),
  form: {
    labels: { places: 'Pladser i forhold til de faste pladser', from: 'Fra dato', reason: 'Begrundelse' },
    hints: { places: '+ for opnormering, − for nednormering, 0 når den midlertidige normering ophører.' },
    widgets: { from: 'date', reason: 'textarea' },
  },
  notDue: 'Den varige ændring er afsluttet; en midlertidig normering registreres ikke længere i denne sag',
  example: { places: 5, from: '2023-03-13', reason: 'Ventelisten kræver midlertidigt 5 ekstra pladser' },
});

export const capacityChangeSteps = [reviseJustificationsStep, submitReportStep, recordPoliticalDecisionStep, recordTemporaryStaffingStep] as const;

/** The workflow type: started as "capacityChange" with these arguments, returning this result. */
export type CapacityChangeWorkflow = WorkflowContract<'capacityChange', [CapacityChangeInput], { route: string; outcome: string; status: string }>;
