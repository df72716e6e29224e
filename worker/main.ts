import { Runtime, type LogLevel, type LogMetadata, type Logger as SdkLogger } from '@temporalio/worker';
import { loadConfigOrExit } from '../config';
import { createLogger, type Logger } from '../config/log';
import { createPool } from '../db/pool';
import { migrate } from '../db/migrate';
import { createWorker } from './createWorker';

/** The SDK's log lines (the worker's, each workflow's and activity's) as JSON lines of our logger; a workflow's
 * id is its case's number. */
class SdkToPino implements SdkLogger {
  constructor(private readonly pino: Logger) {}
  log(level: LogLevel, message: string, meta: LogMetadata = {}): void {
    const { workflowId, ...rest } = meta as LogMetadata & { workflowId?: string };
    const fields = { ...rest, ...(workflowId ? { caseId: workflowId } : {}) };
    const method = ({ TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const)[level];
    this.pino[method](fields, message);
  }
  trace = (m: string, meta?: LogMetadata) => this.log('TRACE', m, meta);
  debug = (m: string, meta?: LogMetadata) => this.log('DEBUG', m, meta);
  info = (m: string, meta?: LogMetadata) => this.log('INFO', m, meta);
  warn = (m: string, meta?: LogMetadata) => this.log('WARN', m, meta);
  error = (m: string, meta?: LogMetadata) => this.log('ERROR', m, meta);
}

async function main() {
  const config = loadConfigOrExit();
  const log = createLogger('worker', { level: config.LOG_LEVEL });
  // Before any connection: the runtime is process-wide. The SDK's worker metrics (task slots, polls, latencies,
  // cache, activity and workflow outcomes) are served at WORKER_METRICS_ADDRESS/metrics.
  Runtime.install({
    logger: new SdkToPino(log),
    ...(config.WORKER_METRICS_ADDRESS !== 'off'
      ? { telemetryOptions: { metrics: { metricPrefix: 'temporal_', globalTags: { process: 'worker' }, prometheus: { bindAddress: config.WORKER_METRICS_ADDRESS, countersTotalSuffix: true } } } }
      : {}),
  });
  const pool = createPool(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
  await migrate(pool);
  const worker = await createWorker({ config, pool, workflowBundle: config.WORKFLOW_BUNDLE_PATH ? { codePath: config.WORKFLOW_BUNDLE_PATH } : undefined });
  log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, temporal: config.TEMPORAL_ADDRESS, metrics: config.WORKER_METRICS_ADDRESS }, 'worker polling');
  await worker.run();
  await pool.end();
}

main().catch((err) => {
  createLogger('worker').fatal({ err }, 'worker failed');
  process.exit(1);
});
