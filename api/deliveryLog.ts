/**
 * The case's delivery log (every e-mail the outbox holds for it, with its status) and the secretariat's resend.
 * A resend is a new outbox row (reminder "gensendt:<row>:<n>", resend_of the original) sent by the emailResend
 * workflow, so it is retried through an SMTP outage and never sent twice.
 */
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Pool } from 'pg';
import { z } from 'zod';
import type { OutgoingEmail } from '../contracts/email';

export interface DeliveryRow {
  id: string;
  step: string;
  recipient: string;
  subject: string;
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'rejected';
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  resendOf: string | null;
  requestedBy: string | null;
}

export async function deliveryLog(pool: Pool, caseId: string): Promise<DeliveryRow[]> {
  const { rows } = await pool.query(
    `SELECT id, step, recipient, subject, status, attempts, last_error, created_at, sent_at, resend_of, requested_by
     FROM email_outbox WHERE case_id = $1 ORDER BY created_at, id`,
    [caseId],
  );
  return rows.map((r) => ({
    id: String(r.id),
    step: r.step,
    recipient: r.recipient,
    subject: r.subject,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: (r.created_at as Date).toISOString(),
    sentAt: r.sent_at ? (r.sent_at as Date).toISOString() : null,
    resendOf: r.resend_of === null ? null : String(r.resend_of),
    requestedBy: r.requested_by,
  }));
}

export const resendSchema = z.object({
  recipient: z
    .union([z.literal(''), z.email('Modtager: skriv en gyldig e-mailadresse, eller lad feltet stå tomt for at sende til samme adresse')])
    .optional(),
});

export class ResendError extends Error {}

/** Sends a copy of the message again, to the same or a corrected address. Returns the new row's key. */
export async function resend(deps: { pool: Pool; client: Client; taskQueue: string }, caseId: string, rowId: string, input: z.infer<typeof resendSchema>, actor: string): Promise<{ workflowId: string }> {
  if (!/^\d{1,18}$/.test(rowId)) throw new ResendError('Ukendt e-mail');
  const { rows } = await deps.pool.query(
    'SELECT id, step, recipient, reminder, subject, body_text, body_html, attachments FROM email_outbox WHERE id = $1 AND case_id = $2',
    [rowId, caseId],
  );
  const row = rows[0];
  if (!row) throw new ResendError('E-mailen findes ikke på sagen');
  const n = Number((await deps.pool.query('SELECT count(*) AS n FROM email_outbox WHERE resend_of = $1', [rowId])).rows[0].n) + 1;
  const recipient = input.recipient?.trim() || row.recipient;
  const message: OutgoingEmail = {
    caseId,
    step: row.step,
    recipient,
    reminder: `gensendt:${rowId}:${n}`,
    subject: row.subject,
    text: row.body_text,
    html: row.body_html,
    attachments: row.attachments,
  };
  // The row exists before the workflow sends it, so the log shows who asked for it and what it resends.
  await deps.pool.query(
    `INSERT INTO email_outbox (case_id, step, recipient, reminder, message_id, subject, body_text, body_html, attachments, resend_of, requested_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (case_id, step, recipient, reminder) DO NOTHING`,
    [caseId, row.step, recipient, message.reminder, `pending-${rowId}-${n}-${Date.now()}`, row.subject, row.body_text, row.body_html, JSON.stringify(row.attachments), rowId, actor],
  );
  const workflowId = `${caseId}/gensend/${rowId}/${n}`;
  try {
    await deps.client.workflow.start('emailResend', { taskQueue: deps.taskQueue, workflowId, args: [message] });
  } catch (e) {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
  }
  return { workflowId };
}
