import type { Pool } from 'pg';
import type { Transporter } from 'nodemailer';
import { createReadModelActivities } from './readModel';
import { createDirectoryActivities } from './directory';
import { createEmailActivities } from './email';
import { createNotifyActivities } from './notify';

export interface ActivityDeps {
  pool: Pool;
  transport: Transporter;
  mailFrom: string;
  mailReplyTo?: string;
}

export function createActivities(deps: ActivityDeps) {
  const directory = createDirectoryActivities(deps.pool);
  const email = createEmailActivities({ pool: deps.pool, transport: deps.transport, from: deps.mailFrom, replyTo: deps.mailReplyTo });
  return {
    ...createReadModelActivities(deps.pool),
    ...directory,
    ...email,
    ...createNotifyActivities({ directory, email }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
