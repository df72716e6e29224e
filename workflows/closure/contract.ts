/**
 * The closure procedure's contract (lukning af tilbud): its start input, result and case title, the details the
 * case carries, and its steps (what the secretariat records on the case page). Imported by the API, the
 * activities, the capacity-change procedure (which starts a closure as its child) and the workflow itself.
 */
import { z } from 'zod';
import type { ReminderLadderInput } from '../../domain/calendar/reminders';
import type { DecisionOutcome } from '../../domain/bodies';
import {
  settlementInputFromBasis,
  signedKronerSchema,
  unsignedKronerSchema,
  type ClosureSettlementInput,
  type ClosureSettlementResult,
} from '../../domain/closureSettlement';
import { defineStep, isoDate, text, type WorkflowContract } from '../../contracts/kit/step';

// ---- Start input (also what the capacity-change procedure passes when it starts a closure as its child) ----

/** closure: an ordinary closure with efterregulering; authorityClosure: closed by Socialtilsynet or another
 * authority (002:1696-1697); relocation / merger: not a closure at all (002:1699). */
export type ClosureClassification = 'closure' | 'authorityClosure' | 'relocation' | 'merger';

export interface ClosureParty {
  partyId: string;
  name: string;
}

export interface ClosurePayer extends ClosureParty {
  /** Takst turnover of the payer at the tilbud in the two accounting years before the decision year, kroner. */
  turnoverYearMinus2: string;
  turnoverYearMinus1: string;
}

export interface ClosureInput {
  tilbudName: string;
  /** The driftsherre: a municipality, or Region Syddanmark for a regional tilbud. */
  operator: ClosureParty & { type: 'municipal' | 'regional' };
  classification: ClosureClassification;
  /** Why the tilbud closes ("Lukningen begrundes", 002:1631). */
  reason: string;
  structure: 'standalone' | 'economicUnit';
  /** What the secretariat confirmed for standalone treatment (002:1687-1690); absent for an economic unit and in
   * cases started before 3 December 2026. */
  standaloneConditions?: { separateBudget: boolean; ownTakster: boolean; documentedCostKey: boolean };
  /** Takstbaseret omsætning (full-year budget) in the decision year, kroner; required unless relocation/merger. */
  turnoverDecisionYear?: string;
  /** Economic unit: the centre's other tilbud's takst turnover in the decision year, kroner. */
  otherUnitsTurnoverDecisionYear?: string;
  /** Betalingskommuner; the operator is one of them (by party id) when it pays for its own citizens. */
  payers: ClosurePayer[];
  /** Handlekommuner with citizens in the tilbud: they get the written closure notice. */
  actingMunicipalities: ClosureParty[];
  /** Regional closure: the Region's other tilbud that carry the result (omkostningsbudget / turnover, kroner). */
  otherRegionalTilbud?: { id: string; name: string; costBudget?: string; turnover?: string }[];
  /** Forretningsudvalget as e-mail addresses: the body is not defined in the Rammeaftale. */
  fuRecipients: string[];
  /** Reading of "løbende måned plus to måneder"; default the literal end-of-month reading. */
  noticeReading?: 'runningMonthPlus' | 'monthsDateToDate';
  /** Reminder ladder for the provisional closure account; default 14, 7 and 1 working days before. */
  ladder?: ReminderLadderInput;
  /** Set when another case (e.g. a capacity change) started this one. */
  parentCaseId?: string;
  startedBy: string;
}

/** What the settlement is computed from. A parent case may not know all of it when it starts the closure; the
 * rest is registered with `recordSettlementBasis` before the accounts (the two-year key depends on the decision
 * year anyway). */
export type ClosureBasis = Pick<ClosureInput, 'structure' | 'turnoverDecisionYear' | 'otherUnitsTurnoverDecisionYear' | 'payers' | 'actingMunicipalities' | 'otherRegionalTilbud'>;

export type ClosureOutcome = 'settled' | 'closedByAuthority' | 'notAClosure' | 'withdrawn';

export interface ClosureResult {
  outcome: ClosureOutcome;
  status: string;
  decisionDate?: string;
  closingDate?: string;
  ruleVersion?: string;
  settlement?: { toDistribute: string; ownRisk: string; toOtherUnits: string; settled: string; operatorTotal: string; shares: { id: string; amount: string }[] };
}

export const CLASSIFICATION_LABELS: Record<ClosureClassification, string> = {
  closure: 'Lukning af tilbud',
  authorityClosure: 'Lukning af Socialtilsynet eller anden offentlig myndighed',
  relocation: 'Flytning af tilbud',
  merger: 'Sammenlægning af tilbud',
};

export function closureCaseTitle(input: Pick<ClosureInput, 'classification' | 'tilbudName'>): string {
  return `${CLASSIFICATION_LABELS[input.classification]}: ${input.tilbudName}`;
}

// ---- What the closure activities compute and render (notice plan, settlement, documents) ----

export type NoticeReadingKind = 'runningMonthPlus' | 'monthsDateToDate';

export interface ClosureNoticePlan {
  noticeDate: string;
  reading: NoticeReadingKind;
  /** Danish description of the applied reading, e.g. "løbende måned plus 2 måneder (…)". */
  readingText: string;
  /** The earliest end the notice allows under the applied reading. */
  minimumEnd: string;
  /** The last day the handlekommuner pay for: the closing date. A closure is a notice duty on the provider
   * (002:2155-2158), not a buyer's termination (002:1975), so the notice period does not extend payment past
   * the day the tilbud closes. Plans made before 3 December 2026 hold the later of the two here. */
  paidThrough: string;
  /** The closing date comes before the notice period ends: the provider has not given the notice Bilag 6
   * asks for. Shown as a warning on the case. Absent in plans made before 3 December 2026. */
  closingBeforeNoticeEnd?: boolean;
  /** The same notice under the other reading of the phrase, shown beside the applied one; `minimumEnd`
   * is absent in plans made before 3 December 2026. */
  other: { reading: NoticeReadingKind; readingText: string; paidThrough: string; minimumEnd?: string };
  explanation: string;
}

export interface ClosureSettlementView extends ClosureSettlementResult {
  /** The shares with the names of the parties (payers) or regional tilbud they belong to. */
  named: { id: string; name: string; amount: string }[];
}

export interface ClosureDocumentContext {
  caseId: string;
  tilbudName: string;
  operatorName: string;
  ruleVersion: string;
  decisionDate: string;
  closingDate: string;
  turnoverYears: [number, number];
  /** Names of the payers (by party id) or the Region's other tilbud (by id). */
  names: Record<string, string>;
  settlementInput: ClosureSettlementInput;
  date: string;
}

// ---- What the case shows ----

export interface AccountFigures {
  /** Kroner as strings, e.g. "10000000"; carriedForward is signed (a deficit carried forward is negative). */
  income: string;
  costs: string;
  carriedForward: string;
}

export interface AccountRecord extends AccountFigures {
  revision: number;
  submittedBy: string;
  submittedAt: string;
  late?: boolean;
  auditorStatement?: string;
  /** The result and distribution the figures give (provisional: "forventede", 002:1945-1946). */
  toDistribute: string;
  shares: { id: string; amount: string }[];
}

export interface ClosureDetails {
  tilbudName: string;
  operator: ClosureInput['operator'];
  classification: ClosureClassification;
  reason: string;
  parentCaseId?: string;
  basis: ClosureBasis;
  hearing?: { outcome: DecisionOutcome; placesImportant: boolean; meetingDate?: string };
  continuationCost?: { text: string; amount: string; recordedBy: string; recordedAt: string };
  decision?: { decisionDate: string; closingDate: string; decisionYear: number; ruleVersion: string; turnoverYears: [number, number]; decidedBy: string };
  notice?: ClosureNoticePlan;
  provisionalAccount?: AccountRecord;
  materialChanges: { text: string; actor: string; at: string }[];
  finalAccount?: AccountRecord;
  settlement?: ClosureSettlementView;
}

/** The closure calculation in the engine implements this Rammeaftale (domain/closureSettlement.ts). */
export const ENGINE_RULE_VERSION = 'Rammeaftale 2023-2024';

/**
 * "Principperne for lukningen tager udgangspunkt i den Rammeaftale, der er gældende det år, hvor beslutningen
 * … besluttes" (002:1661-1662). Rammeaftaler cover two years and are prepared in the 1st and 3rd year of the
 * municipal election period (001:1810), so they start in odd years: 2023-2024, 2025-2026, …
 */
export function rammeaftaleInForce(year: number): string {
  const start = year % 2 === 1 ? year : year - 1;
  return `Rammeaftale ${start}-${start + 1}`;
}

/** The closure's case data as the settlement calculation takes it, with an account's figures. */
export function settlementInputFor(input: Pick<ClosureInput, 'operator' | 'classification'> & ClosureBasis, figures: AccountFigures): ClosureSettlementInput {
  return settlementInputFromBasis(
    {
      operatorType: input.operator.type,
      operatorPartyId: input.operator.partyId,
      structure: input.structure,
      closedByAuthority: input.classification === 'authorityClosure',
      turnoverDecisionYear: input.turnoverDecisionYear ?? '',
      otherUnitsTurnoverDecisionYear: input.otherUnitsTurnoverDecisionYear,
      payers: input.payers,
      otherRegionalTilbud: input.otherRegionalTilbud,
    },
    figures,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The steps: what the secretariat records on the case page
// ---------------------------------------------------------------------------------------------------------------

const partyIdSchema = z.string({ error: 'Skal angives med sit part-id fra adressebogen, fx "461"' }).regex(/^[a-z0-9-]+$/, 'Ukendt part-id (fx "461" eller "region-syddanmark")');
/** A name given with a party id; absent, the workflow takes it from the case or the directory. */
const partyNameSchema = z.string().trim().min(1, 'Skal udfyldes').optional();

export const recordSettlementBasisStep = defineStep<ClosureDetails>()({
  name: 'recordSettlementBasis',
  label: 'Registrér grundlaget for efterreguleringen',
  takenBy: 'secretariat',
  input: z
    .object({
      structure: z.enum(['standalone', 'economicUnit'], { error: 'Skal være "standalone" (selvstændigt tilbud) eller "economicUnit" (del af en økonomisk enhed)' }).optional(),
      turnoverDecisionYear: unsignedKronerSchema.optional(),
      otherUnitsTurnoverDecisionYear: unsignedKronerSchema.optional(),
      payers: z
        .array(z.object({ partyId: partyIdSchema, name: partyNameSchema, turnoverYearMinus2: unsignedKronerSchema, turnoverYearMinus1: unsignedKronerSchema }), { error: 'Skal være en liste' })
        .optional(),
      /** Party ids (the form), or parties with their names (as a parent case or an API client gives them). */
      actingMunicipalities: z.array(z.union([partyIdSchema, z.object({ partyId: partyIdSchema, name: partyNameSchema })]), { error: 'Skal være en liste' }).optional(),
      otherRegionalTilbud: z
        .array(
          z.object({ id: text(1, 200), name: text(1, 200), costBudget: unsignedKronerSchema.optional(), turnover: unsignedKronerSchema.optional() }),
          { error: 'Skal være en liste' },
        )
        .optional(),
    }),
  form: {
    intro: 'Udfyld kun det, der skal ændres. Tomme felter bevarer det registrerede.',
    labels: {
      structure: 'Tilbuddets struktur',
      turnoverDecisionYear: 'Takstbaseret omsætning i beslutningsåret (kr.)',
      otherUnitsTurnoverDecisionYear: 'Centrets øvrige tilbuds omsætning i beslutningsåret (kr.)',
      payers: 'Betalingskommuner',
      'payers.*.partyId': 'Betalingskommune',
      'payers.*.name': 'Betalingskommunens navn',
      'payers.*.turnoverYearMinus2': 'Omsætning to år før beslutningsåret (kr.)',
      'payers.*.turnoverYearMinus1': 'Omsætning året før beslutningsåret (kr.)',
      actingMunicipalities: 'Handlekommuner',
      otherRegionalTilbud: 'Regionens øvrige tilbud',
      'otherRegionalTilbud.*.id': 'Id',
      'otherRegionalTilbud.*.name': 'Navn',
      'otherRegionalTilbud.*.costBudget': 'Omkostningsbudget (kr.)',
      'otherRegionalTilbud.*.turnover': 'Takstbaseret omsætning (kr.)',
    },
    hints: {
      payers: 'Fordelingsnøglen er hver betalingskommunes andel af omsætningen i de to år før beslutningsåret. Angivne betalingskommuner erstatter de registrerede.',
      actingMunicipalities: 'De får den skriftlige opsigelse. Angivne handlekommuner erstatter de registrerede.',
    },
    enumLabels: { structure: { standalone: 'Selvstændigt tilbud', economicUnit: 'Del af en økonomisk enhed (center)' } },
    widgets: {
      turnoverDecisionYear: 'kroner',
      otherUnitsTurnoverDecisionYear: 'kroner',
      'payers.*.partyId': 'party',
      'payers.*.turnoverYearMinus2': 'kroner',
      'payers.*.turnoverYearMinus1': 'kroner',
      actingMunicipalities: 'parties',
    },
    partyFilter: { 'payers.*.partyId': 'municipalities', actingMunicipalities: 'municipalities' },
    // As the legacy form: the structure and the Region's other tilbud are given at the start (or through the API).
    omit: ['structure', 'payers.*.name', 'otherRegionalTilbud'],
    blankRows: 3,
  },
  notDue: 'Grundlaget for efterreguleringen kan ikke registreres nu (kun frem til det endelige lukkeregnskab)',
  example: { turnoverDecisionYear: '8000000', payers: [{ partyId: '630', turnoverYearMinus2: '500000', turnoverYearMinus1: '500000' }], actingMunicipalities: ['621'] },
});
export type SettlementBasisStepInput = z.output<typeof recordSettlementBasisStep.input>;

export const recordContinuationCostStep = defineStep<ClosureDetails>()({
  name: 'recordContinuationCost',
  label: 'Dokumentér omkostningerne ved at videreføre tilbuddet',
  takenBy: 'secretariat',
  input: z.object({ text: text(10, 20_000), amount: unsignedKronerSchema }),
  form: {
    labels: { text: 'De økonomiske konsekvenser ved at videreføre tilbuddet', amount: 'Beløb' },
    hints: { text: 'Mindst 10 tegn (002:1633-1636).', amount: 'I kroner, fx 2.500.000.' },
    widgets: { text: 'textarea', amount: 'kroner' },
  },
  notDue: 'Dokumentation af omkostningerne ved at videreføre tilbuddet er ikke aktuelt nu',
  example: { text: 'Fortsat drift kræver underskudsdækning på 2,5 mio. kr. om året', amount: '2500000' },
});

export const recordClosureDecisionStep = defineStep<ClosureDetails>()({
  name: 'recordClosureDecision',
  label: 'Registrér beslutningen om lukning',
  takenBy: 'secretariat',
  input: z.object({ decisionDate: isoDate(), closingDate: isoDate() }),
  form: {
    labels: { decisionDate: 'Beslutningsdato', closingDate: 'Lukkedato' },
    hints: { decisionDate: 'Beslutningsåret fastlægger fordelingsnøglen (de to foregående år) og regelsættet.' },
    widgets: { decisionDate: 'date', closingDate: 'date' },
  },
  notDue: 'Registrering af beslutningen om lukning er ikke aktuelt nu',
  example: { decisionDate: '2023-03-15', closingDate: '2023-04-30' },
});

const accountInput = { income: unsignedKronerSchema, costs: unsignedKronerSchema, carriedForward: signedKronerSchema };
const accountLabels = { income: 'Indtægter', costs: 'Omkostninger', carriedForward: 'Overført fra tidligere år' };
const accountForm = {
  hints: { income: 'I kroner.', costs: 'I kroner.', carriedForward: 'Overført over- eller underskud fra tidligere år i kroner; et underskud med minus foran.' },
  widgets: { income: 'kroner', costs: 'kroner', carriedForward: 'kroner' },
} as const;
const accountExample = { income: '10000000', costs: '13700000', carriedForward: '-1000000' };

export const submitProvisionalAccountStep = defineStep<{ accepted: true; late: boolean }>()({
  name: 'submitProvisionalAccount',
  label: 'Indsend det foreløbige lukkeregnskab',
  takenBy: 'secretariat',
  input: z.object(accountInput),
  form: { labels: accountLabels, ...accountForm },
  notDue: 'Indsendelse af det foreløbige lukkeregnskab er ikke aktuelt nu',
  example: accountExample,
});

export const announceMaterialChangeStep = defineStep<{ recipients: number }>()({
  name: 'announceMaterialChange',
  label: 'Meddel en væsentlig ændring',
  takenBy: 'secretariat',
  input: z.object({ text: text(10, 20_000) }),
  form: { labels: { text: 'Den væsentlige ændring' }, hints: { text: 'Mindst 10 tegn; sendes til Forretningsudvalget og de berørte kommuner.' }, widgets: { text: 'textarea' } },
  notDue: 'Meddelelse om væsentlige ændringer er ikke aktuelt nu (frem til det endelige lukkeregnskab foreligger)',
  example: { text: 'Fratrædelsesudgifterne bliver ca. 300.000 kr. højere end forventet' },
});

export const submitFinalAccountStep = defineStep<{ accepted: true }>()({
  name: 'submitFinalAccount',
  label: 'Indsend det endelige, reviderede lukkeregnskab',
  takenBy: 'secretariat',
  input: z.object({ ...accountInput, auditorStatement: z.string().trim().max(20_000, 'Må højst være 20000 tegn').optional() }),
  form: {
    labels: { ...accountLabels, auditorStatement: 'Revisors påtegning' },
    hints: { ...accountForm.hints, auditorStatement: 'Skal udfyldes (mindst 10 tegn), når der skal ske en efterregulering.' },
    widgets: { ...accountForm.widgets, auditorStatement: 'textarea' },
  },
  notDue: 'Indsendelse af det endelige lukkeregnskab er ikke aktuelt nu',
  example: { ...accountExample, auditorStatement: 'Revisionspåtegning uden forbehold af 31. august 2023' },
});

export const closureSteps = [
  recordContinuationCostStep,
  recordClosureDecisionStep,
  submitProvisionalAccountStep,
  announceMaterialChangeStep,
  submitFinalAccountStep,
  recordSettlementBasisStep,
] as const;

/** The workflow type: started as "closureOfTilbud" with these arguments, returning this result. */
export type ClosureWorkflow = WorkflowContract<'closureOfTilbud', [ClosureInput], ClosureResult>;
