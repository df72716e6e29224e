/**
 * E-mail through an outbox in PostgreSQL. A message is inserted once per (case, step, recipient, reminder);
 * a retried or replayed activity finds the row and does not insert again. The Message-ID is derived from the
 * key, so even a resend after a crash between SMTP's 250 and the status update carries the same ID and mail
 * clients show it once.
 */
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { Transporter } from 'nodemailer';
import { renderCaseEmail } from './emailTemplate';
import type { OutgoingEmail } from '../contracts/email';

export type { OutgoingEmail };

export function messageIdFor(e: Pick<OutgoingEmail, 'caseId' | 'step' | 'recipient' | 'reminder'>, domain: string): string {
  const h = createHash('sha256').update([e.caseId, e.step, e.recipient, e.reminder ?? ''].join('\u0000')).digest('hex');
  return `<${h.slice(0, 32)}@${domain}>`;
}

/** A refusal the receiving server means for good (RFC 5321 5yz: no such mailbox, bad domain, policy); a retry
 * would only be refused again. Everything else (4yz, connection refused, timeouts) is temporary. */
export function isPermanentSmtpFailure(err: unknown): boolean {
  const code = (err as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

export interface RejectedEmail {
  recipient: string;
  subject: string;
  error: string;
}

export function createEmailActivities(deps: { pool: Pool; transport: Transporter; from: string; replyTo?: string; secretariatEmail?: string; leaseSeconds?: number }) {
  const leaseSeconds = deps.leaseSeconds ?? 120;
  const domain = /@([^>\s]+)/.exec(deps.from)?.[1] ?? 'kkr.local';

  /** The secretariat hears of a refused message once (keyed by the refused message), through the outbox too. */
  const rejectionNotice = (m: OutgoingEmail, messageId: string, error: string): OutgoingEmail | undefined => {
    if (!deps.secretariatEmail || m.recipient === deps.secretariatEmail) return undefined;
    const body = renderCaseEmail({
      greeting: 'Til sekretariatet',
      heading: `En e-mail på sag ${m.caseId} blev afvist`,
      paragraphs: [
        `E-mailen "${m.subject}" til ${m.recipient} blev afvist af modtagerens mailserver og sendes ikke igen af sig selv.`,
        'Ret adressen i adressebogen, og send e-mailen igen fra sagens side (afsnittet "Udsendte e-mails").',
      ],
      facts: [{ label: 'Svar fra mailserveren', value: error }],
      signature: 'Sagssystemet, KKR Syddanmark',
    });
    return { caseId: m.caseId, step: 'leveringsfejl', recipient: deps.secretariatEmail, reminder: messageId, subject: `Leveringsfejl på sag ${m.caseId}: e-mail til ${m.recipient} blev afvist`, ...body };
  };

  return {
    /** Queues the messages and sends every one of them that is not sent yet. Throws (and so is retried by
     * Temporal with backoff) while any of them could not be delivered for a temporary reason; a message the
     * receiving server refuses for good is marked rejected, reported to the secretariat and not retried. */
    async sendEmails(messages: OutgoingEmail[]): Promise<{ sent: number; alreadySent: number; rejected: RejectedEmail[] }> {
      let sent = 0;
      let alreadySent = 0;
      const failures: string[] = [];
      const rejected: RejectedEmail[] = [];
      const queue = [...messages];
      for (let m = queue.shift(); m; m = queue.shift()) {
        const messageId = messageIdFor(m, domain);
        await deps.pool.query(
          `INSERT INTO email_outbox (case_id, step, recipient, reminder, message_id, subject, body_text, body_html, attachments)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (case_id, step, recipient, reminder) DO NOTHING`,
          [m.caseId, m.step, m.recipient, m.reminder ?? '', messageId, m.subject, m.text, m.html, JSON.stringify(m.attachments ?? [])],
        );
        // Claim the row for this attempt. A row another attempt is sending right now is left alone; a claim
        // older than the lease (that attempt died) may be taken over.
        // By the key, not the Message-ID: a resend row is queued by the web server before this runs.
        const key = [m.caseId, m.step, m.recipient, m.reminder ?? ''];
        const { rows } = await deps.pool.query<{ id: string; status: string }>(
          `UPDATE email_outbox SET status = 'sending', claimed_at = now(), message_id = $5
           WHERE case_id = $1 AND step = $2 AND recipient = $3 AND reminder = $4
             AND (status IN ('pending', 'failed') OR (status = 'sending' AND claimed_at < now() - make_interval(secs => $6)))
           RETURNING id, status`,
          [...key, messageId, leaseSeconds],
        );
        const row = rows[0];
        if (!row) {
          const cur = await deps.pool.query<{ status: string; last_error: string | null }>(
            'SELECT status, last_error FROM email_outbox WHERE case_id = $1 AND step = $2 AND recipient = $3 AND reminder = $4',
            key,
          );
          if (cur.rows[0]?.status === 'sent') {
            alreadySent++;
            continue;
          }
          if (cur.rows[0]?.status === 'rejected') {
            rejected.push({ recipient: m.recipient, subject: m.subject, error: cur.rows[0].last_error ?? '' });
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
            attachments: m.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content, ...(a.encoding ? { encoding: a.encoding } : {}) })),
          });
          await deps.pool.query(
            "UPDATE email_outbox SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1",
            [row.id],
          );
          sent++;
        } catch (err) {
          const msg = (err as Error).message;
          if (isPermanentSmtpFailure(err)) {
            await deps.pool.query("UPDATE email_outbox SET status = 'rejected', rejected_at = now(), attempts = attempts + 1, last_error = $2 WHERE id = $1", [row.id, msg]);
            rejected.push({ recipient: m.recipient, subject: m.subject, error: msg });
            const notice = rejectionNotice(m, messageId, msg);
            if (notice) queue.push(notice);
            continue;
          }
          await deps.pool
            .query("UPDATE email_outbox SET status = 'pending', attempts = attempts + 1, last_error = $2 WHERE id = $1", [row.id, msg])
            .catch(() => undefined);
          failures.push(`${m.recipient}: ${msg}`);
        }
      }
      if (failures.length) throw new Error(`e-mail not delivered (will retry): ${failures.join('; ')}`);
      return { sent, alreadySent, rejected };
    },
  };
}
