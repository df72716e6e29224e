/**
 * E-mail delivery against the real SMTP catcher: an address the receiving server refuses for good (the .invalid
 * domain, 550) is shown on the case page and told to the secretariat once, and the secretariat can resend to a
 * corrected address; an SMTP outage delays the e-mails and, once the server is back, each arrives exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unescapeHtml } from '../support/cases';
import { startHarness, waitFor, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.smtpOutage(false).catch(() => undefined);
  await h?.stop();
});

const unescape = unescapeHtml;
const page = async (p: string) => unescape(await (await h.fetch(`${h.baseUrl}${p}`)).text());
async function startOrientation(title: string, partyIds: string[]): Promise<string> {
  const res = await h.fetch(`${h.baseUrl}/api/v1/cases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ procedure: 'orientation', input: { title, message: 'Orientering om en væsentlig ændring af et tilbud i regionen.', partyIds }, requestId: crypto.randomUUID() }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { caseId: string }).caseId;
}
type Row = { id: string; recipient: string; status: string; lastError: string | null; resendOf: string | null; attempts: number };
const emailsOf = async (caseId: string) => ((await (await h.fetch(`${h.baseUrl}/api/v1/cases/${encodeURIComponent(caseId)}/emails`)).json()) as { items: Row[] }).items;

describe('e-mail delivery', () => {
  it('a refused address is shown on the case page, told to the secretariat once, and can be resent to a corrected address', { timeout: 120_000 }, async () => {
    const original = (await h.pool.query<{ contacts: unknown }>("SELECT contacts FROM directory_party WHERE party_id = '563'")).rows[0]!.contacts;
    await h.pool.query("UPDATE directory_party SET contacts = $1 WHERE party_id = '563'", [JSON.stringify({ default: ['sagsbehandler@fanoe.invalid'] })]);
    try {
      const title = `Orientering med forkert adresse ${Date.now()}`;
      const caseId = await startOrientation(title, ['563', '461']);
      // Odense's e-mail goes out; Fanø's is refused and the secretariat hears of it.
      await h.waitForMail((m) => m.subject.includes(title) && m.envelopeTo.includes('sagsbehandler@odense.kommune.example'), 1, 60_000);
      const [notice] = await h.waitForMail((m) => m.subject === `Leveringsfejl på sag ${caseId}: e-mail til sagsbehandler@fanoe.invalid blev afvist`, 1, 60_000);
      expect(notice!.envelopeTo).toEqual(['sekretariat@kkr-test.example']);
      expect(notice!.text).toContain('550');
      expect(notice!.html).toContain('blev afvist af modtagerens mailserver');

      // The case is not held up by the refused address.
      await waitFor(async () => (await h.pool.query('SELECT status FROM case_summary WHERE case_id = $1', [caseId])).rows[0]?.status === 'completed', 60_000, 'the orientation to complete');
      const rows = await emailsOf(caseId);
      const refused = rows.find((r) => r.recipient === 'sagsbehandler@fanoe.invalid')!;
      expect(refused.status).toBe('rejected');
      expect(refused.attempts).toBe(1);
      expect(rows.find((r) => r.recipient === 'sagsbehandler@odense.kommune.example')!.status).toBe('sent');
      let html = await page(`/sager/${encodeURIComponent(caseId)}?fane=emails`);
      expect(html).toContain('1 e-mail blev afvist');
      expect(html).toContain('Afvist af modtagerens mailserver');

      // A bad corrected address is refused with a Danish reason and queues nothing.
      const bad = await h.fetch(`${h.baseUrl}/sager/${encodeURIComponent(caseId)}/emails/${refused.id}/gensend`, { method: 'POST', body: new URLSearchParams({ recipient: 'ikke en adresse' }), redirect: 'manual' });
      expect(bad.status).toBe(400);
      expect(unescape(await bad.text())).toContain('Modtager: skriv en gyldig e-mailadresse');
      expect(await emailsOf(caseId)).toHaveLength(rows.length);

      const again = await h.fetch(`${h.baseUrl}/sager/${encodeURIComponent(caseId)}/emails/${refused.id}/gensend`, { method: 'POST', body: new URLSearchParams({ recipient: 'postkasse@fanoe.kommune.example' }), redirect: 'manual' });
      expect(again.status).toBe(303);
      const [resent] = await h.waitForMail((m) => m.subject.includes(title) && m.envelopeTo.includes('postkasse@fanoe.kommune.example'), 1, 60_000);
      expect(resent!.text).toContain('Orientering om en væsentlig ændring');
      await waitFor(async () => (await emailsOf(caseId)).some((r) => r.resendOf === refused.id && r.status === 'sent'), 30_000, 'the resend to be logged as sent');
      html = await page(`/sager/${encodeURIComponent(caseId)}?fane=emails`);
      expect(html).toMatch(/Gensendt af testklient \S+ \(systemklient\)/);
      expect(html).not.toContain('1 e-mail blev afvist');
      // Told once, however often the log is read or the message resent.
      expect((await h.mail()).filter((m) => m.subject.startsWith(`Leveringsfejl på sag ${caseId}`))).toHaveLength(1);
    } finally {
      await h.pool.query("UPDATE directory_party SET contacts = $1 WHERE party_id = '563'", [JSON.stringify(original)]);
    }
  });

  it('an SMTP outage delays the e-mails; when the server is back each arrives exactly once', { timeout: 180_000 }, async () => {
    await h.smtpOutage(true);
    let caseId: string;
    const title = `Orientering under nedbrud ${Date.now()}`;
    try {
      caseId = await startOrientation(title, ['461', '479', '621']);
      // The sending activity fails and is retried with backoff; the case page says the e-mails are waiting.
      await waitFor(async () => {
        const rows = await emailsOf(caseId);
        return rows.length === 3 && rows.every((r) => r.status === 'pending' && r.attempts >= 1 && r.lastError);
      }, 60_000, 'failed attempts to be recorded');
      expect(await page(`/sager/${encodeURIComponent(caseId)}`)).toContain('3 e-mails venter på at blive sendt');
      expect((await h.mail()).filter((m) => m.subject.includes(title))).toHaveLength(0);
    } finally {
      await h.smtpOutage(false);
    }
    const got = await h.waitForMail((m) => m.subject.includes(title), 3, 120_000);
    expect(got.flatMap((m) => m.envelopeTo).sort()).toEqual(['sagsbehandler@kolding.kommune.example', 'sagsbehandler@odense.kommune.example', 'sagsbehandler@svendborg.kommune.example']);
    await waitFor(async () => (await emailsOf(caseId)).every((r) => r.status === 'sent'), 30_000, 'the outbox to record every e-mail as sent');
    // A moment later still exactly three: no retry sent one twice.
    await new Promise((r) => setTimeout(r, 3_000));
    expect((await h.mail()).filter((m) => m.subject.includes(title))).toHaveLength(3);
  });
});

describe('a send cut off between SMTP and the outbox', () => {
  it('is sent again after the lease with the same Message-ID, so the recipient sees one message', { timeout: 60_000 }, async () => {
    const { createEmailActivities, messageIdFor } = await import('../../activities/email');
    const { createTransport } = await import('../../worker/createWorker');
    const { inject } = await import('vitest');
    const email = createEmailActivities({ pool: h.pool, transport: createTransport(inject('smtpUrl')), from: 'KKR Syddanmark test <sekretariat@kkr-test.example>' });
    const caseId = `CUT-${Date.now()}`;
    const message = { caseId, step: 'invitation', recipient: 'sagsbehandler@odense.kommune.example', subject: `Afbrudt afsendelse ${caseId}`, text: 'Tekst', html: '<p>Tekst</p>' };
    const messageId = messageIdFor(message, 'kkr-test.example');
    // The state a killed worker leaves: SMTP accepted the message, the outbox still says "sending" (claimed 3 minutes ago).
    await createTransport(inject('smtpUrl')).sendMail({ from: 'sekretariat@kkr-test.example', to: message.recipient, subject: message.subject, text: message.text, messageId });
    await h.pool.query(
      `INSERT INTO email_outbox (case_id, step, recipient, reminder, message_id, subject, body_text, body_html, status, claimed_at)
       VALUES ($1, $2, $3, '', $4, $5, $6, $7, 'sending', now() - interval '3 minutes')`,
      [caseId, message.step, message.recipient, messageId, message.subject, message.text, message.html],
    );
    // The retried activity takes over the stale claim and sends once more, with the same Message-ID.
    expect(await email.sendEmails([message])).toMatchObject({ sent: 1, alreadySent: 0 });
    expect(await email.sendEmails([message])).toMatchObject({ sent: 0, alreadySent: 1 });
    const copies = (await h.mail()).filter((m) => m.subject === message.subject);
    expect(copies).toHaveLength(2);
    expect(new Set(copies.map((m) => m.headers['message-id']))).toEqual(new Set([messageId]));
    // A claim still inside its lease is left alone: another attempt is sending it right now.
    const fresh = { ...message, reminder: 'r2', subject: `Igangværende ${caseId}` };
    await h.pool.query(
      `INSERT INTO email_outbox (case_id, step, recipient, reminder, message_id, subject, body_text, body_html, status, claimed_at)
       VALUES ($1, $2, $3, 'r2', $4, $5, $6, $7, 'sending', now())`,
      [caseId, fresh.step, fresh.recipient, messageIdFor(fresh, 'kkr-test.example'), fresh.subject, fresh.text, fresh.html],
    );
    await expect(email.sendEmails([fresh])).rejects.toThrow(/sendes af et andet forsøg/);
    expect((await h.mail()).filter((m) => m.subject === fresh.subject)).toHaveLength(0);
  });

  it('holds a claim for the configured lease (OUTBOX_LEASE_SECONDS), not longer', { timeout: 60_000 }, async () => {
    const { createEmailActivities, messageIdFor } = await import('../../activities/email');
    const { createTransport } = await import('../../worker/createWorker');
    const { inject } = await import('vitest');
    const email = createEmailActivities({ pool: h.pool, transport: createTransport(inject('smtpUrl')), from: 'KKR Syddanmark test <sekretariat@kkr-test.example>', leaseSeconds: 20 });
    const caseId = `LEASE-${Date.now()}`;
    const claimed = async (reminder: string, ageSeconds: number) => {
      const m = { caseId, step: 'invitation', recipient: 'sagsbehandler@vejle.kommune.example', reminder, subject: `Lease ${reminder} ${caseId}`, text: 'Tekst', html: '<p>Tekst</p>' };
      await h.pool.query(
        `INSERT INTO email_outbox (case_id, step, recipient, reminder, message_id, subject, body_text, body_html, status, claimed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'sending', now() - make_interval(secs => $9))`,
        [caseId, m.step, m.recipient, reminder, messageIdFor(m, 'kkr-test.example'), m.subject, m.text, m.html, ageSeconds],
      );
      return m;
    };
    // 30 s old: past a 20 s lease (inside the default 2 minutes), so a retry takes it over and sends it.
    const stale = await claimed('old', 30);
    expect(await email.sendEmails([stale])).toMatchObject({ sent: 1 });
    // 5 s old: still inside the lease, left to the attempt that holds it.
    const live = await claimed('new', 5);
    await expect(email.sendEmails([live])).rejects.toThrow(/sendes af et andet forsøg/);
    expect((await h.mail(caseId)).map((m) => m.subject)).toEqual([stale.subject]);
  });
});
