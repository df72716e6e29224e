/**
 * No CPR numbers in the system's logs, workflow IDs or search attributes. CPR-like numbers are pushed through
 * every entry point (the JSON API, the start forms, a step, an answer link); each is refused with a Danish reason
 * naming the field, nothing is stored, and afterwards neither the web server's nor the worker process's output,
 * nor any workflow on the Temporal server (those of every test file run before this one included), shows one.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { startHarness, waitFor, type Harness } from '../support/harness';
import { killHard, startWorkerProcess } from '../support/workerProcess';
import { cprNumbersIn } from '../../domain/personalData';
import { centralAnnouncementInput, isoDay } from '../support/cases';

let h: Harness;
let worker: ChildProcess | undefined;
const workerOutput: string[] = [];
const ownOutput: string[] = [];

beforeAll(async () => {
  h = await startHarness({ inProcessWorker: false });
  worker = startWorkerProcess(h.workerEnv);
  worker.stdout?.on('data', (d: Buffer) => workerOutput.push(d.toString()));
  worker.stderr?.on('data', (d: Buffer) => workerOutput.push(d.toString()));
  // Everything this process (the web server) writes while the test runs.
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      ownOutput.push(String(chunk));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write);
  }
});
afterAll(async () => {
  vi.restoreAllMocks();
  if (worker) await killHard(worker);
  await h?.stop();
});

const CPR = '010190-1234';
const json = (method: string, body: unknown) => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const day = isoDay;

describe('personal data', () => {
  it('refuses CPR numbers at every entry point and none reaches logs, workflow IDs or search attributes', { timeout: 120_000 }, async () => {
    // The JSON API: 400 naming the field; nothing started.
    const title = `Orientering ${randomUUID().slice(0, 8)}`;
    const api = await h.fetch(`${h.baseUrl}/api/v1/cases`, json('POST', { procedure: 'orientation', input: { title, message: `Vedrørende borgeren med CPR ${CPR}, som flytter.`, partyIds: ['461'] } }));
    expect(api.status).toBe(400);
    const body = (await api.json()) as { fields: { field: string; reason: string }[] };
    expect(body.fields).toEqual([{ field: 'message', reason: expect.stringContaining('ser ud til at indeholde et CPR-nummer') }]);

    // A start form: the error sits next to the field.
    const form = await (await h.fetch(`${h.baseUrl}/sager/ny/orientation`)).text();
    const requestId = /name="requestId" value="([0-9a-f-]{36})"/.exec(form)![1]!;
    const page = await h.fetch(`${h.baseUrl}/sager/ny/orientation`, { method: 'POST', body: new URLSearchParams({ requestId, title: `Plads til 0101901234 ${title}`, message: 'En orientering uden personoplysninger i teksten.', partyIds: '461' }) });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('Titel: Feltet ser ud til at indeholde et CPR-nummer');
    expect(Number((await h.pool.query('SELECT count(*) AS n FROM case_summary WHERE title LIKE $1', [`%${title}%`])).rows[0].n)).toBe(0);

    // A case without personal data; then a step and an answer that carry a CPR number are refused.
    const started = await h.fetch(
      `${h.baseUrl}/api/v1/cases`,
      json('POST', {
        procedure: 'centralAnnouncement',
        requestId: randomUUID(),
        input: centralAnnouncementInput(`Persondata ${title}`, ['461']),
      }),
    );
    expect(started.status).toBe(201);
    const { caseId } = (await started.json()) as { caseId: string };
    const step = await h.fetch(`${h.baseUrl}/api/v1/cases/${encodeURIComponent(caseId)}/actions/extendDeadline`, json('POST', { input: { deadlineKey: 'collection', newDate: day(28), reason: `Borger ${CPR} er syg` } }));
    expect(step.status).toBe(400);
    const [invite] = await h.waitForMail((m) => m.text.includes(caseId), 1, 60_000);
    const link = /http:\/\/127\.0\.0\.1(?::\d+)?(\/svar\/[A-Za-z0-9_.-]+)/.exec(invite!.text)![1]!;
    const answer = await fetch(`${h.baseUrl}${link}`, { method: 'POST', body: new URLSearchParams({ text: `Vi har én borger (${CPR}) i målgruppen.` }) });
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('ser ud til at indeholde et CPR-nummer');
    const journal = await waitFor(async () => (await h.pool.query<{ description: string }>('SELECT description FROM case_journal WHERE case_id = $1', [caseId])).rows, 30_000, 'the journal');
    expect(journal.some((j) => cprNumbersIn(j.description).length)).toBe(false);

    // Nothing anywhere: the Temporal server's workflows (IDs, search attributes, memos) and both processes' output.
    const leaks: string[] = [];
    for await (const wf of h.client.workflow.list()) {
      const seen = [wf.workflowId, JSON.stringify(wf.searchAttributes ?? {}), JSON.stringify(wf.typedSearchAttributes ?? []), JSON.stringify(wf.memo ?? {})].join(' ');
      if (cprNumbersIn(seen).length) leaks.push(`workflow ${wf.workflowId}: ${seen}`);
    }
    for (const line of [...ownOutput, ...workerOutput]) if (cprNumbersIn(line).length) leaks.push(`log: ${line.slice(0, 300)}`);
    expect(leaks).toEqual([]);
  });
});
