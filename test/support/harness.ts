/**
 * Per-test-file access to the real servers started in globalSetup: a PostgreSQL pool (migrated and seeded),
 * a Temporal client, an in-process worker on a task queue of its own, the web app on a free port, and the
 * SMTP catcher's messages.
 */
import { inject } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { createPool } from '../../db/pool';
import { migrate } from '../../db/migrate';
import { seedDirectory } from '../../db/seedDirectory';
import { createWorker, createTransport } from '../../worker/createWorker';
import { createApp } from '../../api/app';
import { createLogger, type Logger } from '../../config/log';
import type { CaughtMessage } from '../../deploy/mailCatcher';
import type { Pool } from 'pg';
import { createApiToken } from '../../api/auth/store';
import type { Role } from '../../api/auth/principal';
import { sharedWorkflowBundle } from './workflowBundle';

export const TEST_LINK_SECRET = 'test-link-secret-that-is-at-least-32-chars';

export interface Harness {
  pool: Pool;
  client: Client;
  worker: Worker | undefined;
  /** The environment a worker process for this harness needs (same servers, same task queue). */
  workerEnv: NodeJS.ProcessEnv;
  taskQueue: string;
  baseUrl: string;
  /** fetch as the secretariat's system client (an API token); pages accept it too, without CSRF. */
  fetch: typeof fetch;
  /** fetch with a token of another role (leadership, or a municipality contact for `partyId`). */
  fetchAs(role: Role, partyId?: string): Promise<typeof fetch>;
  /** The e-mails caught since this harness started (only those naming `caseId`, if given). */
  mail(caseId?: string): Promise<CaughtMessage[]>;
  /** Stops / restarts the catcher's SMTP listener (connections are refused meanwhile), as an outage would. */
  smtpOutage(down: boolean): Promise<void>;
  waitForMail(pred: (m: CaughtMessage) => boolean, count?: number, timeoutMs?: number): Promise<CaughtMessage[]>;
  stop(): Promise<void>;
}

export async function waitFor<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface HarnessOptions {
  /** false: no worker in this process (a test runs the worker as a separate process it can kill). */
  inProcessWorker?: boolean;
  /** The web server's logger; default one at LOG_LEVEL or "warn" (a request line per request would drown the
   * test output). */
  log?: Logger;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  installQuietRuntime();
  const taskQueue = `test-${randomUUID()}`;
  const pool = createPool(inject('databaseUrl'));
  await migrate(pool);
  await seedDirectory(pool);
  const config = {
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: taskQueue,
    TEMPORAL_TLS: 'false' as const,
    TEMPORAL_API_KEY: undefined,
    SMTP_URL: inject('smtpUrl'),
    MAIL_FROM: 'KKR Syddanmark test <sekretariat@kkr-test.example>',
    MAIL_REPLY_TO: undefined,
    PUBLIC_URL: 'http://127.0.0.1',
    LINK_SECRET: TEST_LINK_SECRET,
    SECRETARIAT_EMAIL: 'sekretariat@kkr-test.example',
  };
  const nativeConnection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = opts.inProcessWorker === false ? undefined : await createWorker({ config, pool, connection: nativeConnection, workflowBundle: sharedWorkflowBundle() });
  const running = worker?.run();
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({ connection });
  const app = createApp({ client, pool, smtp: createTransport(config.SMTP_URL), taskQueue, publicUrl: 'http://127.0.0.1', linkSecret: TEST_LINK_SECRET, secretariatEmail: 'sekretariat@kkr-test.example', log: opts.log ?? createLogger('web', { level: process.env.LOG_LEVEL ?? 'warn' }) });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const withToken = (token: string): typeof fetch => (input, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${token}`);
    return fetch(input, { ...init, headers });
  };
  const secretariatToken = await createApiToken(pool, { name: `testklient ${taskQueue.slice(-8)}`, role: 'secretariat', createdBy: 'test' });
  // Only what arrived since this harness started: the catcher serves the whole run's store otherwise.
  const mail = mailSince(new Date().toISOString());
  return {
    pool,
    client,
    worker,
    taskQueue,
    baseUrl,
    workerEnv: {
      ...process.env,
      TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS,
      TEMPORAL_TASK_QUEUE: taskQueue,
      // Several worker processes may run at once in a test run: none binds the SDK's metrics port unless asked.
      WORKER_METRICS_ADDRESS: 'off',
      DATABASE_URL: inject('databaseUrl'),
      SMTP_URL: config.SMTP_URL,
      MAIL_FROM: config.MAIL_FROM,
      PUBLIC_URL: config.PUBLIC_URL,
      LINK_SECRET: config.LINK_SECRET,
      SECRETARIAT_EMAIL: config.SECRETARIAT_EMAIL,
      // The tests that run this worker SIGKILL it: a claim it held is known dead, so a retry need not wait out
      // the production lease (2 minutes) before it takes the e-mail over.
      OUTBOX_LEASE_SECONDS: '10',
      ...(inject('workflowBundlePath') ? { WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath') } : {}),
    },
    fetch: withToken(secretariatToken.token),
    async fetchAs(role, partyId) {
      const t = await createApiToken(pool, { name: `test ${role}${partyId ? ` ${partyId}` : ''}`, role, partyId, createdBy: 'test' });
      return withToken(t.token);
    },
    mail,
    async smtpOutage(down) {
      const res = await fetch(inject('mailApiUrl').replace(/\/api\/messages$/, `/api/smtp/${down ? 'stop' : 'start'}`), { method: 'POST' });
      if (res.status !== 204) throw new Error(`mail catcher: ${res.status} ${await res.text()}`);
    },
    waitForMail: (pred, count = 1, timeoutMs = 30_000) =>
      waitFor(async () => {
        const got = (await mail()).filter(pred);
        return got.length >= count ? got : undefined;
      }, timeoutMs, `${count} e-mail(s)`),
    async stop() {
      await new Promise((r) => server.close(r));
      worker?.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
      await pool.end();
    },
  };
}

/** The catcher's messages received from `since` on (optionally only those naming `caseId`). */
export function mailSince(since: string): (caseId?: string) => Promise<CaughtMessage[]> {
  return async (caseId) => {
    const url = new URL(inject('mailApiUrl'));
    url.searchParams.set('since', since);
    if (caseId) url.searchParams.set('case', caseId);
    const res = await fetch(url);
    if (!res.ok) throw new Error(`mail catcher: ${res.status} ${await res.text()}`);
    return (await res.json()) as CaughtMessage[];
  };
}

let runtimeInstalled = false;
function installQuietRuntime() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed by another harness in this worker thread
  }
}
