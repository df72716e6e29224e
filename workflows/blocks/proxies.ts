import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';

/** Read-model and e-mail activities: idempotent, so generous retries are safe. A PostgreSQL or SMTP outage
 * delays the step; it never drops it. */
export const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** Pushing a step to the read model is an ordinary activity, not a local one: a local activity completing in
 * the same workflow task as an Update handler can be ordered differently on replay than it was recorded (seen
 * with the central-announcement workflow), and determinism matters more than the round trip it would save. */
export const readModel = proxyActivities<Pick<Activities, 'recordCaseChange' | 'markCaseAttention'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});
