import { createLogger } from '../config/log';
import { Client, Connection } from '@temporalio/client';
import { loadConfigOrExit, oidcSettings } from '../config';
import { createPool } from '../db/pool';
import { migrate } from '../db/migrate';
import { seedDirectory } from '../db/seedDirectory';
import { createTransport } from '../config/smtp';
import { createApp } from './app';

async function main() {
  const config = loadConfigOrExit();
  const log = createLogger('web', { level: config.LOG_LEVEL });
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
    log,
  });
  app.listen(config.PORT, config.HOST, () => log.info({ host: config.HOST, port: config.PORT, publicUrl: config.PUBLIC_URL }, 'web listening'));
}

main().catch((err) => {
  createLogger('web').fatal({ err }, 'web server failed');
  process.exit(1);
});
