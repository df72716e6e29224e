/**
 * E-mail through an outbox in PostgreSQL. A message is inserted once per (case, step, recipient, reminder);
 * a retried or replayed activity finds the row and does not insert again. The Message-ID is derived from the
 * key, so even a resend after a crash between SMTP's 250 and the status update carries the same ID and mail
 * clients show it once.
 */
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { Transporter } from 'nodemailer';

export interface OutgoingEmail {
  caseId: string;
  step: string;
  recipient: string;
  reminder?: string;
  subject: string;
  text: string;
  html: string;
  attachments?: { filename: string; contentType: string; content: string }[];
}

export function messageIdFor(e: Pick<OutgoingEmail, 'caseId' | 'step' | 'recipient' | 'reminder'>, domain: string): string {
  const h = createHash('sha256').update([e.caseId, e.step, e.recipient, e.reminder ?? ''].join('\u0000')).digest('hex');
  return `<${h.slice(0, 32)}@${domain}>`;
}

export function createEmailActivities(deps: { pool: Pool; transport: Transporter; from: string; replyTo?: string }) {
  const domain = /@([^>\s]+)/.exec(deps.from)?.[1] ?? 'kkr.local';
  return {
    /** Queues the messages and sends every one of them that is not sent yet. Throws (and so is retried by
     * Temporal with backoff) while any of them could not be delivered. */
    async sendEmails(messages: OutgoingEmail[]): Promise<{ sent: number; alreadySent: number }> {
      let sent = 0;
      let alreadySent = 0;
      const failures: string[] = [];
      for (const m of messages) {
        const messageId = messageIdFor(m, domain);
        await deps.pool.query(
          `INSERT INTO email_outbox (case_id, step, recipient, reminder, message_id, subject, body_text, body_html, attachments)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (case_id, step, recipient, reminder) DO NOTHING`,
          [m.caseId, m.step, m.recipient, m.reminder ?? '', messageId, m.subject, m.text, m.html, JSON.stringify(m.attachments ?? [])],
        );
        // Claim the row for this attempt. A row another attempt is sending right now is left alone; a claim
        // older than the lease (that attempt died) may be taken over.
        const { rows } = await deps.pool.query<{ id: string; status: string }>(
          `UPDATE email_outbox SET status = 'sending', claimed_at = now()
           WHERE message_id = $1 AND (status IN ('pending', 'failed') OR (status = 'sending' AND claimed_at < now() - interval '2 minutes'))
           RETURNING id, status`,
          [messageId],
        );
        const row = rows[0];
        if (!row) {
          const cur = await deps.pool.query<{ status: string }>('SELECT status FROM email_outbox WHERE message_id = $1', [messageId]);
          if (cur.rows[0]?.status === 'sent') {
            alreadySent++;
            continue;
          }
          failures.push(`${m.recipient}: sendes af et andet forsøg`);
          continue;
        }
        try {
          await deps.transport.sendMail({
            from: deps.from,
            replyTo: deps.replyTo,
            to: m.recipient,
            subject: m.subject,
            text: m.text,
            html: m.html,
            messageId,
            attachments: m.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
          });
          await deps.pool.query(
            "UPDATE email_outbox SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1",
            [row.id],
          );
          sent++;
        } catch (err) {
          const msg = (err as Error).message;
          await deps.pool
            .query("UPDATE email_outbox SET status = 'pending', attempts = attempts + 1, last_error = $2 WHERE id = $1", [row.id, msg])
            .catch(() => undefined);
          failures.push(`${m.recipient}: ${msg}`);
        }
      }
      if (failures.length) throw new Error(`e-mail not delivered (will retry): ${failures.join('; ')}`);
      return { sent, alreadySent };
    },
  };
}
