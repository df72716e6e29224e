/**
 * The 2023 refugee quota case walked through its real calendar on the time-skipping test server, from
 * Udlændingestyrelsen's letter of 30 April 2023 to the agreement (10 September, a Sunday), with real PostgreSQL
 * and SMTP. The agency's own fixing (30 September) and a changed landstal run with in-memory activities in
 * test/workflows/refugeeQuota.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import type { CaseState } from '../../workflows/blocks/caseRecord';
import { caseState as state, refusal, sleepUntil as sleepUntilOn, startCalendarHarness, until, type CalendarHarness } from '../support/calendarHarness';
import { recordHistory } from '../support/histories';
import { input2023 } from '../support/refugeeQuota2023';


const day = 86_400_000;
let h: CalendarHarness;
const sleepUntil = (iso: string) => sleepUntilOn(h, iso);

beforeAll(async () => {
  h = await startCalendarHarness('2023-04-30 08:00:00');
});
afterAll(async () => {
  await h?.stop();
});



/** The reason a workflow gave for refusing an Update (the validator's message). */

/** Polls the case (in real time, without skipping) until the workflow has reached what the test expects. */

describe('refugee quota agreement 2023 (quota year 2024)', { timeout: 600_000 }, () => {
  it('agreed path: positions with reminders only to those who have not answered, K22, KKR, notification before 10 September', async () => {
    const caseId = `FLY-2024-AGREED-${Date.now()}`;
    const input = input2023('asylkontor@us.example');
    expect(input.calculatedQuotas.reduce((a, q) => a + q.quota, 0)).toBe(125);
    const handle = await h.env.client.workflow.start('refugeeQuotaAgreement', { taskQueue: h.taskQueue, workflowId: caseId, args: [input] });
    let s = await until(handle, (x) => x.collections.positions?.status === 'open' && x.journal.length >= 2, 'the positions round to open');
    expect(s.deadlines.agreement!.plan.deadline.dueDate).toBe('2023-09-11');
    expect(s.deadlines.agreement!.plan.deadline.shiftedFrom).toBe('2023-09-10');
    expect(s.deadlines.agreement!.plan.deadline.reason).toContain('søndag 10. september 2023');
    expect(s.deadlines.fallback!.plan.deadline.dueDate).toBe('2023-09-30');
    expect(s.collections.positions!.status).toBe('open');

    // 20 municipalities agree at once; Odense (461) and Vejle (630) wait.
    for (const q of input.calculatedQuotas.filter((q) => q.kommunenr !== 461 && q.kommunenr !== 630)) {
      await handle.executeUpdate('submitAnswer', { args: [{ collection: 'positions', partyId: q.partyId, answer: { position: 'agree' }, actor: `${q.name} (link)` }] });
    }
    // A party cannot answer twice, and an unknown party cannot answer at all.
    expect(await refusal(handle.executeUpdate('submitAnswer', { args: [{ collection: 'positions', partyId: '410', answer: { position: 'agree' }, actor: 'x' }] }))).toMatch(/allerede svaret/);
    expect(await refusal(handle.executeUpdate('submitAnswer', { args: [{ collection: 'positions', partyId: '101', answer: { position: 'agree' }, actor: 'x' }] }))).toMatch(/ikke spurgt/);

    // 7 working days before 2 June 2023 is 23 May (Whit Monday 29 May is a holiday); Odense answers after that reminder.
    await sleepUntil('2023-05-24T12:00:00Z');
    await until(handle, (x) => x.collections.positions!.parties.find((p) => p.partyId === '461')!.notices.length === 3, 'the second reminder');
    await handle.executeUpdate('submitAnswer', {
      args: [{ collection: 'positions', partyId: '461', answer: { position: 'object', reason: 'Odense ønsker færre flygtninge pga. boligsituationen' }, actor: 'Odense (link)' }],
    });
    // Past the deadline, the escalation day and into June.
    await sleepUntil('2023-06-07T12:00:00Z');
    s = await until(handle, (x) => x.stage.includes('K22'), 'the K22 step');
    const vejle = s.collections.positions!.parties.find((p) => p.partyId === '630')!;
    expect(vejle.state).toBe('pending');
    expect(vejle.late).toBe(true);
    expect(s.collections.positions!.parties.find((p) => p.partyId === '461')!.late).toBe(false);
    expect(s.stage).toContain('K22');

    const mails = (await h.mail()).filter((m) => m.text.includes(caseId));
    const to = (addr: string) => mails.filter((m) => m.envelopeTo.includes(addr));
    // Invitation to all 22, each with its own signed link.
    expect(mails.filter((m) => m.subject.startsWith('Fordeling af flygtninge 2024'))).toHaveLength(22);
    // Middelfart answered at once: the invitation and nothing else.
    expect(to('sagsbehandler@middelfart.kommune.example')).toHaveLength(1);
    // Odense: invitation + reminders 14 and 7 working days before (12 and 23 May), none after answering.
    expect(to('sagsbehandler@odense.kommune.example').map((m) => m.subject)).toEqual([
      'Fordeling af flygtninge 2024: kommunens tilbagemelding',
      'Påmindelse: fordeling af flygtninge 2024',
      'Påmindelse: fordeling af flygtninge 2024',
    ]);
    // Vejle: invitation + 14, 7, 1 working days before + on the day.
    expect(to('sagsbehandler@vejle.kommune.example')).toHaveLength(5);
    const sentDates = to('sagsbehandler@vejle.kommune.example').map((m) => m.headers['date']);
    expect(sentDates).toHaveLength(5);
    // The escalation reached the secretariat, naming Vejle.
    const escalation = to('sekretariat@kkr-test.example').find((m) => m.subject.startsWith('Eskalering'));
    expect(escalation?.text).toContain('Vejle');
    // Each deadline notice carries a calendar entry that updates (same UID) rather than duplicates.
    const ics = to('sagsbehandler@vejle.kommune.example').map((m) => m.attachments.find((a) => a.filename === 'frist.ics')!.content);
    expect(new Set(ics.map((c) => /UID:(.*)/.exec(c)![1])).size).toBe(1);
    expect(ics[0]).toContain('DTSTART;VALUE=DATE:20230602');

    // K22 recommends on 13 June; KKR decides on 20 June.
    await sleepUntil('2023-06-13T15:00:00Z');
    expect(await refusal(handle.executeUpdate('recordDecision', { args: [{ chain: 'k22', body: 'KKR', outcome: 'approved', meetingDate: '2023-06-13', actor: 'sekretariatet' }] }))).toMatch(/afventer behandling i K22/);
    await handle.executeUpdate('recordDecision', { args: [{ chain: 'k22', body: 'K22', outcome: 'approved', meetingDate: '2023-06-13', actor: 'sekretariatet' }] });
    await until(handle, (x) => x.stage === 'Afventer KKR’s beslutning', 'the KKR step');
    await sleepUntil('2023-06-20T15:00:00Z');
    // An agreement whose numbers do not add up to 125 is refused and changes nothing.
    const wrong = input.calculatedQuotas.map((q) => ({ kommunenr: q.kommunenr, quota: q.kommunenr === 461 ? 12 : q.quota }));
    expect(await refusal(handle.executeUpdate('recordKkrDecision', { args: [{ choice: 'ownAgreement', quotas: wrong, landstalClause: 'survives', meetingDate: '2023-06-20', actor: 'sekretariatet' }] }))).toMatch(/125/);
    await handle.executeUpdate('recordKkrDecision', { args: [{ choice: 'followCalculated', landstalClause: 'rescale', meetingDate: '2023-06-20', actor: 'sekretariatet' }] });
    await until(handle, (x) => x.stage === 'Klar til meddelelse til Udlændingestyrelsen', 'ready to notify');
    await handle.executeUpdate('sendNotification', { args: [{ withReservation: false, actor: 'sekretariatet' }] });
    s = await until(handle, (x) => x.status === 'completed', 'the agreement to complete');
    expect(s.status).toBe('completed');
    expect(s.stage).toBe('Aftalt');
    expect((s.details as { basis: string }).basis).toBe('aftalt');
    expect(s.deadlines.agreement!.status).toBe('met');

    const agency = (await h.mail()).filter((m) => m.envelopeTo.includes('asylkontor@us.example') && m.text.includes(caseId) === false && m.attachments.some((a) => a.content.includes(caseId)));
    expect(agency).toHaveLength(1);
    const doc = agency[0]!.attachments[0]!.content;
    expect(doc).toContain('Odense (461): 13');
    expect(doc).toContain('I alt: 125');
    expect(doc).toContain('omregnes kvoterne forholdsmæssigt');
    // The quotas in force go to the region's 22 municipalities once agreed.
    const finalQuotas = (await h.mail()).filter((m) => m.text.includes(caseId) && m.subject === 'Kommunekvoter for flygtninge 2024 i Region Syddanmark: aftalt');
    expect(finalQuotas).toHaveLength(22);
    expect(finalQuotas[0]!.text).toContain('Odense (461): 13');

    // A changed landstal later in the year: the agreement's clause rescales the quotas to the new regional quota.
    await sleepUntil('2023-11-01T10:00:00Z');
    const newCalc = input.calculatedQuotas.map((q) => ({ kommunenr: q.kommunenr, quota: q.quota }));
    newCalc[0]!.quota += 25; // the agency's new calculated quotas (only their sum matters here)
    await handle.executeUpdate('landstalChanged', { args: [{ newLandstal: 660, newRegionQuota: 150, newCalculatedQuotas: newCalc, actor: 'sekretariatet' }] });
    s = await until(handle, (x) => (x.details as { landstal: number }).landstal === 660, 'the landstal change');
    const quotas = (s.details as { quotas: { quota: number }[] }).quotas;
    expect(quotas.reduce((a, q) => a + q.quota, 0)).toBe(150);
    expect((s.details as { basis: string }).basis).toBe('aftalt');

    const { rows } = await h.pool.query('SELECT status, stage FROM case_summary WHERE case_id = $1', [caseId]);
    expect(rows[0]).toEqual({ status: 'completed', stage: 'Aftalt' });
    const journal = await h.pool.query('SELECT description FROM case_journal WHERE case_id = $1 ORDER BY entry_key', [caseId]);
    expect(journal.rows.map((r) => r.description).join('\n')).toMatch(/Landstallet er ændret fra 550 til 660/);
    await recordHistory(handle, 'refugeeQuotaAgreement.agreed');
    await handle.terminate('test done');
  });
});
