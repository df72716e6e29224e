/**
 * The 2023 central announcement on braille (punktskriftindsatser) walked through its real calendar on the
 * time-skipping test server: Social- og Boligstyrelsen's announcement of 27 September 2022, the communication
 * centres' answers, the draft of 19 April 2023, SDF → K22 → KKR, submission by Saturday 1 July 2023 with the
 * reservation, and ratification in the 22 municipal councils. A case whose submission date passes and one KKR
 * rejects run with in-memory activities in test/workflows/centralAnnouncement.test.ts.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import type { CaseState } from '../../workflows/blocks/caseRecord';
import type { CentralAnnouncementDetails, CentralAnnouncementInput } from '../../workflows/centralAnnouncement/contract';
import { centralAnnouncementInputSchema, centralAnnouncementProcedure } from '../../api/procedures/centralAnnouncement';
import { answerOf, readPostedStep } from '../../api/steps';
import { caseState as state, payloadText, refusal, sleepUntil as sleepUntilOn, startCalendarHarness, until, type CalendarHarness } from '../support/calendarHarness';
import { recordHistory } from '../support/histories';
import { BOARD, form, mailOf, SECRETARIAT } from '../support/centralAnnouncement2023';
import { answer, decideIn, expectReplays } from '../support/caseSteps';

let h: CalendarHarness;
const sleepUntil = (iso: string) => sleepUntilOn(h, iso);

/** The workflow input exactly as the API would build it from the form, names resolved from the directory. */
async function startCase(caseId: string, raw: Record<string, unknown>): Promise<{ handle: WorkflowHandle; input: CentralAnnouncementInput }> {
  const parsed = centralAnnouncementInputSchema.parse(raw);
  // Started on the test server's date, not the machine's.
  const today = new Date(await h.env.currentTimeMs()).toISOString().slice(0, 10);
  const [input] = (await centralAnnouncementProcedure.toWorkflowArgs(parsed, { caseId, actor: 'sekretariatet (test)', publicUrl: 'http://127.0.0.1', pool: h.pool, today })) as [CentralAnnouncementInput];
  const handle = await h.env.client.workflow.start(centralAnnouncementProcedure.workflowType, { taskQueue: h.taskQueue, workflowId: caseId, args: [input] });
  return { handle, input };
}


const details = (s: CaseState) => s.details as unknown as CentralAnnouncementDetails;

/** The reason a workflow gave for refusing an Update (the validator's message). */

/** Polls the case (in real time, without skipping) until the workflow has reached what the test expects. */

/** A worker restarted mid-case replays the history it finds: the code must reproduce it exactly. */

const decide = (handle: WorkflowHandle, body: string, outcome: string, meetingDate: string, note?: string) => decideIn(handle, 'report', body, outcome, meetingDate, note, 'sekretariatet');

beforeAll(async () => {
  h = await startCalendarHarness('2022-09-27 08:00:00');
});
afterAll(async () => {
  await h?.stop();
});

// Generous: the time-skipping server is slow on a loaded 2-core machine; unloaded the file runs in about two minutes.
describe('central announcement 2023 (punktskriftindsatser)', { timeout: 600_000 }, () => {
  it('from the announcement of 27 September 2022 to ratification: answers with reminders, draft, SDF, K22 amendment, KKR, submission with reservation, councils ratify', async () => {
    const caseId = `CU-2023-BRAILLE-${Date.now()}`;
    // The form: the reservation needs a ratification deadline, and the message names the field.
    const noRatDeadline = centralAnnouncementInputSchema.safeParse(form({ ratificationDeadline: undefined }));
    expect(noRatDeadline.success).toBe(false);
    expect(noRatDeadline.error!.issues[0]!.message).toMatch(/ratificationDeadline/);
    // The board's date defaults to the prudent rule (the working day before); the collection deadline to the general rule.
    const defaults = centralAnnouncementInputSchema.parse(form({ submissionDeadline: { wording: 'Deadline … er den 1. juli 2023', nominalDate: '2023-07-01' } }));
    expect(defaults.submissionDeadline.rule).toBe('backwardShift');
    const parsed = centralAnnouncementInputSchema.parse(form());
    expect(parsed.collectionDeadline.rule).toBe('generalShift');
    expect(parsed.issuedBy).toBe('Social- og Boligstyrelsen');

    const { handle, input } = await startCase(caseId, form());
    expect(input.collectionParties.map((p) => p.name)).toEqual(['Odense', 'Esbjerg', 'Aabenraa', 'Kolding', 'Vejle']);
    expect(input.reservation!.councils).toHaveLength(22);
    expect(input.reservation!.councils.some((p) => p.partyId === 'region-syddanmark')).toBe(false);

    let s = await until(handle, (x) => x.collections.collection?.status === 'open', 'the data collection to open');
    expect(s.stage).toBe('Dataindsamling');
    expect(s.deadlines.collection!.plan.deadline.dueDate).toBe('2022-11-25');
    // Saturday 1 July 2023 is kept: the board fixed it for all five secretariats.
    const sub = s.deadlines.submission!.plan.deadline;
    expect(sub.dueDate).toBe('2023-07-01');
    expect(sub.rule).toBe('noShift');
    expect(sub.shiftedFrom).toBeUndefined();
    expect(sub.reason).toBe('lørdag 1. juli 2023 er ikke en hverdag (lørdag), men datoen er fastsat og flyttes ikke');
    expect(s.journal.map((j) => j.description).join('\n')).toContain('Frist for indsendelse: lørdag 1. juli 2023');

    // Nothing can be drafted or submitted while data is being collected; invalid answers change nothing.
    expect(await refusal(handle.executeUpdate('recordDraft', { args: [{ text: 'Et alt for tidligt udkast til afrapportering', actor: 'sekretariatet' }] }))).toMatch(/Dataindsamlingen er ikke afsluttet/);
    expect(await refusal(handle.executeUpdate('submitReport', { args: [{ actor: 'sekretariatet' }] }))).toMatch(/først indsendes, når KKR Syddanmark har godkendt/);
    expect(await refusal(answer(handle, 'collection', '561', { text: 'kort' }))).toMatch(/Ugyldigt svar: Besvarelse: Besvarelsen skal være mindst 10 tegn/);
    expect(await refusal(answer(handle, 'collection', '410', { text: 'Middelfart er ikke spurgt i denne sag' }))).toMatch(/ikke spurgt/);

    // Esbjerg and Aabenraa answer at once; Esbjerg through the answer link's form, with an attachment named.
    await sleepUntil('2022-09-29T10:00:00Z');
    const form561 = readPostedStep(
      answerOf('centralAnnouncement', 'collection'),
      s,
      { text: '  Pædagogisk Enhed dækker Esbjerg, Varde, Vejen, Billund og Fanø; koordinationen er tilstrækkelig. ', attachmentNames: 'Spørgeskema Esbjerg.pdf\r\n\r\n' },
    );
    expect(form561).toEqual({ ok: true, value: { text: 'Pædagogisk Enhed dækker Esbjerg, Varde, Vejen, Billund og Fanø; koordinationen er tilstrækkelig.', attachmentNames: ['Spørgeskema Esbjerg.pdf'] } });
    expect(await answer(handle, 'collection', '561', (form561 as { value: unknown }).value)).toEqual({ accepted: true, late: false });
    await answer(handle, 'collection', '580', { text: 'Hjernecenter Syd dækker Aabenraa, Tønder, Sønderborg og Haderslev; ingen planer om ændringer.' });
    expect(await refusal(answer(handle, 'collection', '580', { text: 'Et svar mere fra Aabenraa' }))).toMatch(/Aabenraa har allerede svaret/);

    // Vejle answers after the first reminder (7 November, 14 working days before 25 November).
    await sleepUntil('2022-11-08T10:00:00Z');
    await until(handle, (x) => x.collections.collection!.parties.find((p) => p.partyId === '630')!.notices.length === 2, 'the first reminder');
    await answer(handle, 'collection', '630', { text: 'CSV Vejle/Kolding: samarbejdet om punktskrift fungerer; ingen ændringer planlagt.' });
    // Kolding answers on the last day, after the reminders of 16 and 24 November and the notice on the day.
    await sleepUntil('2022-11-25T10:00:00Z');
    await until(handle, (x) => x.collections.collection!.parties.find((p) => p.partyId === '621')!.notices.length === 5, 'the notice on the day');
    expect(await answer(handle, 'collection', '621', { text: 'Kolding henviser til CSV Vejle/Kolding og har intet at tilføje.' })).toEqual({ accepted: true, late: false });

    // Odense has not answered: flagged late at the end of 25 November, escalated on Monday 28 November.
    await sleepUntil('2022-11-28T10:00:00Z');
    s = await until(handle, (x) => x.stage === 'Udarbejdelse af udkast til afrapportering', 'the drafting stage');
    const odense = s.collections.collection!.parties.find((p) => p.partyId === '461')!;
    expect(odense.state).toBe('pending');
    expect(odense.late).toBe(true);
    expect(s.deadlines.collection!.status).toBe('expired');

    let mails = (await h.mail()).filter((m) => m.text.includes(caseId));
    const to = (addr: string) => mails.filter((m) => m.envelopeTo.includes(addr));
    expect(mails.filter((m) => m.subject.startsWith('Central udmelding om Børn og unge'))).toHaveLength(5);
    // Reminders only to those who had not answered.
    expect(to(mailOf('esbjerg')).map((m) => m.subject)).toEqual(['Central udmelding om Børn og unge med alvorlig synsnedsættelse (punktskriftindsatser): bidrag til den syddanske afrapportering']);
    expect(to(mailOf('aabenraa'))).toHaveLength(1);
    expect(to(mailOf('vejle')).map((m) => m.subject.split(':')[0])).toEqual(['Central udmelding om Børn og unge med alvorlig synsnedsættelse (punktskriftindsatser)', 'Påmindelse']);
    expect(to(mailOf('kolding'))).toHaveLength(5);
    expect(to(mailOf('odense'))).toHaveLength(5);
    const escalation = to(SECRETARIAT).filter((m) => m.subject.startsWith('Eskalering'));
    expect(escalation).toHaveLength(1);
    expect(escalation[0]!.text).toContain('Odense');
    expect(escalation[0]!.text).not.toContain('Kolding');

    // Odense's late answer is still taken (and flagged) while the secretariat drafts.
    await sleepUntil('2022-12-05T10:00:00Z');
    expect(await answer(handle, 'collection', '461', { text: 'CKV dækker de fynske kommuner; tilfredshed med den nuværende organisering.' })).toEqual({ accepted: true, late: true });

    // The draft of 19 April 2023.
    await sleepUntil('2023-04-19T10:00:00Z');
    expect(await refusal(handle.executeUpdate('recordDraft', { args: [{ text: 'For kort', actor: 'sekretariatet' }] }))).toMatch(/mindst 20 tegn/);
    const draft1 = 'Udkast 1: Der er tilfredshed med den eksisterende organisering med fire centre i Syd- og Sønderjylland og ét på Fyn.';
    expect(await handle.executeUpdate('recordDraft', { args: [{ text: draft1, actor: 'Fælleskommunalt Socialsekretariat' }] })).toEqual({ version: 1 });
    s = await until(handle, (x) => x.stage === 'Afrapportering: behandles i Socialdirektørforum', 'the SDF step');
    expect(s.approvals.report!.steps[0]!.plannedMeeting).toBe('2023-05-16');
    expect(s.collections.collection!.status).toBe('finished');
    expect(await refusal(answer(handle, 'collection', '461', { text: 'Endnu et svar efter udkastet' }))).toMatch(/Der tages ikke imod svar/);
    expect(s.journal.find((j) => j.description.startsWith('Udkast til afrapportering, version 1'))!.documents[0]!.content).toBe(draft1);
    // A meeting that has not been held cannot have decided anything.
    expect(await refusal(decide(handle, 'SDF', 'approved', '2023-05-16'))).toMatch(/fremtiden/);

    await sleepUntil('2023-05-16T15:00:00Z');
    expect(await refusal(decide(handle, 'K22', 'approved', '2023-05-16'))).toMatch(/afventer behandling i Socialdirektørforum/);
    await decide(handle, 'SDF', 'approved', '2023-05-16');
    s = await until(handle, (x) => x.stage === 'Afrapportering: behandles i K22 (kommunaldirektørkredsen)', 'the K22 step');
    expect(s.approvals.report!.steps[1]!.plannedMeeting).toBe('2023-06-13');

    // K22 sends it back on 13 June: a new draft, then a new round from K22.
    await sleepUntil('2023-06-13T15:00:00Z');
    await decide(handle, 'K22', 'amend', '2023-06-13', 'Afsnittet om overgange fra barn til voksen skal uddybes');
    s = await until(handle, (x) => x.stage === 'Udarbejdelse af udkast til afrapportering', 'back to the draft');
    expect(await refusal(handle.executeUpdate('submitReport', { args: [{ actor: 'sekretariatet' }] }))).toMatch(/først indsendes/);
    await sleepUntil('2023-06-14T09:00:00Z');
    const draft2 = 'Udkast 2: Der er tilfredshed med den eksisterende organisering. Overgangen fra barn til voksen sikres ved aftaler mellem centrene.';
    expect(await handle.executeUpdate('recordDraft', { args: [{ text: draft2, actor: 'Fælleskommunalt Socialsekretariat' }] })).toEqual({ version: 2 });
    s = await until(handle, (x) => x.approvals.report?.round === 2 && x.stage.includes('K22'), 'the second round');
    expect(s.approvals.report!.steps.map((x) => x.body)).toEqual(['K22', 'KKR']);
    // K22 has no meeting left before the deadline; the case says so, and K22 decides in writing.
    expect(s.warnings).toContain('Intet møde i K22 (kommunaldirektørkredsen) før fristen 2023-07-01: Afrapportering kan ikke nå at blive behandlet');
    await sleepUntil('2023-06-15T12:00:00Z');
    await decide(handle, 'K22', 'approved', '2023-06-15', 'Skriftlig behandling');
    s = await until(handle, (x) => x.stage === 'Afrapportering: behandles i KKR Syddanmark', 'the KKR step');
    expect(s.approvals.report!.steps[1]!.plannedMeeting).toBe('2023-06-20');
    await sleepUntil('2023-06-20T15:00:00Z');
    await decide(handle, 'KKR', 'approved', '2023-06-20');
    s = await until(handle, (x) => x.stage === 'Klar til indsendelse', 'ready to submit');
    expect(await refusal(handle.executeUpdate('recordDraft', { args: [{ text: 'Et udkast efter KKR’s godkendelse', actor: 'sekretariatet' }] }))).toMatch(/KKR Syddanmark har godkendt/);

    // Submitted on Tuesday 27 June, before Saturday 1 July, with the reservation.
    await sleepUntil('2023-06-27T09:00:00Z');
    expect(await refusal(handle.executeUpdate('submitReport', { args: [{}] }))).toMatch(/Mangler aktør/);
    const submission = await handle.executeUpdate('submitReport', { args: [{ actor: 'Fælleskommunalt Socialsekretariat' }] });
    expect(submission).toMatchObject({ date: '2023-06-27', late: false, withReservation: true, recipient: BOARD });
    expect(await refusal(handle.executeUpdate('submitReport', { args: [{ actor: 'sekretariatet' }] }))).toMatch(/allerede indsendt/);
    s = await until(handle, (x) => x.stage === 'Indsendt med forbehold – afventer politisk godkendelse i kommunalbestyrelserne', 'the ratification round');
    expect(s.deadlines.submission!.status).toBe('met');
    expect(s.warnings.some((w) => w.includes('overskredet'))).toBe(false);

    const board = (await h.mail()).filter((m) => m.envelopeTo.includes(BOARD) && m.text.includes(caseId));
    expect(board).toHaveLength(1);
    expect(board[0]!.text).toContain('med forbehold for politisk godkendelse');
    expect(board[0]!.attachments).toHaveLength(1);
    const doc = board[0]!.attachments[0]!.content;
    expect(board[0]!.attachments[0]!.filename).toBe('Syddansk afrapportering – Børn og unge med alvorlig synsnedsættelse (punktskriftindsatser).txt');
    expect(doc).toContain('Til Social- og Boligstyrelsen');
    expect(doc).toContain('Social- og Boligstyrelsen udmeldte tirsdag 27. september 2022');
    expect(doc).toContain('manglende læsesyn');
    expect(doc).toContain(draft2);
    expect(doc).not.toContain(draft1);
    expect(doc).toContain('- Esbjerg, modtaget torsdag 29. september 2022: Pædagogisk Enhed dækker');
    expect(doc).toContain('Bilag: Spørgeskema Esbjerg.pdf');
    expect(doc).toContain('- Odense, modtaget mandag 5. december 2022 (efter fristen): CKV dækker');
    expect(doc).toContain('- Socialdirektørforum: godkendt / anbefalet (tirsdag 16. maj 2023)');
    expect(doc).toContain('- K22 (kommunaldirektørkredsen): sendt tilbage til ændring (tirsdag 13. juni 2023). Afsnittet om overgange');
    expect(doc).toContain('- K22 (kommunaldirektørkredsen): godkendt / anbefalet (torsdag 15. juni 2023). Skriftlig behandling');
    expect(doc).toContain('- KKR Syddanmark: godkendt / anbefalet (tirsdag 20. juni 2023)');
    expect(doc).toContain('med forbehold for politisk godkendelse i de enkelte kommunalbestyrelser');
    // The same document is kept with the case, once, in the document store: the history carries its reference
    // (id and SHA-256), never the report's text.
    const kept = s.journal.find((j) => j.description.startsWith('Afrapporteringen er indsendt'))!.documents[0]!;
    expect(kept.content).toBe(doc);
    expect(kept.sha256).toBe(createHash('sha256').update(doc, 'utf8').digest('hex'));
    const history = payloadText(await handle.fetchHistory());
    expect(history).toContain(kept.id);
    expect(history).not.toContain('Afrapporteringen sker i regi af rammeaftalen og er derfor behandlet i KKR Syddanmark');

    // The 22 councils ratify; 21 by the end of August, Fanø after the first reminder. (The round opens in
    // the workflow task after the submission, so wait for it rather than read it from the same query.)
    s = await until(handle, (x) => x.collections.ratification?.status === 'open', 'the ratification round to open');
    expect(s.collections.ratification!.parties).toHaveLength(22);
    await sleepUntil('2023-08-31T10:00:00Z');
    expect(await refusal(answer(handle, 'ratification', '461', { ratified: true, councilMeetingDate: '2023-09-26' }))).toMatch(/fremtiden/);
    for (const p of input.reservation!.councils.filter((x) => x.partyId !== '563')) {
      await answer(handle, 'ratification', p.partyId, { ratified: true, councilMeetingDate: '2023-08-29' }, `${p.name} (link)`);
    }
    await sleepUntil('2023-09-12T10:00:00Z');
    await until(handle, (x) => x.collections.ratification!.parties.find((p) => p.partyId === '563')!.notices.length === 2, 'the reminder to Fanø');
    await answer(handle, 'ratification', '563', { ratified: true, councilMeetingDate: '2023-09-11' }, 'Fanø (link)');
    s = await until(handle, (x) => x.status === 'completed', 'the case to complete');
    expect(s.stage).toBe('Indsendt og godkendt i alle kommunalbestyrelser');
    expect(details(s).outcome).toBe('submitted');

    mails = (await h.mail()).filter((m) => m.text.includes(caseId));
    expect(mails.filter((m) => m.subject.startsWith('Politisk godkendelse:'))).toHaveLength(22);
    expect(to(mailOf('fanoe')).map((m) => m.subject.split(':')[0])).toEqual(['Politisk godkendelse', 'Påmindelse']);
    expect(to(mailOf('odense')).filter((m) => m.subject.includes('Påmindelse: politisk'))).toHaveLength(0);
    // Still exactly one e-mail to the board.
    expect((await h.mail()).filter((m) => m.envelopeTo.includes(BOARD) && m.text.includes(caseId))).toHaveLength(1);

    const { rows } = await h.pool.query('SELECT status, stage FROM case_summary WHERE case_id = $1', [caseId]);
    expect(rows[0]).toEqual({ status: 'completed', stage: 'Indsendt og godkendt i alle kommunalbestyrelser' });
    const journal = (await h.pool.query('SELECT description, actor FROM case_journal WHERE case_id = $1 ORDER BY entry_key', [caseId])).rows;
    expect(journal.find((j) => j.description.startsWith('Udkast til afrapportering, version 2'))!.actor).toBe('Fælleskommunalt Socialsekretariat');
    expect(journal.map((j) => j.description).join('\n')).toMatch(/K22 \(kommunaldirektørkredsen\) har sendt tilbage til ændring \(møde 2023-06-13\)/);
    expect(journal.map((j) => j.description).join('\n')).toMatch(/Alle 22 kommunalbestyrelser har godkendt afrapporteringen/);
    await expectReplays(handle);
    await recordHistory(handle, 'centralAnnouncement.withReservation');
    const wf = await handle.describe();
    if (wf.status.name === 'RUNNING') await handle.terminate('test done');
  });
});
