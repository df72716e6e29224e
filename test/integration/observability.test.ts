/**
 * What an operator sees: one JSON line per request with its id, route, status and case id, and never a CPR
 * number, a signed answer link, a password or a token in any line; GET /metrics in Prometheus format with
 * requests, cases and the outbox.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, scrubText } from '../../config/log';
import { startHarness, type Harness } from '../support/harness';
import { startCentralAnnouncement } from '../support/cases';
import { createServer } from 'node:net';
import { killHard, startWorkerProcess } from '../support/workerProcess';

const lines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ log: createLogger('web', { level: 'info', destination: sink }) });
});
afterAll(async () => {
  await h?.stop();
});

const CPR = '010190-1234';

describe('logs', () => {
  it('scrubs CPR numbers, signed links, bearer tokens and secrets by key, whatever the caller logs', () => {
    const mine: string[] = [];
    const log = createLogger('test', { destination: new Writable({ write: (c, _e, d) => (mine.push(String(c)), d()) }) });
    log.info({ password: 'hemmeligt-kodeord', user: { apiToken: 'tok_abc', name: 'Sagsbehandler' }, note: `Borger ${CPR} er syg` }, `svar via http://x/svar/WyJGTFki.abc_DEF-123 med Authorization: Bearer eyJabc.def`);
    log.error({ err: new Error(`afvist for 0101901234 på /svar/abc.def`) }, 'fejl');
    const text = mine.join('');
    for (const secret of ['hemmeligt-kodeord', 'tok_abc', CPR, '0101901234', 'WyJGTFki', 'eyJabc', 'abc.def']) expect(text).not.toContain(secret);
    expect(text).toContain('Sagsbehandler');
    expect(text).toContain('/svar/…');
    const first = JSON.parse(mine[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({ level: 'info', process: 'test', password: '[fjernet]' });
    expect(typeof first.time).toBe('string');
    expect(scrubText('kommunenr 461 og beløb 1650000')).toBe('kommunenr 461 og beløb 1650000');
  });

  it('writes a line per request with a request id (the client’s, if sane), the route pattern and the case id', async () => {
    const caseId = await startCentralAnnouncement(h, 'Logning af sager', ['461']);
    lines.length = 0;
    const res = await h.fetch(`${h.baseUrl}/api/v1/cases/${encodeURIComponent(caseId)}`, { headers: { 'X-Request-Id': 'req-test-1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('req-test-1');
    await h.fetch(`${h.baseUrl}/svar/WyJDVS0yMDI2LTAiLCJ4IiwiNDYxIl0.c2lnbmF0dXJl`);
    await h.fetch(`${h.baseUrl}/log-ind`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `email=x%40y.dk&password=${encodeURIComponent('Hemmelig-1234')}&note=${CPR}` });
    await new Promise((r) => setTimeout(r, 100));
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const caseLine = parsed.find((l) => l.requestId === 'req-test-1');
    expect(caseLine).toMatchObject({ msg: 'request', method: 'GET', route: '/api/v1/cases/:caseId', status: 200, caseId, process: 'web' });
    const answerLine = parsed.find((l) => l.route === '/svar/:token');
    expect(answerLine?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const all = lines.join('\n');
    for (const secret of ['WyJDVS0yMDI2', 'c2lnbmF0dXJl', 'Hemmelig-1234', CPR]) expect(all).not.toContain(secret);
  });
});

describe('GET /metrics', () => {
  it('serves requests by route, cases by procedure and status, the outbox and the oldest unsent e-mail', async () => {
    await startCentralAnnouncement(h, 'Metrikker', ['461']);
    const res = await fetch(`${h.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/kkr_http_requests_total\{method="POST",route="\/api\/v1\/cases",status="201",process="web"\} [1-9]/);
    expect(text).toMatch(/kkr_http_request_duration_seconds_bucket\{/);
    expect(text).toMatch(/kkr_cases_started_total\{procedure="centralAnnouncement",process="web"\} [1-9]/);
    expect(text).toMatch(/kkr_cases\{procedure="centralAnnouncement",status="open",process="web"\} [1-9]/);
    expect(text).toMatch(/kkr_outbox_emails\{status="pending",process="web"\} \d+/);
    expect(text).toMatch(/kkr_outbox_oldest_unsent_seconds\{process="web"\} [\d.e+-]+/);
    expect(text).toMatch(/kkr_reminders_sent\{process="web"\} \d+/);
    expect(text).toMatch(/kkr_web_process_resident_memory_bytes/);
    // Aggregates only: no case number or party name is a label.
    expect(text).not.toMatch(/CU-\d{4}-/);
  });
});

describe('the worker process', () => {
  it('serves the Temporal SDK’s worker metrics and logs JSON lines', { timeout: 120_000 }, async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const worker = startWorkerProcess({ ...h.workerEnv, WORKER_METRICS_ADDRESS: `127.0.0.1:${port}`, LOG_LEVEL: 'info' });
    let out = '';
    worker.stdout?.on('data', (c) => (out += String(c)));
    try {
      let text = '';
      for (let i = 0; i < 300 && !/temporal_worker_task_slots_available/.test(text); i++) {
        text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text(), () => '');
        await new Promise((r) => setTimeout(r, 300));
      }
      expect(text).toMatch(/temporal_worker_task_slots_available\{[^}]*process="worker"/);
      const started = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'worker polling');
      expect(started).toMatchObject({ level: 'info', process: 'worker', taskQueue: h.taskQueue });
    } finally {
      await killHard(worker);
    }
  });
});
