/**
 * Walks a procedure through its real calendar: the Java time-skipping test server started on a given date
 * (libfaketime sets its clock, see deploy/ensure-tools.sh), a worker with the real activities against the
 * real PostgreSQL and SMTP servers of the test run.
 */
import { inject } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
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
  process.env.KKR_TEST_SERVER_START = startsAt;
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
  delete process.env.KKR_TEST_SERVER_START;
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
      await pool.end();
    },
  };
}
