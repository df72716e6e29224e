import { loadConfigOrExit } from '../config';
import { createPool } from '../db/pool';
import { migrate } from '../db/migrate';
import { createWorker } from './createWorker';

async function main() {
  const config = loadConfigOrExit();
  const pool = createPool(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
  await migrate(pool);
  const worker = await createWorker({ config, pool, workflowBundle: config.WORKFLOW_BUNDLE_PATH ? { codePath: config.WORKFLOW_BUNDLE_PATH } : undefined });
  console.log(`worker: polling task queue ${config.TEMPORAL_TASK_QUEUE} on ${config.TEMPORAL_ADDRESS}`);
  await worker.run();
  await pool.end();
}

main().catch((err) => {
  console.error('worker failed:', err);
  process.exit(1);
});
