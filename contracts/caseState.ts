/**
 * The case as every layer sees it: the summary the read model stores, the journal entries, and the state the
 * case Query returns (with the views of its deadlines, answer collections and approval chains). The workflow
 * blocks fill it; the API renders it; the read-model activity writes it.
 */
import type { DocumentRef, StepDocument } from './documents';
import type { Body } from '../domain/bodies';
import type { ReminderLadderInput } from '../domain/calendar/reminders';
import type { DeadlineSpecInput, PlannedDeadline } from './deadlines';

export interface DeadlineValue {
  wording: string;
  rule: string;
  dueDate: string;
  dueAt: string;
  shiftedFrom?: string;
  reason?: string;
  /** What the deadline is for, e.g. "Kommunernes tilbagemelding". */
  label?: string;
}

/** A step an activity refused for good: the case needs the secretariat ("Kræver handling: …"). */
export interface CaseAttention {
  /** Danish, for the secretariat: what could not be done, and why. */
  reason: string;
  /** ISO instant (workflow time) when it arose. */
  since: string;
}

export interface CaseParty {
  partyId: string;
  name: string;
  state: string;
}

export interface CaseSummary {
  caseId: string;
  procedure: string;
  title: string;
  stage: string;
  status: 'open' | 'completed' | 'withdrawn' | 'failed';
  /** Omitted when it did not change since the case's previous summary (as the parties). */
  nextDeadline?: DeadlineValue | null;
  /** Omitted when they did not change since the case's previous summary: the read model keeps the newest it
   * was given (by version). */
  parties?: CaseParty[];
  /** The political body whose treatment the case waits for now (SDF, K22, KKR, FU), if any. */
  awaitingBody?: string | null;
  /** Set once a step was refused for good; absent on the happy path. */
  attention?: CaseAttention;
  /** Increases with every change the workflow makes; the read model keeps the highest it has seen. */
  version: number;
}

export interface JournalEntry {
  caseId: string;
  entryKey: string;
  at: string;
  description: string;
  actor: string;
  /** References to kept documents; content only from histories before `documents-by-reference`. */
  documents: StepDocument[];
}

export interface DeadlineExtension {
  at: string;
  actor: string;
  reason: string;
  oldDueDate: string;
  newDueDate: string;
}

export interface DeadlineEntry {
  key: string;
  label: string;
  spec: DeadlineSpecInput;
  ladder?: ReminderLadderInput;
  plan: PlannedDeadline;
  status: 'open' | 'met' | 'expired' | 'cancelled';
  /** `kind:date` of every notice already handled, kept across re-plans. */
  fired: string[];
  extensions: DeadlineExtension[];
  revision: number;
}

export interface PartyAnswer {
  partyId: string;
  name: string;
  state: 'pending' | 'answered';
  answer?: unknown;
  answerText?: string;
  answeredAt?: string;
  answeredBy?: string;
  late: boolean;
  notices: string[];
}

export interface CollectionView {
  key: string;
  label: string;
  status: 'closed' | 'open' | 'finished';
  deadlineKey: string;
  parties: PartyAnswer[];
}

export interface ApprovalStepView {
  body: Body;
  status: 'waiting' | 'current' | 'approved' | 'amend' | 'rejected';
  plannedMeeting?: string;
  meetingDate?: string;
  note?: string;
  decidedBy?: string;
}

export interface ApprovalView {
  key: string;
  label: string;
  round: number;
  steps: ApprovalStepView[];
}

export interface JournalView {
  at: string;
  description: string;
  actor: string;
  /** The documents of the step, kept in `case_documents` (content fetched on demand). */
  documents: DocumentRef[];
}

/** `D`: the procedure's details (the API reads them as the procedure's contract types them). */
export interface CaseState<D extends object = Record<string, unknown>> {
  caseId: string;
  procedure: string;
  title: string;
  stage: string;
  status: CaseSummary['status'];
  nextDeadline: DeadlineValue | null;
  parties: CaseParty[];
  /** How many journal entries the case has written; the entries themselves are in the read model only
   * (case_journal), so the Query stays small however long the case runs. */
  journalCount: number;
  deadlines: Record<string, DeadlineEntry>;
  collections: Record<string, CollectionView>;
  approvals: Record<string, ApprovalView>;
  warnings: string[];
  details: D;
  /** The procedure's own steps (Update names) that are due now, judged by the same conditions as their
   * validators; the pages offer exactly these. Computed per Query, so adding it changes no history. */
  openSteps?: string[];
  /** Each stage the case has been in and when it entered it, oldest first (the case page's timeline). */
  stageHistory?: { stage: string; at: string }[];
  /** Set once a step was refused for good ("Kræver handling"); absent on the happy path. */
  attention?: CaseAttention;
}
