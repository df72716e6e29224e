/**
 * The 2023 refugee quota case's other routes on the time-skipping test server with in-memory activities (see
 * support/workflowHarness.ts): a landstal changed during the hearing (patch refugee-landstal-change-by-stage),
 * and the fallback, where nothing is notified by the agreement deadline and the agency fixes the quotas. The
 * agreed path is walked on the real parts in test/procedures/refugeeQuota.calendar.test.ts. One clock from
 * 30 April 2023: the landstal case is withdrawn before the clock moves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calculateRefugeeQuotas } from '../../domain/refugeeQuota';
import { caseState as state, refusal, sleepUntil as sleepUntilOn, until } from '../support/calendarHarness';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflowHarness';
import { recordHistory } from '../support/histories';
import { csv, input2023, REGION_QUOTAS } from '../support/refugeeQuota2023';

let h: WorkflowHarness;
const sleepUntil = (iso: string) => sleepUntilOn(h, iso);

beforeAll(async () => {
  h = await startWorkflowHarness('2023-04-30 08:00:00');
});
afterAll(async () => {
  await h?.stop();
});

describe('refugee quota agreement 2023: the other routes', { timeout: 120_000 }, () => {
  it('a landstal changed during the hearing: the agreement process goes on with the new calculated quotas (not "fastsat")', async () => {
    const handle = await h.env.client.workflow.start('refugeeQuotaAgreement', { taskQueue: h.taskQueue, workflowId: `FLY-2024-LANDSTAL-${Date.now()}`, args: [input2023('asylkontor@us.example')] });
    await until(handle, (x) => x.collections.positions?.status === 'open', 'the positions round to open');
    const changed = calculateRefugeeQuotas({ landstal: 600, regionQuotas: { ...REGION_QUOTAS, 'Region Syddanmark': 137 }, municipalities: csv }).quotas.filter((q) => q.region === 'Region Syddanmark');
    await handle.executeUpdate('landstalChanged', { args: [{ newLandstal: 600, newRegionQuota: 137, newCalculatedQuotas: changed.map((q) => ({ kommunenr: q.kommunenr, quota: q.quota })), actor: 'sekretariatet' }] });
    const s = await state(handle);
    const d = s.details as { basis: string; regionQuota: number; quotas: { quota: number }[] };
    expect(d.basis).toBe('beregnet');
    expect(s.stage).toBe('Høring af kommunerne');
    expect(d.regionQuota).toBe(137);
    expect(d.quotas.reduce((a, q) => a + q.quota, 0)).toBe(137);
    expect(s.journal.at(-1)!.description).toMatch(/^Landstallet er ændret fra 550 til 600 \(regionskvote 137\)\. Der er endnu ikke meddelt en aftale; aftaleforløbet fortsætter/);
    expect(s.warnings).toEqual([]);
    await handle.executeUpdate('withdraw', { args: [{ reason: 'Testen er slut', actor: 'sekretariatet' }] });
    await until(handle, (x) => x.status === 'withdrawn', 'the withdrawal');
    // Recorded after the patch: its history carries the marker, so the replay test covers both sides of it.
    await recordHistory(handle, 'refugeeQuotaAgreement.landstalDuringHearing');
  });

  it('fallback path: nothing notified by the agreement deadline, so the agency fixes the quotas after 30 September', async () => {
    const caseId = `FLY-2024-FIXED-${Date.now()}`;
    const input = input2023('asylkontor@us.example');
    const handle = await h.env.client.workflow.start('refugeeQuotaAgreement', { taskQueue: h.taskQueue, workflowId: caseId, args: [input] });
    await until(handle, (x) => x.collections.positions?.status === 'open', 'the positions round to open');
    // Nobody answers and nothing is decided: 10 September 2023 is a Sunday, so the deadline runs out on Monday 11 September.
    await sleepUntil('2023-09-12T12:00:00Z');
    let s = await until(handle, (x) => x.stage === 'Afventer Udlændingestyrelsens fastsættelse', 'the fallback stage');
    expect(s.stage).toBe('Afventer Udlændingestyrelsens fastsættelse');
    expect(s.deadlines.agreement!.status).toBe('expired');
    expect(await refusal(handle.executeUpdate('sendNotification', { args: [{ withReservation: false, actor: 'sekretariatet' }] }))).toMatch(/Fristen for at meddele en aftale er udløbet/);
    expect(s.collections.positions!.parties.every((p) => p.late)).toBe(true);
    // The agency's own date is not moved: Saturday 30 September 2023.
    await sleepUntil('2023-10-01T12:00:00Z');
    s = await until(handle, (x) => x.status === 'completed', 'the agency to fix the quotas');
    expect(s.status).toBe('completed');
    expect(s.stage).toBe('Fastsat af Udlændingestyrelsen');
    expect((s.details as { basis: string }).basis).toBe('fastsat');
    const fixed = (await h.mail()).filter((m) => m.text.includes(caseId) && m.subject === 'Kommunekvoter for flygtninge 2024 i Region Syddanmark: fastsat');
    expect(fixed).toHaveLength(22);
    expect(fixed[0]!.text).toContain('Kommunekvoterne er fastsat af Udlændingestyrelsen');
    await recordHistory(handle, 'refugeeQuotaAgreement.fixed');
    await handle.terminate('test done');
  });
});
