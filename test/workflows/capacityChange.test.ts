/**
 * Capacity changes' other routes (Rammeaftale Bilag 4, Tabel 4.1) on the time-skipping test server with in-memory
 * activities (see support/workflowHarness.ts; the capacity register is the in-memory one): a free change, a new
 * regional tilbud sent back and rejected, a reduction with FU oriented, and a closure handed over to the closure
 * procedure. The expansion is walked on the real parts in test/procedures/capacityChange.calendar.test.ts. One
 * server clock for the file (2023 → 2024), moved only forward.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseState } from '../../workflows/blocks/caseRecord';
import type { CapacityChangeDetails } from '../../workflows/capacityChange/contract';
import { refusal, sleepUntil as sleepUntilOn, until } from '../support/calendarHarness';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflowHarness';
import { recordHistory } from '../support/histories';
import { capacityInput, expectReplays } from '../support/caseSteps';

let h: WorkflowHarness;
const sleepUntil = (iso: string) => sleepUntilOn(h, iso);

beforeAll(async () => {
  h = await startWorkflowHarness('2023-01-09 08:00:00');
});
afterAll(async () => {
  await h?.stop();
});

const details = (s: CaseState) => s.details as unknown as CapacityChangeDetails;

async function mailsOf(caseId: string) {
  return (await h.mail()).filter((m) => m.text.includes(caseId));
}


describe('capacity change: the other routes (Rammeaftale Bilag 4, Tabel 4.1)', { timeout: 120_000 }, () => {
  it('free change 70 → 77: no forum, no broadcast, registered on the effective date', async () => {
    await sleepUntil('2023-01-09T08:00:00Z');
    const caseId = `KAP-FREE-${Date.now()}`;
    const tilbudId = h.world.registerTilbud('Bostedet Engly', '461', 70);
    const input = capacityInput(caseId, { operator: { partyId: '461', name: 'Odense', type: 'municipal' }, tilbud: { id: tilbudId, name: 'Bostedet Engly', targetGroup: 'Voksne med udviklingshæmning' }, newPlaces: 77, effectiveDate: '2023-02-01' });
    const handle = await h.env.client.workflow.start('capacityChange', { taskQueue: h.taskQueue, workflowId: caseId, args: [input] });
    let s = await until(handle, (x) => x.stage === 'Fri ændring – afventer ikrafttræden', 'the free route');
    expect(details(s).classification).toMatchObject({ route: 'free', freeLimit: 7, forumStep: 'none', reportDeadline: null });
    expect(s.deadlines.report).toBeUndefined();
    // Nothing to report and nothing to decide on a free change.
    expect(await refusal(handle.executeUpdate('submitReport', { args: [{ text: 'Indberetning af ændringen', actor: 'Odense' }] }))).toMatch(/afventes ingen indberetning/);
    expect(await refusal(handle.executeUpdate('recordPoliticalDecision', { args: [{ approved: true, meetingDate: '2023-01-09', actor: 'Odense' }] }))).toMatch(/afventer ikke en politisk beslutning/);

    // The evening before (Copenhagen time) nothing has changed; at 00:00 on 1 February it has.
    await sleepUntil('2023-01-31T22:00:00Z');
    expect(h.world.tilbudRow(tilbudId).fixed_places).toBe(70);
    await sleepUntil('2023-01-31T23:30:00Z');
    s = await until(handle, (x) => x.status === 'completed', 'the registration');
    expect(s.stage).toBe('Registreret');
    expect(h.world.tilbudRow(tilbudId)).toEqual({ fixed_places: 77, temporary_places: 0 });
    expect(h.world.historyOf(caseId)).toEqual([{ entry_key: 'permanent', kind: 'permanent', change_date: '2023-02-01', old_places: 70, new_places: 77 }]);
    expect(await mailsOf(caseId)).toHaveLength(0);
    expect(s.journal.map((j) => j.description).join('\n')).toMatch(/Kapacitetsregistret er opdateret .*70 → 77 faste pladser med virkning fra onsdag 1\. februar 2023/);
    await expectReplays(handle);
    await recordHistory(handle, 'capacityChange.free');
  });

  it('new regional tilbud: SDF sends it back once, then rejects it; the approval blocks and nothing is registered', async () => {
    await sleepUntil('2023-10-09T08:00:00Z');
    const caseId = `KAP-REG-${Date.now()}`;
    const input = capacityInput(caseId, {
      operator: { partyId: 'region-syddanmark', name: 'Region Syddanmark', type: 'regional' },
      tilbud: { name: 'Specialcenter Kystly', targetGroup: 'Unge med spiseforstyrrelser' },
      kind: 'newTilbud',
      currentPlaces: 0,
      newPlaces: 12,
      effectiveDate: '2024-06-01',
      justifications: ['Ingen tilsvarende pladser i regionen; ventetid på 9 måneder påvirker ikke eksisterende tilbud.'],
    });
    const handle = await h.env.client.workflow.start('capacityChange', { taskQueue: h.taskQueue, workflowId: caseId, args: [input] });
    let s = await until(handle, (x) => x.stage === 'Godkendelse i Socialdirektørforum: behandles i Socialdirektørforum', 'the SDF approval step');
    expect(details(s).classification).toMatchObject({ route: 'newTilbud', forumStep: 'approval', blockingApproval: true });
    expect(await refusal(handle.executeUpdate('recordTemporaryStaffing', { args: [{ places: 2, from: '2023-10-09', reason: 'Opstart', actor: 'Regionen' }] }))).toMatch(/eksisterende tilbud/);
    expect(await refusal(handle.executeUpdate('recordDecision', { args: [{ chain: 'sdf', body: 'FU', outcome: 'rejected', meetingDate: '2023-10-09', actor: 'sekretariatet' }] }))).toMatch(/afventer behandling i Socialdirektørforum/);
    expect((await mailsOf(caseId)).filter((m) => m.subject.startsWith('Oprettelse af nyt tilbud'))).toHaveLength(23);

    // SDF first sends the case back: the justification is revised, told again to everyone, and treated again.
    await sleepUntil('2023-10-24T14:00:00Z');
    await handle.executeUpdate('recordDecision', { args: [{ chain: 'sdf', body: 'SDF', outcome: 'amend', meetingDate: '2023-10-24', note: 'Virkningen for eksisterende tilbud skal uddybes', actor: 'sekretariatet' }] });
    await until(handle, (x) => x.stage === 'Begrundelserne skal revideres', 'the justification step');
    expect(await refusal(handle.executeUpdate('recordPoliticalDecision', { args: [{ approved: true, meetingDate: '2023-10-24', actor: 'Regionen' }] }))).toMatch(/når Socialdirektørforum har behandlet sagen/);
    expect(await refusal(handle.executeUpdate('reviseJustifications', { args: [{ justifications: input.justifications, actor: 'Regionen' }] }))).toMatch(/uændrede/);
    expect(await refusal(handle.executeUpdate('reviseJustifications', { args: [{ justifications: [], actor: 'Regionen' }] }))).toMatch(/kræver 1 begrundelse/);
    await sleepUntil('2023-10-30T09:00:00Z');
    const revised = ['Ingen tilsvarende pladser i regionen; de 4 unge, der i dag er visiteret til Kystly-lignende tilbud i andre regioner, flyttes hjem.'];
    await handle.executeUpdate('reviseJustifications', { args: [{ justifications: revised, actor: 'Region Syddanmark (driftsherre)' }] });
    s = await until(handle, (x) => x.approvals.sdf?.round === 2 && x.stage === 'Godkendelse i Socialdirektørforum: behandles i Socialdirektørforum', 'the second SDF round');
    // The political calendar holds no SDF meeting before the tilbud is to open, and the case says so.
    expect(s.warnings.join('\n')).toMatch(/Intet møde i Socialdirektørforum før fristen 2024-06-01/);
    expect(details(s).justifications[0]!.text).toBe(revised[0]);
    expect((await mailsOf(caseId)).filter((m) => m.subject.startsWith('Revideret: Oprettelse af nyt tilbud'))).toHaveLength(23);

    await sleepUntil('2023-11-14T14:00:00Z');
    await handle.executeUpdate('recordDecision', { args: [{ chain: 'sdf', body: 'SDF', outcome: 'rejected', meetingDate: '2023-11-14', note: 'Behovet dækkes af eksisterende tilbud', actor: 'sekretariatet' }] });
    s = await until(handle, (x) => x.status === 'completed', 'the rejection');
    expect(s.stage).toBe('Afvist af Socialdirektørforum');
    expect(details(s).outcome).toBe('rejectedBySdf');
    expect(s.deadlines.report!.status).toBe('cancelled');
    expect(await refusal(handle.executeUpdate('recordPoliticalDecision', { args: [{ approved: true, meetingDate: '2023-11-14', actor: 'Regionen' }] }))).toBeTruthy();
    expect(h.world.tilbud.filter((t) => t.createdByCase === caseId)).toHaveLength(0);
    expect(h.world.historyOf(caseId)).toEqual([]);
    expect((await mailsOf(caseId)).filter((m) => m.subject.startsWith('Nyt regionalt tilbud ikke godkendt'))).toHaveLength(23);
    await expectReplays(handle);
    await recordHistory(handle, 'capacityChange.regionalRejected');
  });

  it('reduction 40 → 30: Forretningsudvalget is oriented (no decision), report due at the political treatment', async () => {
    await sleepUntil('2023-11-20T08:00:00Z');
    const caseId = `KAP-RED-${Date.now()}`;
    const tilbudId = h.world.registerTilbud('Botilbuddet Skovly', '461', 40);
    const input = capacityInput(caseId, {
      operator: { partyId: '461', name: 'Odense', type: 'municipal' },
      tilbud: { id: tilbudId, name: 'Botilbuddet Skovly', targetGroup: 'Voksne med sindslidelse' },
      currentPlaces: 40,
      newPlaces: 30,
      effectiveDate: '2024-03-01',
      politicalTreatmentDate: '2023-11-28',
      justifications: ['Belægningen har i to år været under 75 %, så 10 pladser nedlægges varigt.', 'Taksten stiger 3 %; betalingskommunerne betaler ca. 0,4 mio. kr. mere i alt om året.'],
    });
    const handle = await h.env.client.workflow.start('capacityChange', { taskQueue: h.taskQueue, workflowId: caseId, args: [input] });
    let s = await until(handle, (x) => x.stage === 'Forretningsudvalget orienteret' || x.stage === 'Afventer politisk beslutning', 'the FU orientation');
    expect(details(s).classification).toMatchObject({ route: 'reduction', forumStep: 'orientation', forumBody: 'FU', reportDeadlineBasis: 'politicalTreatment' });
    expect(s.deadlines.report!.plan.deadline).toMatchObject({ dueDate: '2023-11-28', rule: 'noShift' });
    expect(Object.keys(s.approvals)).toEqual([]);
    const mails = await mailsOf(caseId);
    const fu = mails.filter((m) => m.envelopeTo.includes('forretningsudvalget@sdf.kkr-syddanmark.example'));
    expect(fu).toHaveLength(1);
    expect(fu[0]!.subject).toMatch(/^Orientering: nedlæggelse af pladser/);
    expect(fu[0]!.text).toContain('Orienteringen kræver ingen beslutning');
    expect(mails.filter((m) => m.subject.startsWith('Nedlæggelse af pladser ud over den frie grænse'))).toHaveLength(23);

    s = await until(handle, (x) => x.stage === 'Afventer politisk beslutning', 'the political decision step');
    expect(details(s).forum).toMatchObject({ body: 'FU', outcome: 'oriented', recipients: ['forretningsudvalget@sdf.kkr-syddanmark.example'] });
    expect(await refusal(handle.executeUpdate('submitReport', { args: [{ text: 'kort', actor: 'Odense' }] }))).toMatch(/mindst 10 tegn/);
    // Before the reminder one working day ahead (Monday 27 November, 08:00).
    await sleepUntil('2023-11-24T10:00:00Z');
    expect(await handle.executeUpdate('submitReport', { args: [{ text: 'Indberettet i indberetningsdatabasen 24. november 2023', actor: 'Odense (driftsherre)' }] })).toEqual({ late: false, dueDate: '2023-11-28' });
    await sleepUntil('2023-11-28T16:00:00Z');
    await handle.executeUpdate('recordPoliticalDecision', { args: [{ approved: true, meetingDate: '2023-11-28', actor: 'Odense Byråd (sekretariatet)' }] });
    s = await until(handle, (x) => x.stage === 'Vedtaget – afventer ikrafttræden', 'waiting for the effective date');
    expect(s.deadlines.report!.status).toBe('met');
    expect(details(s).reportLate).toBe(false);
    await sleepUntil('2024-02-29T23:30:00Z');
    s = await until(handle, (x) => x.status === 'completed', 'the registration');
    expect(h.world.tilbudRow(tilbudId)).toEqual({ fixed_places: 30, temporary_places: 0 });
    expect(h.world.historyOf(caseId)).toEqual([{ entry_key: 'permanent', kind: 'permanent', change_date: '2024-03-01', old_places: 40, new_places: 30 }]);
    // Reported in time: no reminders went out after the report.
    expect((await mailsOf(caseId)).filter((m) => m.subject.startsWith('Påmindelse') || m.subject.startsWith('Eskalering'))).toHaveLength(0);
    await expectReplays(handle);
    await recordHistory(handle, 'capacityChange.reduction');
  });

  it('closure: handed over to the closure procedure as a child case', async () => {
    await sleepUntil('2024-03-04T08:00:00Z');
    const caseId = `KAP-LUK-${Date.now()}`;
    const tilbudId = h.world.registerTilbud('Værestedet Havnen', '461', 12);
    const input = capacityInput(caseId, {
      operator: { partyId: '461', name: 'Odense', type: 'municipal' },
      tilbud: { id: tilbudId, name: 'Værestedet Havnen', targetGroup: 'Voksne med sindslidelse' },
      kind: 'closure',
      currentPlaces: 12,
      newPlaces: 0,
      effectiveDate: '2024-09-01',
      justifications: ['Tilbuddet lukkes, da efterspørgslen er faldet varigt til under halvdelen af pladserne.'],
      closure: {
        structure: 'standalone',
        turnoverDecisionYear: '20000000',
        payers: [
          { partyId: '461', name: 'Odense', turnoverYearMinus2: '10000000', turnoverYearMinus1: '10000000' },
          { partyId: '479', name: 'Svendborg', turnoverYearMinus2: '5000000', turnoverYearMinus1: '5000000' },
        ],
        actingMunicipalities: [{ partyId: '479', name: 'Svendborg' }],
      },
    });
    const handle = await h.env.client.workflow.start('capacityChange', { taskQueue: h.taskQueue, workflowId: caseId, args: [input] });
    const s = await until(handle, (x) => x.status === 'completed', 'the hand-over');
    expect(s.stage).toBe('Overdraget til lukningsproceduren');
    expect(details(s).closureCaseId).toBe(`${caseId}-LUK`);
    const child = await h.env.client.workflow.getHandle(`${caseId}-LUK`).describe();
    expect(child.type).toBe('closureOfTilbud');
    expect(child.parentExecution?.workflowId).toBe(caseId);
    expect(h.world.historyOf(caseId)).toEqual([]);
    await expectReplays(handle);
    await recordHistory(handle, 'capacityChange.closureHandover');
    await h.env.client.workflow.getHandle(`${caseId}-LUK`).terminate('test done').catch(() => undefined);
  });
});
