/**
 * The central announcement's other routes on the time-skipping test server with in-memory activities (see
 * support/workflowHarness.ts), from 1 May 2023 (the political calendar holds the 2023 meetings): a case whose
 * submission date passes and is submitted late, and one that SDF and then KKR reject. The main path is walked on
 * the real parts in test/procedures/centralAnnouncement.calendar.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pool } from 'pg';
import type { WorkflowHandle } from '@temporalio/client';
import type { CaseState } from '../../workflows/blocks/caseRecord';
import type { CentralAnnouncementDetails, CentralAnnouncementInput } from '../../workflows/centralAnnouncement/contract';
import { centralAnnouncementInputSchema, centralAnnouncementProcedure } from '../../api/procedures/centralAnnouncement';
import { sleepUntil as sleepUntilOn, until } from '../support/calendarHarness';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflowHarness';
import { recordHistory } from '../support/histories';
import { BOARD, form, SECRETARIAT } from '../support/centralAnnouncement2023';
import { answer, decideIn, expectReplays } from '../support/caseSteps';

let h: WorkflowHarness;
const sleepUntil = (iso: string) => sleepUntilOn(h, iso);

beforeAll(async () => {
  h = await startWorkflowHarness('2023-05-01 08:00:00');
});
afterAll(async () => {
  await h?.stop();
});

/** The workflow input as the API builds it from the form. The API looks the collection parties up in the directory
 * (the one query it makes without a reservation); here it gets the in-memory directory's answer. */
async function startCase(caseId: string, raw: Record<string, unknown>): Promise<{ handle: WorkflowHandle; input: CentralAnnouncementInput }> {
  const parsed = centralAnnouncementInputSchema.parse(raw);
  if (parsed.withReservation) throw new Error('the in-memory directory answers only the collection parties (no reservation)');
  const directory = {
    query: async (_sql: string, [ids]: [string[]]) => ({
      rows: h.world.directory.filter((p) => ids.includes(p.partyId)).sort((a, b) => (a.kommunenr ?? Infinity) - (b.kommunenr ?? Infinity)).map((p) => ({ party_id: p.partyId, name: p.name })),
    }),
  } as unknown as Pool;
  const today = new Date(await h.env.currentTimeMs()).toISOString().slice(0, 10);
  const [input] = (await centralAnnouncementProcedure.toWorkflowArgs(parsed, { caseId, actor: 'sekretariatet (test)', publicUrl: 'http://127.0.0.1', pool: directory, today })) as [CentralAnnouncementInput];
  const handle = await h.env.client.workflow.start(centralAnnouncementProcedure.workflowType, { taskQueue: h.taskQueue, workflowId: caseId, args: [input] });
  return { handle, input };
}

const details = (s: CaseState) => s.details as unknown as CentralAnnouncementDetails;

/** A worker restarted mid-case replays the history it finds: the code must reproduce it exactly. */

const decide = (handle: WorkflowHandle, body: string, outcome: string, meetingDate: string, note?: string) => decideIn(handle, 'report', body, outcome, meetingDate, note, 'sekretariatet');

// Generous: the time-skipping server is slow on a loaded 2-core machine; unloaded the file runs in about two minutes.
describe('central announcement 2023: the other routes', { timeout: 120_000 }, () => {
  it('a missed submission date is flagged and the report can still be submitted late; KKR rejecting ends a case without a report', async () => {
    const lateId = `CU-2023-LATE-${Date.now()}`;
    const rejectId = `CU-2023-REJECTED-${Date.now()}`;
    const base = {
      announcementDate: '2023-04-28',
      collectionPartyIds: ['561', '580', '630'],
      collectionDeadline: { wording: 'senest onsdag den 10. maj 2023', nominalDate: '2023-05-10' },
      withReservation: false,
      ratificationDeadline: undefined,
    };
    const late = await startCase(lateId, form({ ...base, title: 'Tegnsprogsindsatser for børn og unge' }));
    const rejected = await startCase(rejectId, form({ ...base, title: 'Udsatte gravide med skadeligt rusmiddelmisbrug' }));
    for (const { handle } of [late, rejected]) {
      await until(handle, (x) => x.collections.collection?.status === 'open', 'the data collection to open');
      for (const id of ['561', '580', '630']) await answer(handle, 'collection', id, { text: `Svar fra ${id} om målgruppen og koordinationen.` });
      await until(handle, (x) => x.stage === 'Udarbejdelse af udkast til afrapportering', 'the drafting stage');
      await handle.executeUpdate('recordDraft', { args: [{ text: 'Udkast: koordinationen er tilstrækkelig, og der er ingen planer om ændringer.', actor: 'sekretariatet' }] });
      await until(handle, (x) => x.stage.includes('Socialdirektørforum'), 'the SDF step');
    }
    await sleepUntil('2023-05-16T15:00:00Z');
    await decide(late.handle, 'SDF', 'approved', '2023-05-16');
    // A recommending body cannot stop the report: SDF's rejection is recorded and K22, then KKR, consider it.
    await decide(rejected.handle, 'SDF', 'rejected', '2023-05-16', 'Socialdirektørforum kan ikke anbefale udkastet');
    await until(rejected.handle, (x) => x.stage.includes('K22') && x.approvals.report?.round === 2, 'the rejected case to go on to K22');
    await sleepUntil('2023-06-13T15:00:00Z');
    for (const { handle } of [late, rejected]) {
      await until(handle, (x) => x.stage.includes('K22'), 'the K22 step');
      await decide(handle, 'K22', 'approved', '2023-06-13');
      await until(handle, (x) => x.stage.includes('KKR'), 'the KKR step');
    }
    await sleepUntil('2023-06-20T15:00:00Z');
    await decide(late.handle, 'KKR', 'approved', '2023-06-20');
    await decide(rejected.handle, 'KKR', 'rejected', '2023-06-20', 'KKR ønsker ikke at indsende en syddansk afrapportering');

    // KKR rejected: the case ends, nothing goes to the board, the secretariat is told to inform it.
    let r = await until(rejected.handle, (x) => x.status === 'completed', 'the rejected case to close');
    expect(r.stage).toBe('Afsluttet uden indsendelse: afvist af KKR Syddanmark');
    expect(details(r).outcome).toBe('notSubmitted');
    expect(details(r).decisions.map((d) => `${d.body}:${d.outcome}`)).toEqual(['SDF:rejected', 'K22:approved', 'KKR:rejected']);
    expect(r.deadlines.submission!.status).toBe('cancelled');
    expect(await rejected.handle.result()).toEqual({ status: 'completed', submitted: false, late: false });
    const told = (await h.mail()).filter((m) => m.text.includes(rejectId) && m.envelopeTo.includes(SECRETARIAT) && m.subject.startsWith('KKR Syddanmark har afvist'));
    expect(told).toHaveLength(1);

    // Nobody submits the approved report; Saturday 1 July passes.
    await until(late.handle, (x) => x.stage === 'Klar til indsendelse', 'ready to submit');
    await sleepUntil('2023-07-03T10:00:00Z');
    let s = await until(late.handle, (x) => x.deadlines.submission?.status === 'expired', 'the submission deadline to expire');
    expect(s.status).toBe('open');
    expect(s.stage).toBe('Klar til indsendelse – fristen er overskredet');
    expect(s.warnings).toContain('Fristen for indsendelse til Social- og Boligstyrelsen (lørdag 1. juli 2023) er overskredet; afrapporteringen er ikke indsendt');
    expect(s.journal.some((j) => j.description.startsWith('ADVARSEL: Fristen for indsendelse') && j.actor === 'system')).toBe(true);
    let mails = (await h.mail()).filter((m) => m.text.includes(lateId) && m.envelopeTo.includes(SECRETARIAT));
    // Reminders 10 and 3 working days before and on Friday 30 June (the last working day), then the escalation.
    expect(mails.filter((m) => m.subject.startsWith('Påmindelse: afrapporteringen'))).toHaveLength(3);
    const esc = mails.filter((m) => m.subject.startsWith('Eskalering: afrapporteringen'));
    expect(esc).toHaveLength(1);
    expect(esc[0]!.text).toContain('kan indsendes for sent');
    expect((await h.mail()).filter((m) => m.envelopeTo.includes(BOARD) && (m.text.includes(lateId) || m.text.includes(rejectId)))).toHaveLength(0);

    // Submitted late on Tuesday 4 July: accepted and recorded as late.
    await sleepUntil('2023-07-04T09:00:00Z');
    const submission = await late.handle.executeUpdate('submitReport', { args: [{ actor: 'sekretariatet' }] });
    expect(submission).toMatchObject({ date: '2023-07-04', late: true, withReservation: false });
    s = await until(late.handle, (x) => x.status === 'completed', 'the late case to complete');
    expect(s.stage).toBe('Indsendt (efter fristen)');
    expect(s.journal.some((j) => j.description.includes('Indsendt EFTER FRISTEN (lørdag 1. juli 2023'))).toBe(true);
    // The flag stays on the case after the late submission.
    expect(s.warnings.some((w) => w.includes('er overskredet'))).toBe(true);
    mails = (await h.mail()).filter((m) => m.envelopeTo.includes(BOARD) && m.text.includes(lateId));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain('fremsendes efter fristen lørdag 1. juli 2023');
    expect(mails[0]!.attachments[0]!.content).not.toContain('forbehold');

    await expectReplays(late.handle, rejected.handle);
    await recordHistory(late.handle, 'centralAnnouncement.late');
    await recordHistory(rejected.handle, 'centralAnnouncement.rejectedByKkr');
    for (const handle of [late.handle, rejected.handle]) {
      const wf = await handle.describe();
      if (wf.status.name === 'RUNNING') await handle.terminate('test done');
    }
  });
});
