/**
 * Sign-in and roles, enforced on the server: the first-run setup of the first secretariat account, sessions with
 * CSRF protection, rate-limited sign-in, and what each role may see and do (the secretariat acts, leadership
 * reads, a municipality contact sees only its own municipality's tasks), for pages and the JSON API alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { startHarness, TEST_LINK_SECRET, waitFor, type Harness } from '../support/harness';
import { Browser } from '../support/browser';
import { createUser } from '../../api/auth/store';
import { startCentralAnnouncement, unescapeHtml } from '../support/cases';
import { createApp } from '../../api/app';
import { createTransport } from '../../worker/createWorker';
import { migrate } from '../../db/migrate';
import { seedDirectory } from '../../db/seedDirectory';
import { createPool } from '../../db/pool';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const unescape = unescapeHtml;
const startCentral = (parties: string[]) => startCentralAnnouncement(h, `Rolletest ${unique()}`, parties);


const PASSWORD = 'korrekt-hest-batteri-haefteklamme';
const unique = () => randomUUID().slice(0, 8);
async function user(role: 'secretariat' | 'leadership' | 'municipality', name: string, partyId?: string) {
  const email = `${role}-${unique()}@kkr-test.example`;
  await createUser(h.pool, { email, name, role, partyId, password: PASSWORD });
  return email;
}

describe('first-run setup', () => {
  it('asks for the first secretariat account while there are no users, and never again', { timeout: 60_000 }, async () => {
    // A database of its own: the shared test database already has users.
    const admin = new Pool({ connectionString: inject('databaseUrl') });
    const db = `kkr_setup_${unique()}`;
    await admin.query(`CREATE DATABASE ${db}`);
    const url = new URL(inject('databaseUrl'));
    url.pathname = `/${db}`;
    // createPool listens for errors on idle connections: the forced DROP DATABASE below ends any the pool still holds.
    const pool = createPool(url.toString());
    let server: Server | undefined;
    try {
      await migrate(pool);
      await seedDirectory(pool);
      const app = createApp({ client: h.client, pool, smtp: createTransport(inject('smtpUrl')), taskQueue: h.taskQueue, publicUrl: 'http://127.0.0.1', linkSecret: TEST_LINK_SECRET, secretariatEmail: 'sekretariat@kkr-test.example' });
      server = await new Promise<Server>((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      const b = new Browser(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
      expect((await b.page('/')).location).toBe('/log-ind?naeste=%2F');
      expect((await b.page('/log-ind')).location).toBe('/opsaetning');
      const bad = await b.post('/opsaetning', { name: 'Søren Sekretær', email: 'soren@kkr.example', password: 'kort', repeat: 'anden' });
      expect(bad.status).toBe(400);
      expect(bad.html).toContain('Adgangskode (mindst 12 tegn): skal være mindst 12 tegn');
      expect(bad.html).toContain('value="soren@kkr.example"');
      const ok = await b.post('/opsaetning', { name: 'Søren Sekretær', email: 'soren@kkr.example', password: PASSWORD, repeat: PASSWORD });
      expect(ok.status).toBe(303);
      const dash = await b.page('/');
      expect(dash.status).toBe(200);
      expect(dash.html).toContain('Søren Sekretær (sekretariatet)');
      // Once there is a user, the setup page is gone, for everyone.
      expect((await new Browser(b['base']).page('/opsaetning')).location).toBe('/log-ind');
      const second = await new Browser(b['base']).post('/opsaetning', { name: 'Mallory', email: 'm@evil.example', password: PASSWORD, repeat: PASSWORD });
      expect(second.location).toBe('/log-ind');
      expect(Number((await pool.query('SELECT count(*) AS n FROM app_user')).rows[0].n)).toBe(1);
    } finally {
      await new Promise((r) => (server ? server.close(r) : r(undefined)));
      await pool.end();
      await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await admin.end();
    }
  });
});

describe('sign-in, sessions and CSRF', () => {
  it('sends the unsigned to the sign-in page (pages) or answers 401 (API)', async () => {
    const b = new Browser(h.baseUrl);
    expect((await b.page('/sager/ny')).location).toBe('/log-ind?naeste=%2Fsager%2Fny');
    const api = await fetch(`${h.baseUrl}/api/v1/cases`);
    expect(api.status).toBe(401);
    const forged = await fetch(`${h.baseUrl}/api/v1/cases`, { headers: { authorization: 'Bearer kkr_not-a-token' } });
    expect(forged.status).toBe(401);
    // Open: health, the API description, the accessibility statement.
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${h.baseUrl}/api/openapi.json`)).status).toBe(200);
    expect((await b.page('/tilgaengelighed')).html).toContain('Tilgængelighedserklæring');
  });

  it('signs in, acts with the CSRF token only, journals the person as actor, and signs out', { timeout: 60_000 }, async () => {
    const email = await user('secretariat', 'Sara Sekretær');
    const b = new Browser(h.baseUrl);
    const wrong = await b.signIn(email, 'forkert-adgangskode');
    expect(wrong.status).toBe(401);
    expect(wrong.html).toContain('E-mailadressen eller adgangskoden er forkert.');
    expect(wrong.html).toContain(`value="${email}"`);
    const ok = await b.post('/log-ind', { email, password: PASSWORD, naeste: '/sager/ny' });
    expect(ok.location).toBe('/sager/ny');
    const form = await b.page('/sager/ny/orientation');
    expect(form.html).toContain('Sara Sekretær (sekretariatet)');
    const requestId = /name="requestId" value="([0-9a-f-]{36})"/.exec(form.html)![1]!;
    const values = { requestId, title: 'Orientering fra en person', message: 'En orientering startet af en person, der er logget ind.', partyIds: ['461'] };

    // Without the token (as a forged cross-site form would be): refused, nothing started.
    const forged = await b.post('/sager/ny/orientation', values, { csrf: false });
    expect(forged.status).toBe(403);
    expect(forged.html).toContain('Formularen er udløbet');
    expect(Number((await h.pool.query("SELECT count(*) AS n FROM case_summary WHERE title = 'Orientering fra en person'")).rows[0].n)).toBe(0);

    const started = await b.post('/sager/ny/orientation', values);
    expect(started.status).toBe(303);
    const caseId = decodeURIComponent(started.location!.split('/').pop()!);
    const actor = await waitFor(async () => (await h.pool.query('SELECT actor FROM case_journal WHERE case_id = $1 ORDER BY at, entry_key LIMIT 1', [caseId])).rows[0]?.actor as string | undefined, 30_000, 'the first journal entry');
    expect(actor).toBe('Sara Sekretær (sekretariatet)');

    // An open redirect through the sign-in form is not possible.
    const b2 = new Browser(h.baseUrl);
    expect((await b2.post('/log-ind', { email, password: PASSWORD, naeste: '//evil.example/' })).location).toBe('/');

    await b.post('/log-ud', {});
    expect((await b.page('/')).location).toBe('/log-ind?naeste=%2F');
  });

  it('refuses further sign-ins for a while after five failures, even with the right password', async () => {
    const email = await user('leadership', 'Lars Leder');
    const b = new Browser(h.baseUrl);
    for (let i = 0; i < 5; i++) expect((await b.signIn(email, `gæt-${i}`)).status).toBe(401);
    const blocked = await b.signIn(email, PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.html).toContain('For mange mislykkede forsøg');
  });

  it('keeps an active user signed in past 12 hours and signs out one who was idle for 12 hours', async () => {
    const email = await user('leadership', 'Lise Leder');
    const b = new Browser(h.baseUrl);
    const signedIn = await b.request('/log-ind', { method: 'POST', body: new URLSearchParams({ email, password: PASSWORD }) });
    // The browser keeps the cookie until it closes; the server's idle limit decides.
    expect(signedIn.headers.get('set-cookie')).not.toMatch(/Max-Age|Expires/i);
    const session = async () => (await h.pool.query('SELECT s.token_hash, s.expires_at FROM app_session s JOIN app_user u ON u.id = s.user_id WHERE u.email = lower($1)', [email])).rows[0] as { token_hash: string; expires_at: Date };
    const hash = (await session()).token_hash;
    // Half an hour left: the next page view extends it to 12 hours from now.
    await h.pool.query("UPDATE app_session SET expires_at = now() + interval '30 minutes' WHERE token_hash = $1", [hash]);
    expect((await b.page('/')).status).toBe(200);
    expect((await session()).expires_at.getTime()).toBeGreaterThan(Date.now() + 11.5 * 3_600_000);
    // Idle past the limit: back to the sign-in page.
    await h.pool.query("UPDATE app_session SET expires_at = now() - interval '1 second' WHERE token_hash = $1", [hash]);
    expect((await b.page('/')).location).toBe('/log-ind?naeste=%2F');
  });
});

describe('roles', () => {
  it('leadership reads everything and changes nothing', { timeout: 60_000 }, async () => {
    const email = await user('leadership', 'Lene Leder');
    const b = new Browser(h.baseUrl);
    await b.signIn(email, PASSWORD);
    const dash = await b.page('/');
    expect(dash.status).toBe(200);
    expect(dash.html).not.toContain('href="/sager/ny"');
    expect((await b.page('/sager/ny')).status).toBe(403);
    const caseId = await startCentral(['461']);
    const casePage = await b.page(`/sager/${encodeURIComponent(caseId)}`);
    expect(casePage.status).toBe(200);
    expect(casePage.html).not.toContain('<h2>Handlinger</h2>');
    expect((await b.post(`/sager/${encodeURIComponent(caseId)}/handlinger/withdraw`, { reason: 'Ledelsen prøver' })).status).toBe(403);
    const asLeader = await h.fetchAs('leadership');
    expect((await asLeader(`${h.baseUrl}/api/v1/cases/${encodeURIComponent(caseId)}`)).status).toBe(200);
    const start = await asLeader(`${h.baseUrl}/api/v1/cases`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ procedure: 'orientation', input: {} }) });
    expect(start.status).toBe(403);
    expect((await asLeader(`${h.baseUrl}/api/v1/cases/${encodeURIComponent(caseId)}/actions/withdraw`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input: { reason: 'x' } }) })).status).toBe(403);
  });

  it('a municipality contact sees and answers only its own municipality’s tasks', { timeout: 90_000 }, async () => {
    const odense = await user('municipality', 'Ole fra Odense', '461');
    const kolding = await user('municipality', 'Karin fra Kolding', '621');
    const caseId = await startCentral(['461', '621']);
    const other = await startCentral(['561']);

    const o = new Browser(h.baseUrl);
    await o.signIn(odense, PASSWORD);
    expect((await o.page('/')).location).toBe('/mine-opgaver');
    const tasks = await waitForTask(o, caseId);
    expect(tasks.html).toContain('Opgaver for Odense');
    expect(tasks.html).not.toContain(other);
    // The case page, the dashboard, the directory and the API are not for municipality contacts.
    expect((await o.page(`/sager/${encodeURIComponent(caseId)}`)).status).toBe(403);
    expect((await o.page('/adressebog')).status).toBe(403);
    const asOdense = await h.fetchAs('municipality', '461');
    expect((await asOdense(`${h.baseUrl}/api/v1/cases`)).status).toBe(403);

    // Odense answers through its own link on the page; Kolding's task is untouched and its link is its own.
    const link = /href="(\/svar\/[^"]+)"/.exec(tasks.html)![1]!;
    const form = await o.page(link);
    expect(form.html).toContain('Du svarer for <strong>Odense</strong>');
    const answered = await o.post(link, { text: 'Odense koordinerer indsatsen gennem CKV og har ingen ventetid.' });
    expect(answered.html).toContain('Tak for svaret');
    const after = await o.page('/mine-opgaver');
    expect(after.html).toContain('Besvaret');

    const k = new Browser(h.baseUrl);
    await k.signIn(kolding, PASSWORD);
    const kTasks = await waitForTask(k, caseId);
    expect(kTasks.html).toContain('Opgaver for Kolding');
    const kLink = /href="\/svar\/([^"]+)"/.exec(kTasks.html)![1]!;
    const claims = JSON.parse(Buffer.from(kLink.split('.')[0]!, 'base64url').toString()) as string[];
    expect(claims[2]).toBe('621');
  });
});


async function waitForTask(b: Browser, caseId: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const p = await b.page('/mine-opgaver');
    if (p.html.includes(caseId) && p.html.includes('Svar nu')) return p;
    if (Date.now() > deadline) throw new Error(`no task for ${caseId}: ${p.html.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe('users and API tokens', () => {
  it('the secretariat creates a municipality contact and a system client’s token, and revokes the token', { timeout: 60_000 }, async () => {
    const email = await user('secretariat', 'Sif Sekretær');
    const b = new Browser(h.baseUrl);
    await b.signIn(email, PASSWORD);
    await b.page('/brugere');
    const contact = `kontakt-${unique()}@vejle.kommune.example`;
    const missingParty = await b.post('/brugere', { name: 'Vera fra Vejle', email: contact, role: 'municipality', partyId: '', password: PASSWORD });
    expect(missingParty.status).toBe(400);
    expect(missingParty.html).toContain('Kommune: vælg kommunen, som kontaktpersonen svarer for');
    expect((await b.post('/brugere', { name: 'Vera fra Vejle', email: contact, role: 'municipality', partyId: '630', password: PASSWORD })).status).toBe(303);
    const vera = new Browser(h.baseUrl);
    expect((await vera.signIn(contact, PASSWORD)).location).toBe('/mine-opgaver');
    expect((await vera.page('/mine-opgaver')).html).toContain('Opgaver for Vejle');

    await b.page('/api-noegler');
    const clientName = `ESDH-integration ${unique()}`;
    const made = await b.post('/api-noegler', { name: clientName, role: 'leadership', partyId: '' });
    const token = /data-testid="new-token">([^<]+)</.exec(made.html)![1]!;
    const list = () => fetch(`${h.baseUrl}/api/v1/cases`, { headers: { authorization: `Bearer ${token}` } });
    expect((await list()).status).toBe(200);
    const tokenId = new RegExp(`<td>${clientName}</td>[^]*?action="/api-noegler/(\\d+)/tilbagekald"`).exec(made.html)![1];
    await b.post(`/api-noegler/${tokenId}/tilbagekald`, {});
    expect((await list()).status).toBe(401);
  });
});
