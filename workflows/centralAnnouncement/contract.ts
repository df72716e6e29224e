/**
 * The central-announcement procedure's contract (centrale udmeldinger): its start input, the details the case
 * carries, the collected answers the report document is rendered from, and its steps: what the secretariat
 * records (the draft, the submission) and what the parties answer (their contribution, the councils' approval).
 */
import { z } from 'zod';
import { councilRatificationAnswer } from '../../contracts/kit/commonSteps';
import { defineStep, isoDate, type WorkflowContract } from '../../contracts/kit/step';
import type { ReminderLadderInput } from '../../domain/calendar/reminders';
import type { Body, DecisionOutcome } from '../../domain/bodies';
import type { DeadlineSpecInput } from '../../contracts/deadlines';

export interface PartyRef {
  partyId: string;
  name: string;
}

export interface AnnouncementInfo {
  /** Short name of the announcement, e.g. "Børn og unge med alvorlig synsnedsættelse (punktskriftindsatser)". */
  title: string;
  /** The target group as the announcement defines it (quoted). */
  targetGroup: string;
  issuedBy: string;
  announcementDate: string;
}

export interface CentralAnnouncementInput {
  announcement: AnnouncementInfo;
  /** What the parties are asked to answer (the questionnaire's themes), as the secretariat words it. */
  request: string;
  collectionParties: PartyRef[];
  deadlines: { collection: DeadlineSpecInput; submission: DeadlineSpecInput };
  ladder?: ReminderLadderInput;
  /** Present when the report is submitted "med forbehold for politisk godkendelse": the councils that must
   * ratify it afterwards and by when. Absent: the report is final when submitted. */
  reservation?: { councils: PartyRef[]; ratificationDeadline: DeadlineSpecInput };
  boardEmail: string;
  startedBy: string;
}

export interface DraftVersion {
  version: number;
  text: string;
  at: string;
  by: string;
}

export interface ReportDecision {
  round: number;
  body: Body;
  bodyName: string;
  outcome: DecisionOutcome;
  outcomeLabel: string;
  meetingDate: string;
  note?: string;
  decidedBy?: string;
}

export interface ReportSubmission {
  at: string;
  date: string;
  by: string;
  late: boolean;
  withReservation: boolean;
  recipient: string;
  documentName: string;
}

export interface CentralAnnouncementDetails {
  announcement: AnnouncementInfo;
  withReservation: boolean;
  boardEmail: string;
  drafts: DraftVersion[];
  /** Every decision of every round; the approval block's view keeps only the current round. */
  decisions: ReportDecision[];
  submission?: ReportSubmission;
  outcome?: 'submitted' | 'notSubmitted';
}

/** One collected answer as the report shows it. */
export interface ReportAnswer {
  name: string;
  answer?: CollectionAnswer;
  answeredAt?: string;
  late: boolean;
}

// ---- What the parties answer ----
// `text` is the field of the generic free-text answer form, so an answer link works without a form of its own.
export const collectionAnswerSchema = z.object({
  text: z.string({ error: 'Besvarelsen skal være en tekst' }).trim().min(10, 'Besvarelsen skal være mindst 10 tegn').max(50_000, 'Besvarelsen må højst være 50.000 tegn'),
  attachmentNames: z.array(z.string().trim().min(1, 'Et bilag skal have et navn').max(200, 'Et bilagsnavn må højst være 200 tegn')).max(20, 'Højst 20 bilag').optional(),
});
export type CollectionAnswer = z.infer<typeof collectionAnswerSchema>;
export const collectionAnswer = defineStep()({
  name: 'collection',
  label: 'Bidrag til afrapporteringen',
  takenBy: 'party',
  input: collectionAnswerSchema,
  form: { labels: { text: 'Besvarelse', attachmentNames: 'Bilag' }, widgets: { text: 'textarea' }, hints: { attachmentNames: 'Valgfrit: ét filnavn pr. linje. Selve dokumenterne sendes til sekretariatet pr. e-mail.' } },
  notDue: 'Der tages ikke imod bidrag nu',
  example: { text: 'Kommunen bidrager med følgende oplysninger …' },
});

/** The council's approval of a report submitted with a reservation. */
export const ratificationAnswer = councilRatificationAnswer('afrapporteringen');


// ---- What the secretariat records ----

/** The draft of the report (step 4), again after a body sent it back for amendment. */
export const recordDraftStep = defineStep<{ version: number }>()({
  name: 'recordDraft',
  label: 'Registrér udkast til afrapportering',
  takenBy: 'secretariat',
  input: z.object({
    text: z.string({ error: 'Skal være en tekst' }).trim().min(20, 'Skal være mindst 20 tegn').max(200_000, 'Må højst være 200.000 tegn'),
  }),
  form: {
    labels: { text: 'Udkastets tekst' },
    widgets: { text: 'textarea' },
    hints: { text: 'Parternes besvarelser vedlægges afrapporteringen automatisk.' },
  },
  notDue: 'Sagen er ikke åben; der kan ikke registreres et udkast til afrapportering',
  example: { text: 'Udkast: Syddanmark koordinerer indsatsen gennem de fem kommunikationscentre.' },
});

/** The submission of the approved report to the board (step 8); the case's facts say what is sent. */
export const submitReportStep = defineStep<ReportSubmission>()({
  name: 'submitReport',
  label: 'Indsend afrapporteringen til styrelsen',
  takenBy: 'secretariat',
  input: z.object({}),
  form: {
    labels: {},
    intro: 'Afrapporteringen dannes af det godkendte udkast og parternes besvarelser og sendes til styrelsens e-mailadresse.',
  },
  notDue: 'Sagen er ikke åben; afrapporteringen kan ikke indsendes',
  example: {},
});

export const centralAnnouncementSteps = [recordDraftStep, submitReportStep] as const;
export const centralAnnouncementAnswers = [collectionAnswer, ratificationAnswer] as const;

/** The workflow type: started as "centralAnnouncement" with these arguments, returning this result. */
export type CentralAnnouncementWorkflow = WorkflowContract<'centralAnnouncement', [CentralAnnouncementInput], { status: string; submitted: boolean; late: boolean }>;
