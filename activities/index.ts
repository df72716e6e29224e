import type { Pool } from 'pg';
import type { Transporter } from 'nodemailer';
import { createReadModelActivities } from './readModel';
import { createDirectoryActivities } from './directory';
import { createEmailActivities } from './email';
import { createNotifyActivities } from './notify';
import { createDeadlineActivities } from './deadlines';
import { createMeetingActivities } from './meetings';
import { createDocumentActivities } from './documents';
import { createCapacityActivities } from './capacity';
import { createClosureActivities } from './closure';
import { createCentralAnnouncementActivities } from './centralAnnouncement';
import { classifyPermanentFailures } from './failures';
import { postgresDocumentStore } from '../db/documents';

export interface ActivityDeps {
  pool: Pool;
  transport: Transporter;
  mailFrom: string;
  mailReplyTo?: string;
  publicUrl: string;
  linkSecret: string;
  secretariatEmail: string;
  /** 'HH:MM' Copenhagen time at which notices go out on their day (default 08:00). */
  noticeTime?: string;
  /** Seconds an outbox claim holds before a retry may take it over (default 120). */
  outboxLeaseSeconds?: number;
}

export function createActivities(deps: ActivityDeps) {
  const directory = createDirectoryActivities(deps.pool);
  const documents = postgresDocumentStore(deps.pool);
  const email = createEmailActivities({ pool: deps.pool, transport: deps.transport, from: deps.mailFrom, replyTo: deps.mailReplyTo, secretariatEmail: deps.secretariatEmail, leaseSeconds: deps.outboxLeaseSeconds });
  // Permanent errors (invalid data, a broken constraint, an unknown party) fail at once instead of retrying.
  return classifyPermanentFailures({
    ...createReadModelActivities(deps.pool),
    ...directory,
    ...email,
    ...createNotifyActivities({ directory, email, publicUrl: deps.publicUrl, linkSecret: deps.linkSecret, secretariatEmail: deps.secretariatEmail }),
    ...createDeadlineActivities({ noticeTime: deps.noticeTime }),
    ...createMeetingActivities(deps.pool),
    ...createDocumentActivities({ documents, email }),
    ...createCapacityActivities({ pool: deps.pool, email, publicUrl: deps.publicUrl }),
    ...createClosureActivities({ documents, directory, email, publicUrl: deps.publicUrl }),
    ...createCentralAnnouncementActivities(documents),
  });
}

export type Activities = ReturnType<typeof createActivities>;
