import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';

/** Read-model and e-mail activities: idempotent, so generous retries are safe. A PostgreSQL or SMTP outage
 * delays the step; it never drops it. */
export const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});
