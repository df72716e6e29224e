/**
 * A step an activity refuses for good does not stall the case and is not retried for ever: the case shows
 * "Kræver handling" with the reason on its page, in its Query and under the dashboard's "Kræver handling"
 * filter, and the workflow goes on. Two refusals: a party the directory does not know (the notification path)
 * and text PostgreSQL cannot store (22021, the read-model path of every step).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startHarness, waitFor, type Harness } from '../support/harness';
import type { CaseState } from '../../contracts/caseState';
import type { ClosureInput } from '../../workflows/closure/contract';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function startOrientation(title: string, parties: { partyId: string; name: string }[]) {
  const workflowId = `case-attention-${randomUUID()}`;
  const handle = await h.client.workflow.start('orientation', {
    taskQueue: h.taskQueue,
    workflowId,
    args: [{ title, message: 'En orientering til test af fejl, der ikke kan rettes ved at prøve igen.', parties, startedBy: 'test', caseUrl: `http://127.0.0.1/sager/${workflowId}` }],
  });
  return { workflowId, handle };
}

/** How often each activity type was started, from the history (a retry is a new attempt of the same task). */
async function attemptsOf(handle: Awaited<ReturnType<typeof startOrientation>>['handle']): Promise<Record<string, number>> {
  const history = await handle.fetchHistory();
  const types = new Map<string, string>();
  const attempts: Record<string, number> = {};
  for (const e of history.events ?? []) {
    if (e.activityTaskScheduledEventAttributes) types.set(String(e.eventId), e.activityTaskScheduledEventAttributes.activityType!.name!);
    if (e.activityTaskStartedEventAttributes) {
      const type = types.get(String(e.activityTaskStartedEventAttributes.scheduledEventId))!;
      attempts[type] = Math.max(attempts[type] ?? 0, e.activityTaskStartedEventAttributes.attempt ?? 1);
    }
  }
  return attempts;
}

async function dashboardAttention(): Promise<string> {
  return (await h.fetch(`${h.baseUrl}/?status=attention&pageSize=200`)).text();
}

describe('Kræver handling: permanent activity failures', () => {
  it('an unknown party fails the notification once; the case ends as "Orientering ikke sendt" and shows why', { timeout: 120_000 }, async () => {
    const { workflowId, handle } = await startOrientation('Orientering til en part, der er fjernet fra adressebogen', [
      { partyId: 'region-syddanmark', name: 'Region Syddanmark' },
      { partyId: 'fjernet-part', name: 'Fjernet kommune' },
    ]);
    // The workflow completes: it neither fails nor waits for a retry that cannot help.
    await expect(handle.result()).resolves.toEqual({ recipients: 0 });
    expect((await attemptsOf(handle)).notifyParties).toBe(1);

    const state = await handle.query<CaseState>('caseState');
    expect(state.attention?.reason).toBe('Orienteringen kunne ikke sendes: Ukendt part i adressebogen: fjernet-part');
    expect(state.stage).toBe('Orientering ikke sendt');

    const row = (await h.pool.query('SELECT status, stage, attention_reason, attention_since FROM case_summary WHERE case_id = $1', [workflowId])).rows[0];
    expect(row).toMatchObject({ status: 'completed', stage: 'Orientering ikke sendt', attention_reason: state.attention!.reason });
    expect(row.attention_since).toBeInstanceOf(Date);

    const page = await (await h.fetch(`${h.baseUrl}/sager/${encodeURIComponent(workflowId)}`)).text();
    expect(page).toContain('data-testid="attention"');
    expect(page).toContain('Kræver handling');
    expect(page).toContain('Ukendt part i adressebogen: fjernet-part');
    expect(page).toContain('Kræver handling: Orienteringen kunne ikke sendes'); // the journal entry

    const dashboard = await dashboardAttention();
    expect(dashboard).toContain(`data-case-id="${workflowId}"`);
    expect(dashboard).toContain('<option value="attention" selected>Kræver handling</option>');
    const api = (await (await h.fetch(`${h.baseUrl}/api/v1/cases?status=attention&pageSize=200`)).json()) as { items: { caseId: string; attention: { reason: string } | null }[] };
    expect(api.items.find((c) => c.caseId === workflowId)?.attention?.reason).toBe(state.attention!.reason);
  });

  it('text the database cannot store (NUL, 22021) fails the read-model write once; the case goes on and is listed', { timeout: 120_000 }, async () => {
    const { workflowId, handle } = await startOrientation('Orientering med et nul-tegn\u0000 i titlen', [{ partyId: 'region-syddanmark', name: 'Region Syddanmark' }]);
    await handle.result();
    const attempts = await attemptsOf(handle);
    expect(attempts.recordCaseChange).toBe(1);
    expect(attempts.markCaseAttention).toBe(1);

    const state = await handle.query<CaseState>('caseState');
    expect(state.attention?.reason).toMatch(/^Trinnet "Sag oprettet: Orientering med et nul-tegn.* i titlen" kunne ikke gemmes i sagsoversigten: Teksten indeholder tegn, som databasen ikke kan gemme .*PostgreSQL 22021/);
    // The case went on: the workflow reached its last step (here the e-mail outbox refused the same title).
    expect(state.status).toBe('completed');

    // The note itself is stored without the refused character, so the case is on the dashboard.
    const row = (await h.pool.query('SELECT title, attention_reason FROM case_summary WHERE case_id = $1', [workflowId])).rows[0];
    expect(row.title).toBe('Orientering med et nul-tegn i titlen');
    expect(row.attention_reason).toContain('PostgreSQL 22021');
    const dashboard = await dashboardAttention();
    expect(dashboard).toContain(`data-case-id="${workflowId}"`);
    const page = await (await h.fetch(`${h.baseUrl}/sager/${encodeURIComponent(workflowId)}`)).text();
    expect(page).toContain('data-testid="attention"');
    expect(page).toContain('kunne ikke gemmes i sagsoversigten');
  });

  it('a refused step the procedure does not handle stops the case visibly ("Standset – kræver handling") until it is withdrawn', { timeout: 120_000 }, async () => {
    const workflowId = `case-attention-closure-${randomUUID()}`;
    const input: ClosureInput = {
      tilbudName: 'Bostedet Åbrinken (test af en fjernet handlekommune)',
      operator: { partyId: '461', name: 'Odense', type: 'municipal' },
      classification: 'closure',
      reason: 'Efterspørgslen er faldet, og tilbuddet kan ikke drives økonomisk forsvarligt',
      structure: 'standalone',
      turnoverDecisionYear: '20000000',
      payers: [{ partyId: '461', name: 'Odense', turnoverYearMinus2: '1650000', turnoverYearMinus1: '1650000' }],
      actingMunicipalities: [{ partyId: 'fjernet-part', name: 'Fjernet kommune' }],
      fuRecipients: ['fu@kkr-test.example'],
      startedBy: 'test',
    };
    const handle = await h.client.workflow.start('closureOfTilbud', { taskQueue: h.taskQueue, workflowId, args: [input] });
    // Step 0 (the notice of a possible closure to the affected municipalities) is refused: unknown party.
    const row = await waitFor(
      async () => (await h.pool.query("SELECT status, stage, attention_reason FROM case_summary WHERE case_id = $1 AND stage = 'Standset – kræver handling'", [workflowId])).rows[0],
      60_000,
      'the stopped case',
    );
    expect(row).toMatchObject({ status: 'open', attention_reason: 'Sagen er standset: Ukendt part i adressebogen: fjernet-part' });
    expect((await attemptsOf(handle)).notifyParties).toBe(1);
    const page = await (await h.fetch(`${h.baseUrl}/sager/${encodeURIComponent(workflowId)}`)).text();
    expect(page).toContain('data-testid="attention"');
    expect(page).toContain('Sagen er standset: Ukendt part i adressebogen: fjernet-part');
    expect(await dashboardAttention()).toContain(`data-case-id="${workflowId}"`);

    // The workflow has not failed: it waits for the secretariat, who withdraws the case.
    const res = await h.fetch(`${h.baseUrl}/api/v1/cases/${encodeURIComponent(workflowId)}/actions/withdraw`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { reason: 'Handlekommunen findes ikke; sagen startes igen med rettede parter' } }),
    });
    expect(res.status).toBe(200);
    await handle.result();
    const after = (await h.pool.query('SELECT status, attention_reason FROM case_summary WHERE case_id = $1', [workflowId])).rows[0];
    expect(after).toMatchObject({ status: 'withdrawn', attention_reason: row.attention_reason });
  });

  it('a case without failures is not under the filter and carries no attention', { timeout: 120_000 }, async () => {
    const { workflowId, handle } = await startOrientation('Orientering uden fejl', [{ partyId: 'region-syddanmark', name: 'Region Syddanmark' }]);
    await handle.result();
    expect((await handle.query<CaseState>('caseState')).attention).toBeUndefined();
    await waitFor(async () => (await h.pool.query("SELECT 1 FROM case_summary WHERE case_id = $1 AND status = 'completed'", [workflowId])).rowCount === 1, 30_000, 'summary');
    expect(await dashboardAttention()).not.toContain(`data-case-id="${workflowId}"`);
    const page = await (await h.fetch(`${h.baseUrl}/sager/${encodeURIComponent(workflowId)}`)).text();
    expect(page).not.toContain('data-testid="attention"');
  });
});
