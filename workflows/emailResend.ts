/**
 * A message the secretariat sends again from the case page (after correcting an address, or because a party
 * asks for it). A workflow of its own rather than a call from the web server, so an SMTP outage delays the
 * resend with Temporal's retries instead of losing it; its ID is derived from the outbox row and the resend
 * number, so a double click starts it once.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { OutgoingEmail } from '../contracts/email';

const { sendEmails } = proxyActivities<Pick<Activities, 'sendEmails'>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export async function emailResend(message: OutgoingEmail): Promise<{ sent: number; alreadySent: number; rejected: { recipient: string; error: string }[] }> {
  return sendEmails([message]);
}
