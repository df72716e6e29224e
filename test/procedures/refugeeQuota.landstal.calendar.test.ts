/**
 * A changed landstal in the middle of the 2023 refugee quota case (patch refugee-landstal-change-by-stage), on its
 * own time-skipping test server so that the walks in refugeeQuota.calendar.test.ts keep their clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calculateRefugeeQuotas } from '../../domain/refugeeQuota';
import { caseState as state, startCalendarHarness, until, type CalendarHarness } from '../support/calendarHarness';
import { recordHistory } from '../support/histories';
import { csv, input2023, REGION_QUOTAS } from '../support/refugeeQuota2023';


let h: CalendarHarness;

beforeAll(async () => {
  h = await startCalendarHarness('2023-04-30 08:00:00');
});
afterAll(async () => {
  await h?.stop();
});

describe('a changed landstal', { timeout: 300_000 }, () => {
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

});
