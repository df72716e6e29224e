/**
 * Walks a procedure through its real calendar: the Java time-skipping test server started on a given date
 * (libfaketime sets its clock, see deploy/ensure-tools.sh), a worker with the real activities against the
 * real PostgreSQL and SMTP servers of the test run.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { CaseState, JournalView } from '../../contracts/caseState';
import { inject } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { freePort, waitForPort } from '../../deploy/services';
import type { Pool } from 'pg';
import { createPool } from '../../db/pool';
import { loadDocuments } from '../../db/documents';
import type { DocumentRef } from '../../contracts/documents';
import { migrate } from '../../db/migrate';
import { seedDirectory } from '../../db/seedDirectory';
import { createWorker } from '../../worker/createWorker';
import type { CaughtMessage } from '../../deploy/mailCatcher';
import { mailSince, TEST_LINK_SECRET } from './harness';
import { sharedWorkflowBundle } from './workflowBundle';

export interface CalendarHarness {
  env: TestWorkflowEnvironment;
  worker: Worker;
  taskQueue: string;
  pool: Pool;
  /** The e-mails caught since this harness started (only those naming `caseId`, if given). */
  mail(caseId?: string): Promise<CaughtMessage[]>;
  stop(): Promise<void>;
}

let runtimeInstalled = false;

/** The Java time-skipping test server started with its clock at `startsAt` ('YYYY-MM-DD HH:MM:SS'), time locked
 * until the test moves it (see sleepUntil). Shared with the workflow tests' harness (support/workflowHarness.ts). */
export async function startTimeSkippingServer(startsAt: string): Promise<{ env: TestWorkflowEnvironment; stop(): Promise<void> }> {
  if (!runtimeInstalled) {
    runtimeInstalled = true;
    try {
      Runtime.install({ logger: new DefaultLogger('WARN') });
    } catch {
      // installed by another harness in this worker thread
    }
  }
  const path = inject('testServerPath');
  if (!path) throw new Error('no time-skipping test server: run deploy/ensure-tools.sh --test-server');
  // Started here rather than by the SDK: with its clock set back, the JVM needs longer than the SDK's 5 s
  // start-up allowance (libfaketime slows class loading).
  const port = await freePort();
  const server = spawn(path, [String(port)], { env: { ...process.env, KKR_TEST_SERVER_START: startsAt }, stdio: 'ignore' });
  const within = (p: Promise<unknown>, ms: number) => Promise.race([p.catch(() => undefined), new Promise((r) => setTimeout(r, ms))]);
  const kill = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
      server.kill('SIGTERM');
      await within(exited, 10_000);
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    }
  };
  try {
    await waitForPort(port, '127.0.0.1', 60_000);
    // `create` is the SDK's general constructor (public in its JavaScript, private in its types); it is the one
    // way to attach time skipping to a server we started ourselves.
    const create = (TestWorkflowEnvironment as unknown as { create(o: object): Promise<TestWorkflowEnvironment> }).create.bind(TestWorkflowEnvironment);
    const env = await create({ server: { type: 'existing' }, address: `127.0.0.1:${port}`, namespace: 'default', supportsTimeSkipping: true });
    // Time moves only when the test says so (env.sleep); otherwise the server would skip ahead whenever the
    // workflow is idle, e.g. between two Updates the test sends.
    await env.connection.testService!.lockTimeSkipping({});
    return {
      env,
      async stop() {
        // Whatever happens to the teardown, the JVM must not outlive the test: a stray time-skipping server keeps
        // a core busy for the rest of the run.
        try {
          await within(env.teardown(), 10_000);
        } finally {
          await kill();
        }
      },
    };
  } catch (e) {
    await kill();
    throw e;
  }
}

export async function startCalendarHarness(startsAt: string): Promise<CalendarHarness> {
  const mail = mailSince(new Date().toISOString());
  const { env, stop: stopServer } = await startTimeSkippingServer(startsAt);
  const pool = createPool(inject('databaseUrl'));
  journalOf = journalFromDatabase(pool);
  await migrate(pool);
  await seedDirectory(pool);
  const taskQueue = `calendar-${randomUUID()}`;
  const worker = await createWorker({
    pool,
    connection: env.nativeConnection,
    workflowBundle: sharedWorkflowBundle(),
    config: {
      TEMPORAL_ADDRESS: 'unused',
      TEMPORAL_NAMESPACE: env.namespace ?? 'default',
      TEMPORAL_TASK_QUEUE: taskQueue,
      TEMPORAL_TLS: 'false',
      TEMPORAL_API_KEY: undefined,
      SMTP_URL: inject('smtpUrl'),
      MAIL_FROM: 'KKR Syddanmark test <sekretariat@kkr-test.example>',
      MAIL_REPLY_TO: undefined,
      PUBLIC_URL: 'http://127.0.0.1',
      LINK_SECRET: TEST_LINK_SECRET,
      SECRETARIAT_EMAIL: 'sekretariat@kkr-test.example',
    },
  });
  const running = worker.run();
  const ownJournal = journalOf;
  const within = (p: Promise<unknown>, ms: number) => Promise.race([p.catch(() => undefined), new Promise((r) => setTimeout(r, ms))]);
  return {
    env,
    worker,
    taskQueue,
    pool,
    mail,
    async stop() {
      // Whatever happens to the worker's shutdown (an activity stuck on a failing test), the JVM must not outlive
      // the test: a stray time-skipping server keeps a core busy for the rest of the run.
      try {
        worker.shutdown();
        await within(running, 20_000);
      } finally {
        await stopServer();
        if (journalOf === ownJournal) journalOf = undefined;
        await pool.end().catch(() => undefined);
      }
    },
  };
}

/** Moves the test server's clock forward to `iso` (never back). With `strict`, a clock already more than a day
 * past `iso` is an error: the test's dates would no longer mean what they say. */
export async function sleepUntil(h: Pick<CalendarHarness, 'env'>, iso: string, opts: { strict?: boolean } = {}): Promise<void> {
  const now = await h.env.currentTimeMs();
  const target = Date.parse(iso);
  if (opts.strict && now > target + 86_400_000) throw new Error(`the test server's clock (${new Date(now).toISOString()}) has run past ${iso}`);
  if (target > now) await h.env.sleep(target - now);
}

/** The Danish reason a refused Update gave (its validator's message); fails if the Update was accepted. */
export async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return String((e as { cause?: { message?: string } }).cause?.message ?? (e as Error).message);
  }
  throw new Error('the update was accepted');
}

/** The case as its page shows it: the workflow's compact Query joined with the journal from the read model (the
 * workflow keeps only the count) and each document's content from the document store. The entries of steps
 * still being recorded are waited for, briefly. */
export type CaseJournalEntry = Omit<JournalView, 'documents'> & { documents: (DocumentRef & { content: string })[] };
export type CaseView = CaseState & { journal: CaseJournalEntry[] };
/** Where the journal of a case is read: the read model of the running harness (PostgreSQL for the calendar
 * walks, the in-memory read model for the workflow tests). */
type JournalSource = (caseId: string) => Promise<CaseJournalEntry[]>;
let journalOf: JournalSource | undefined;

export function setJournalSource(source: JournalSource | undefined): void {
  journalOf = source;
}

const journalFromDatabase = (pool: Pool): JournalSource => async (caseId) => {
  const { rows } = await pool.query('SELECT at, description, actor, documents FROM case_journal WHERE case_id = $1 ORDER BY entry_key', [caseId]);
  const kept = await loadDocuments(pool, caseId, rows.flatMap((r) => (r.documents as DocumentRef[]).map((d) => d.id)));
  const withContent = (d: DocumentRef) => ({ ...d, content: kept.get(d.id)?.content.toString('utf8') ?? '(mangler i dokumentarkivet)' });
  return rows.map((r) => ({ at: (r.at as Date).toISOString(), description: r.description, actor: r.actor, documents: (r.documents as DocumentRef[]).map(withContent) }));
};

export async function caseState(handle: WorkflowHandle): Promise<CaseView> {
  const s = await handle.query<CaseState>('caseState');
  if (!journalOf) throw new Error('caseState needs a running harness (its read model holds the journal)');
  for (let i = 0; ; i++) {
    const journal = await journalOf(handle.workflowId);
    if (journal.length >= s.journalCount || i >= 50) return { ...s, journal };
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every payload in a workflow's history as text (payload data are JSON bytes), to check what a history carries. */
export function payloadText(history: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (v instanceof Uint8Array) out.push(Buffer.from(v).toString('utf8'));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(history);
  return out.join('\n');
}

/** Polls the case's Query until `pred` holds (time stays locked meanwhile); on timeout says where the case was. */
export async function until(handle: WorkflowHandle, pred: (s: CaseView) => boolean, what: string, timeoutMs = 120_000): Promise<CaseView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await caseState(handle).catch(() => undefined);
    if (s && pred(s)) return s;
    if (Date.now() > deadline) {
      // Under load the e-mail activities can be slow: say which activity the case was still waiting for.
      const pending = (await handle.describe()).raw.pendingActivities?.map((a) => `${a.activityType?.name} (attempt ${a.attempt}${a.lastFailure?.message ? `: ${a.lastFailure.message}` : ''})`);
      throw new Error(
        `timed out waiting for ${what}; stage: ${s?.stage}; pending activities: ${pending?.join(', ') || 'none'}; last entries: ${s?.journal.slice(-3).map((j) => `${j.at} ${j.description}`).join(' | ')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
