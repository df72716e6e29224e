import { Client, Connection } from '@temporalio/client';
import { loadConfigOrExit, oidcSettings } from '../config';
import { createPool } from '../db/pool';
import { migrate } from '../db/migrate';
import { seedDirectory } from '../db/seedDirectory';
import { createTransport } from '../config/smtp';
import { createApp } from './app';

async function main() {
  const config = loadConfigOrExit();
  const pool = createPool(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
  await migrate(pool);
  await seedDirectory(pool);
  const connection = await Connection.connect({
    address: config.TEMPORAL_ADDRESS,
    tls: config.TEMPORAL_TLS === 'true',
    apiKey: config.TEMPORAL_API_KEY,
  });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const app = createApp({
    client,
    pool,
    smtp: createTransport(config.SMTP_URL),
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    publicUrl: config.PUBLIC_URL,
    linkSecret: config.LINK_SECRET,
    secretariatEmail: config.SECRETARIAT_EMAIL,
    oidc: oidcSettings(config),
    trustProxy: config.TRUST_PROXY,
  });
  app.listen(config.PORT, config.HOST, () => console.log(`web: listening on ${config.HOST}:${config.PORT} (${config.PUBLIC_URL})`));
}

main().catch((err) => {
  console.error('web server failed:', err);
  process.exit(1);
});
