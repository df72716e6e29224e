/**
 * Syddansk besvarelse på en central udmelding (other-procedures.md §2).
 *
 * Social- og Boligstyrelsen (also called Socialstyrelsen; one actor) announces a target group to "landets
 * kommunalbestyrelser"; the reply is made "i regi af rammeaftalen", so it goes through KKR. The secretariat
 * collects data from named parties (e.g. the communication centres), writes a draft, which SDF, K22 and KKR
 * consider, and submits the report by the board's deadline — in 2023 "med forbehold for politisk godkendelse i
 * de enkelte kommuner", so each municipal council ratifies it afterwards (§2.3 steps 1-9).
 *
 * The steps' handlers record facts (a draft, the submission); the flow at the bottom acts on them in the order
 * of the procedure.
 */
import { allHandlersFinished, condition } from '@temporalio/workflow';
import type { DeadlinePoint } from '../../contracts/deadlines';
import type { ReminderLadderInput } from '../../domain/calendar/reminders';
import { CaseRecord } from '../blocks/caseRecord';
import { DeadlineBook } from '../blocks/deadlines';
import { Collections, type CollectionView } from '../blocks/responses';
import { Approvals, BODY_NAMES, OUTCOME_LABELS, type ApprovalView, type Body } from '../blocks/approvals';
import { runUntilWithdrawn } from '../blocks/withdrawal';
import { acts } from '../blocks/proxies';
import { copenhagenToday } from '../blocks/time';
import { documentsByReference } from '../blocks/documents';
import {
  collectionAnswer,
  ratificationAnswer,
  recordDraftStep,
  submitReportStep,
  type CentralAnnouncementDetails,
  type CentralAnnouncementInput,
  type CollectionAnswer,
  type ReportAnswer,
} from './contract';
import { collectionNotice, describeDue, fmt, ratificationNotice, rejectionNotice, submissionEmail, submissionEscalation, submissionReminder } from './messages';

export type { CentralAnnouncementInput, CentralAnnouncementDetails };

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
  const c = new CaseRecord({ procedure: 'centralAnnouncement', title: `Central udmelding: ${a.title}`, stage: 'Oprettet', details: details });
  const deadlines = new DeadlineBook(c);
  const collections = new Collections(c, deadlines);
  const approvals = new Approvals(c);
  const submissionDue = () => deadlines.get('submission').plan.deadline;

  // ---- The facts the steps record ----
  const facts = { awaitingDraft: false, readyToSubmit: false, submitting: false, submitted: false, notSubmitted: false, submissionMissed: false };

  c.step(recordDraftStep, {
    dueWhen: () => facts.awaitingDraft,
    notDueBecause: () =>
      facts.submitting || facts.submitted
        ? 'Afrapporteringen er allerede indsendt; udkastet kan ikke ændres'
        : facts.notSubmitted
          ? 'Sagen er afsluttet uden indsendelse'
          : facts.readyToSubmit
            ? 'KKR Syddanmark har godkendt afrapporteringen; udkastet kan ikke ændres nu'
            : details.drafts.length === 0
              ? 'Dataindsamlingen er ikke afsluttet; udkastet kan registreres, når alle har svaret eller fristen er passeret'
              : 'Udkastet er til behandling; et nyt udkast kan først registreres, hvis det sendes tilbage til ændring',
    run: async (d) => {
      facts.awaitingDraft = false;
      const version = details.drafts.length + 1;
      details.drafts.push({ version, text: d.text, at: new Date().toISOString(), by: d.actor });
      await c.publish(
        {},
        {
          description: `Udkast til afrapportering, version ${version}, er registreret${version > 1 ? ' (ændret efter tilbagesendelse)' : ''}`,
          actor: d.actor,
          documents: [{ name: `Udkast til afrapportering – ${a.title}, version ${version}.txt`, mediaType: 'text/plain; charset=utf-8', content: d.text }],
        },
      );
      return { version };
    },
  });

  c.step(submitReportStep, {
    dueWhen: () => facts.readyToSubmit && !facts.submitting && !facts.submitted && !facts.notSubmitted,
    notDueBecause: () =>
      facts.notSubmitted
        ? 'KKR Syddanmark har afvist afrapporteringen; den indsendes ikke'
        : facts.submitting || facts.submitted
          ? `Afrapporteringen er allerede indsendt til ${a.issuedBy}`
          : 'Afrapporteringen kan først indsendes, når KKR Syddanmark har godkendt den',
    run: async (s) => {
      facts.submitting = true;
      const now = Date.now();
      const due = submissionDue();
      const late = now > Date.parse(due.dueAt);
      const date = copenhagenToday(now);
      const col = c.state.collections.collection!;
      const report = { caseId: c.state.caseId, details, answers: reportAnswers(col), date };
      const doc = documentsByReference() ? await acts.keepCentralAnnouncementReport(report) : await acts.renderCentralAnnouncementReport(report);
      await acts.sendDocument({ caseId: c.state.caseId, step: 'submission', recipient: input.boardEmail, ...submissionEmail(input, c.state.caseId, late, due), document: doc });
      details.submission = { at: new Date(now).toISOString(), date, by: s.actor, late, withReservation: input.reservation !== undefined, recipient: input.boardEmail, documentName: doc.name };
      details.outcome = 'submitted';
      facts.submitted = true;
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
      return details.submission;
    },
  });

  /** The board's date reminds the secretariat; when it passes unmet the case is flagged and stays open. */
  async function onSubmissionPoint(p: DeadlinePoint): Promise<void> {
    const due = submissionDue();
    if (p.kind === 'reminder' || p.kind === 'due') {
      await acts.notifySecretariat({ caseId: c.state.caseId, step: `submission:${p.kind}:${p.date}`, ...submissionReminder(a, due, c.state.stage) });
    } else if (p.kind === 'expired') {
      facts.submissionMissed = true;
      const w = `Fristen for indsendelse til ${a.issuedBy} (${fmt(due.dueDate)}) er overskredet; afrapporteringen er ikke indsendt`;
      if (!c.state.warnings.includes(w)) c.state.warnings.push(w);
      await acts.notifySecretariat({ caseId: c.state.caseId, step: `submission:expired:${p.date}`, ...submissionEscalation(a, due, c.state.stage, c.state.caseId) });
      await deadlines.close('submission', 'expired');
      await c.publish(facts.readyToSubmit ? { stage: STAGE.readyLate } : {}, { description: `ADVARSEL: ${w}. Sekretariatet er underrettet; afrapporteringen kan fortsat indsendes for sent`, actor: 'system' });
    }
  }

  /** Steps 1-2: the case, its two deadlines, and the named parties' answers. A late answer is still worth having
   * in the report, so the round stays open (answers flagged late) until the first draft is recorded. */
  async function collectData(): Promise<{ col: CollectionView; missing: string[] }> {
    await c.publish({ stage: STAGE.collecting }, { description: `Dataindsamling hos ${input.collectionParties.map((p) => p.name).join(', ')}`, actor: 'system' });
    const col = await collections.run({
      key: 'collection',
      label: 'Dataindsamling',
      parties: input.collectionParties,
      answer: collectionAnswer,
      describeAnswer: (x) => `${clip(x.text, 500)}${x.attachmentNames?.length ? ` (bilag: ${x.attachmentNames.join(', ')})` : ''}`,
      deadlineKey: 'collection',
      notice: collectionNotice(input, submissionDue().dueDate),
    });
    await handlersSettled();
    // Collections stops taking answers after its last notice; the round is reopened for the late ones.
    const missing = col.parties.filter((p) => p.state === 'pending').map((p) => p.name);
    if (missing.length) col.status = 'open';
    return { col, missing };
  }

  /** Step 4: the secretariat records a draft (the first, or a new one after an amendment). */
  async function draft(description: string): Promise<void> {
    const seen = details.drafts.length;
    facts.awaitingDraft = true;
    await c.publish({ stage: STAGE.drafting }, { description, actor: 'system' });
    await condition(() => details.drafts.length > seen);
    await handlersSettled();
  }

  /** The first draft closes the data collection; whoever has not answered by then is named in the journal. */
  async function closeCollection(col: CollectionView): Promise<void> {
    if (col.status !== 'open') return;
    col.status = 'finished';
    const missing = col.parties.filter((p) => p.state === 'pending');
    if (missing.length) await c.publish({}, { description: `Dataindsamlingen er lukket uden svar fra ${missing.map((p) => p.name).join(', ')}`, actor: 'system' });
  }

  /** Steps 5-7: SDF and K22 recommend, KKR decides (agenda: "KKR … godkender udkastet"). An amendment sends the
   * report back to the draft and then to the body that asked for it; bodies that already approved keep their
   * approval. A recommending body that rejects cannot stop the report: KKR still decides. True: KKR approved. */
  async function consideredAndApproved(): Promise<boolean> {
    let bodies = CHAIN;
    for (;;) {
      const result = await approvals.run('report', 'Afrapportering', bodies, { deadlineDueDate: submissionDue().dueDate, stagePrefix: 'Afrapportering' });
      await handlersSettled();
      const view = c.state.approvals.report!;
      details.decisions.push(...decisionsOf(view));
      if (result === 'approved') return true;
      const decidedBy = view.steps.find((s) => s.status === result)!.body;
      if (result === 'amend') {
        bodies = CHAIN.slice(CHAIN.indexOf(decidedBy));
        await draft('Udkastet er sendt tilbage til ændring; sekretariatet udarbejder et nyt udkast');
        continue;
      }
      if (decidedBy === 'KKR') return false;
      bodies = CHAIN.slice(CHAIN.indexOf(decidedBy) + 1);
      await c.publish({}, { description: `${BODY_NAMES[decidedBy]} anbefaler ikke udkastet; afrapporteringen går videre til ${BODY_NAMES[bodies[0]!]}, som træffer beslutning uden denne anbefaling`, actor: 'system' });
    }
  }

  /** KKR rejected: nothing goes to the board, and the secretariat is asked to tell it. */
  async function endWithoutSubmission(): Promise<void> {
    facts.notSubmitted = true;
    details.outcome = 'notSubmitted';
    await deadlines.close('submission', 'cancelled');
    await acts.notifySecretariat({ caseId: c.state.caseId, step: 'rejected', ...rejectionNotice(a, c.state.caseId, submissionDue().dueDate) });
    await c.publish(
      { stage: 'Afsluttet uden indsendelse: afvist af KKR Syddanmark', status: 'completed' },
      { description: `KKR Syddanmark har afvist afrapporteringen. Der indsendes ingen syddansk afrapportering til ${a.issuedBy}; sekretariatet er bedt om at orientere styrelsen`, actor: 'system' },
    );
  }

  /** Step 8: the approved report waits for the secretariat to submit it, also after the board's date. */
  async function submission(): Promise<void> {
    facts.readyToSubmit = true;
    await c.publish({ stage: facts.submissionMissed ? STAGE.readyLate : STAGE.ready }, { description: `KKR Syddanmark har godkendt afrapporteringen; den kan indsendes til ${a.issuedBy} (${input.boardEmail})`, actor: 'system' });
    await condition(() => facts.submitted);
    await handlersSettled();
    await deadlines.close('submission', details.submission!.late ? 'expired' : 'met');
  }

  /** Step 9: with the reservation, each municipal council approves the submitted report. */
  async function ratification(reservation: NonNullable<CentralAnnouncementInput['reservation']>, lateNote: string): Promise<void> {
    await deadlines.add('ratification', 'Politisk godkendelse i kommunalbestyrelserne', reservation.ratificationDeadline, input.ladder);
    await c.publish({ stage: STAGE.ratifying }, { description: 'Kommunalbestyrelserne bedes godkende afrapporteringen, så forbeholdet kan løftes', actor: 'system' });
    const r = await collections.run({
      key: 'ratification',
      label: 'Politisk godkendelse af afrapporteringen',
      parties: reservation.councils,
      answer: ratificationAnswer,
      check: (x) => (x.councilMeetingDate > copenhagenToday() ? 'Kommunalbestyrelsens mødedato kan ikke ligge i fremtiden' : undefined),
      describeAnswer: (x) => `${x.ratified ? 'godkendt' : 'ikke godkendt'} af kommunalbestyrelsen på mødet ${x.councilMeetingDate}${x.note ? ` (${x.note})` : ''}`,
      deadlineKey: 'ratification',
      notice: ratificationNotice(a, details.submission!.date),
    });
    await handlersSettled();
    const refused = r.parties.filter((p) => p.state === 'answered' && !(p.answer as { ratified: boolean }).ratified).map((p) => p.name);
    const missing = r.parties.filter((p) => p.state === 'pending').map((p) => p.name);
    if (refused.length || missing.length) {
      const w = `Forbeholdet er ikke løftet: ${[refused.length ? `ikke godkendt af ${refused.join(', ')}` : '', missing.length ? `intet svar fra ${missing.join(', ')}` : ''].filter(Boolean).join('; ')}. ${a.issuedBy} bør orienteres`;
      c.state.warnings.push(w);
      await c.publish({ stage: `Indsendt${lateNote}; forbeholdet er ikke løftet for alle kommuner`, status: 'completed' }, { description: w, actor: 'system' });
    } else {
      await c.publish({ stage: `Indsendt${lateNote} og godkendt i alle kommunalbestyrelser`, status: 'completed' }, { description: `Alle ${r.parties.length} kommunalbestyrelser har godkendt afrapporteringen; forbeholdet er løftet`, actor: 'system' });
    }
  }

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
    const submissionWatch = deadlines.follow('submission', { isDone: () => facts.submitting || facts.submitted || facts.notSubmitted, onPoint: onSubmissionPoint });

    const procedure = async () => {
      const { col, missing } = await collectData();
      await draft('Dataindsamlingen er afsluttet; sekretariatet udarbejder udkast til afrapportering' + (missing.length ? `. Mangler svar fra ${missing.join(', ')}; sene svar modtages, indtil udkastet er registreret` : ''));
      await closeCollection(col);
      if (!(await consideredAndApproved())) return endWithoutSubmission();
      await submission();
      const lateNote = details.submission!.late ? ' (efter fristen)' : '';
      if (input.reservation) return ratification(input.reservation, lateNote);
      await c.publish({ stage: `Indsendt${lateNote}`, status: 'completed' }, { description: `Sagen er afsluttet: afrapporteringen er indsendt${lateNote}`, actor: 'system' });
    };
    // Promise.all so the watch's cancellation on withdrawal is handled with the procedure's.
    await Promise.all([procedure(), submissionWatch]);
  });

  return { status: outcome === 'withdrawn' ? 'withdrawn' : c.state.status, submitted: details.outcome === 'submitted', late: details.submission?.late ?? false };
}

/** The decisions of an approval round, as the report lists them (every round is kept, the view only the last). */
function decisionsOf(view: ApprovalView): CentralAnnouncementDetails['decisions'] {
  return view.steps.flatMap((s) =>
    s.status === 'approved' || s.status === 'amend' || s.status === 'rejected'
      ? [{ round: view.round, body: s.body, bodyName: BODY_NAMES[s.body], outcome: s.status, outcomeLabel: OUTCOME_LABELS[s.status], meetingDate: s.meetingDate!, note: s.note, decidedBy: s.decidedBy }]
      : [],
  );
}

function reportAnswers(col: CollectionView): ReportAnswer[] {
  return col.parties.map((p) => ({ name: p.name, answer: p.answer as CollectionAnswer | undefined, answeredAt: p.answeredAt, late: p.late }));
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}
