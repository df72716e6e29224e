import path from 'node:path';
import { NativeConnection, Worker, type WorkerOptions, type WorkflowBundleOption } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createActivities } from '../activities';
import type { Config } from '../config';
import { createTransport } from '../config/smtp';

export { createTransport };

export async function createWorker(opts: {
  config: Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'TEMPORAL_TASK_QUEUE' | 'TEMPORAL_TLS' | 'TEMPORAL_API_KEY' | 'SMTP_URL' | 'MAIL_FROM' | 'MAIL_REPLY_TO' | 'PUBLIC_URL' | 'LINK_SECRET' | 'SECRETARIAT_EMAIL'> & Partial<Pick<Config, 'NOTICE_TIME' | 'WORKER_MAX_CACHED_WORKFLOWS' | 'OUTBOX_LEASE_SECONDS'>>;
  pool: Pool;
  connection?: NativeConnection;
  extra?: Partial<WorkerOptions>;
  /** Workflow code bundled beforehand (the tests bundle once per run); otherwise bundled here from workflows/. */
  workflowBundle?: WorkflowBundleOption;
}): Promise<Worker> {
  const { config } = opts;
  const connection =
    opts.connection ??
    (await NativeConnection.connect({
      address: config.TEMPORAL_ADDRESS,
      tls: config.TEMPORAL_TLS === 'true',
      apiKey: config.TEMPORAL_API_KEY,
    }));
  const activities = createActivities({
    pool: opts.pool,
    transport: createTransport(config.SMTP_URL),
    mailFrom: config.MAIL_FROM,
    mailReplyTo: config.MAIL_REPLY_TO,
    publicUrl: config.PUBLIC_URL,
    linkSecret: config.LINK_SECRET,
    secretariatEmail: config.SECRETARIAT_EMAIL,
    noticeTime: config.NOTICE_TIME,
    outboxLeaseSeconds: config.OUTBOX_LEASE_SECONDS,
  });
  return Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: path.join(__dirname, '..', 'workflows', 'index.ts') }),
    activities,
    // Unset: the SDK sizes the cache from the heap. A case evicted from the cache is replayed from its history
    // when it next acts, so a smaller cache trades memory for CPU, never for correctness.
    ...(config.WORKER_MAX_CACHED_WORKFLOWS !== undefined ? { maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS } : {}),
    ...opts.extra,
  });
}
