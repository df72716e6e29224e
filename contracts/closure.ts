/**
 * The closure procedure's contract (lukning af tilbud): its start input, result and case title. Imported by the
 * API, the capacity-change procedure (which starts a closure as its child) and the workflow itself.
 */
import type { ReminderLadderInput } from '../domain/calendar/reminders';
import type { ClosureSettlementInput, ClosureSettlementResult } from '../domain/closureSettlement';

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
