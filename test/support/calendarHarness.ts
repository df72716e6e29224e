/**
 * Walks a procedure through its real calendar: the Java time-skipping test server started on a given date
 * (libfaketime sets its clock, see deploy/ensure-tools.sh), a worker with the real activities against the
 * real PostgreSQL and SMTP servers of the test run.
 */
import { inject } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { freePort, waitForPort } from '../../deploy/services';
import type { Pool } from 'pg';
import { createPool } from '../../db/pool';
import { migrate } from '../../db/migrate';
import { seedDirectory } from '../../db/seedDirectory';
import { createWorker } from '../../worker/createWorker';
import type { CaughtMessage } from '../../deploy/mailCatcher';
import { TEST_LINK_SECRET } from './harness';

export interface CalendarHarness {
  env: TestWorkflowEnvironment;
  worker: Worker;
  taskQueue: string;
  pool: Pool;
  mail(): Promise<CaughtMessage[]>;
  stop(): Promise<void>;
}

let runtimeInstalled = false;

export async function startCalendarHarness(startsAt: string): Promise<CalendarHarness> {
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
  await waitForPort(port, '127.0.0.1', 60_000);
  // `create` is the SDK's general constructor (public in its JavaScript, private in its types); it is the one
  // way to attach time skipping to a server we started ourselves.
  const create = (TestWorkflowEnvironment as unknown as { create(o: object): Promise<TestWorkflowEnvironment> }).create.bind(TestWorkflowEnvironment);
  const env = await create({ server: { type: 'existing' }, address: `127.0.0.1:${port}`, namespace: 'default', supportsTimeSkipping: true });
  // Time moves only when the test says so (env.sleep); otherwise the server would skip ahead whenever the
  // workflow is idle, e.g. between two Updates the test sends.
  await env.connection.testService!.lockTimeSkipping({});
  const pool = createPool(inject('databaseUrl'));
  await migrate(pool);
  await seedDirectory(pool);
  const taskQueue = `calendar-${randomUUID()}`;
  const worker = await createWorker({
    pool,
    connection: env.nativeConnection,
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
  return {
    env,
    worker,
    taskQueue,
    pool,
    mail: async () => (await (await fetch(inject('mailApiUrl'))).json()) as CaughtMessage[],
    async stop() {
      worker.shutdown();
      await running;
      await env.teardown();
      await new Promise<void>((resolve) => {
        server.once('exit', () => resolve());
        server.kill('SIGTERM');
      });
      await pool.end();
    },
  };
}
