import { createHash, randomUUID } from 'node:crypto';

/**
 * A case's ID is its Temporal workflow ID, derived from the procedure and the client's request ID, so a form
 * submitted twice (or an API call retried) names the same case and cannot start a second one.
 */
export function caseIdFor(prefix: string, requestId: string, now = new Date()): string {
  const h = createHash('sha256').update(`${prefix}\u0000${requestId}`).digest('hex').slice(0, 10).toUpperCase();
  return `${prefix}-${now.getUTCFullYear()}-${h}`;
}

export function newRequestId(): string {
  return randomUUID();
}
