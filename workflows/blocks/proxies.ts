import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';

/** Read-model and e-mail activities: idempotent, so generous retries are safe. A PostgreSQL or SMTP outage
 * delays the step; it never drops it. */
export const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** Pushing a step to the read model is a short idempotent write on the worker's own database: a local
 * activity saves the round trip through the server on every step of every case. */
export const localActs = proxyLocalActivities<Pick<Activities, 'recordCaseChange'>>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});
