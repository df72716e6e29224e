/**
 * A warning on the case page shows while it is true (issue 16, item 9): an e-mail that was queued a moment ago is
 * not "waiting because the mail server does not answer"; once an attempt has failed, it is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startHarness, waitFor, type Harness } from '../support/harness';
import { startCentralAnnouncement } from '../support/cases';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const casePage = async (caseId: string) => (await h.fetch(`${h.baseUrl}/sager/${encodeURIComponent(caseId)}`)).text();

describe('case page warnings', () => {
  it('an e-mail just queued is not announced as waiting; one whose attempt failed is', { timeout: 120_000 }, async () => {
    const caseId = await startCentralAnnouncement(h, `Advarsler ${randomUUID().slice(0, 6)}`, ['461']);
    // The case's own e-mails are out first, so only the row below is unsent.
    await waitFor(async () => {
      const { rows } = await h.pool.query("SELECT count(*) FILTER (WHERE status <> 'sent')::int AS unsent, count(*)::int AS n FROM email_outbox WHERE case_id = $1", [caseId]);
      return rows[0].n > 0 && rows[0].unsent === 0;
    }, 60_000, 'the invitations to be sent');
    const { rows } = await h.pool.query<{ id: string }>(
      `INSERT INTO email_outbox (case_id, step, recipient, message_id, subject, body_text, body_html)
       VALUES ($1, 'test-queued', 'sagsbehandler@odense.kommune.example', $2, 'Påmindelse', 'tekst', '<p>tekst</p>') RETURNING id`,
      [caseId, `<${randomUUID()}@kkr-test.example>`],
    );
    expect(await casePage(caseId)).not.toContain('venter på at blive sendt');
    await h.pool.query("UPDATE email_outbox SET attempts = 1, last_error = 'connect ECONNREFUSED 127.0.0.1:25' WHERE id = $1", [rows[0]!.id]);
    expect(await casePage(caseId)).toContain('1 e-mail venter på at blive sendt');
  });
});
