/**
 * The findings of the security probe (issue 15), each replayed against the real server: bad input gets a clear
 * Danish error and changes nothing (no case started, no read-model row, the workflow untouched), the sign-in
 * limits hold under concurrency, the CPR guard cannot be talked around, exports and calendars cannot carry
 * formulas or line breaks, links and pages are not cached or re-encoded, and login cannot be forged cross-site.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { inject } from 'vitest';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { WorkflowNotFoundError } from '@temporalio/client';
import { startHarness, TEST_LINK_SECRET, waitFor, type Harness } from '../support/harness';
import { Browser } from '../support/browser';
import { centralAnnouncementInput, startCentralAnnouncement, unescapeHtml } from '../support/cases';
import { createApiToken, createUser, claimSignInAttempt, SIGN_IN_LIMIT } from '../../api/auth/store';
import { signAnswerLink } from '../../contracts/answerLinks';
import { caseIdFor } from '../../api/caseIds';
import { findProcedure } from '../../api/procedures';
import { deadlineIcs } from '../../activities/ics';
import { loadConfig } from '../../config';
import { catcherHostAllowed } from '../../deploy/mailCatcher';
import type { CaseState } from '../../workflows/blocks/caseRecord';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  // The files share one database and every test signs in from 127.0.0.1: this file's deliberate wrong passwords
  // must not use up the address's limit for the files after it (a person's failures expire the same way).
  await h?.pool.query("DELETE FROM sign_in_failure WHERE key = 'ip:127.0.0.1' OR key = 'ip:::1' OR key = 'ip:::ffff:127.0.0.1'");
  await h?.stop();
});

const unique = () => randomUUID().slice(0, 8);
const PASSWORD = 'korrekt-hest-batteri-haefteklamme';
/** Every request of this file gives up after 20 s: the probe saw answers hang for more than 90 s. */
const quick = (init: RequestInit = {}): RequestInit => ({ ...init, signal: AbortSignal.timeout(20_000) });


async function user(role: 'secretariat' | 'leadership' | 'municipality', name: string, partyId?: string) {
  const email = `${role}-${unique()}@kkr-test.example`;
  await createUser(h.pool, { email, name, role, partyId, password: PASSWORD });
  return email;
}

const prefix = (procedure: string) => findProcedure(procedure)!.casePrefix;
async function workflowExists(caseId: string): Promise<boolean> {
  try {
    await h.client.workflow.getHandle(caseId).describe();
    return true;
  } catch (e) {
    if (e instanceof WorkflowNotFoundError) return false;
    throw e;
  }
}
const summaryRows = async (caseId: string) => Number((await h.pool.query('SELECT count(*) AS n FROM case_summary WHERE case_id = $1', [caseId])).rows[0].n);

/** A central announcement waiting for Odense (461) and Kolding (621), and a signed answer link for Odense. */
async function caseWithLink(partyId = '461') {
  const caseId = await startCentralAnnouncement(h, `Sikkerhedstest ${unique()}`, ['461', '621']);
  const token = signAnswerLink({ caseId, collection: 'collection', partyId, exp: new Date(Date.now() + 7 * 86_400_000).toISOString() }, TEST_LINK_SECRET);
  await waitFor(async () => (await fetch(`${h.baseUrl}/svar/${token}`, quick())).status === 200, 30_000, 'the answer page');
  return { caseId, token };
}
const partyState = async (caseId: string, partyId: string) => {
  const s = await h.client.workflow.getHandle(caseId).query<CaseState>('caseState');
  return s.collections.collection!.parties.find((p) => p.partyId === partyId)!;
};

const deep = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

describe('one boundary for every text input (findings 1, 2, 5, 6)', () => {
  it('a NUL, a bidi override or an over-long text in a case title answers 400 in Danish, and no case is started or listed', { timeout: 60_000 }, async () => {
    for (const [title, words] of [
      // Named by the label of the start form, "Udmeldingens titel", not by the path "input.title".
      [`Titel med NUL \u0000 ${unique()}`, /^Udmeldingens titel: .*styretegn/],
      [`Titel med retningsskift \u202E ${unique()}`, /^Udmeldingens titel: .*styretegn/],
      [`Lang titel ${'x'.repeat(250_000)}`, /^Udmeldingens titel: må højst være 200\.000 tegn/],
    ] as const) {
      const requestId = randomUUID();
      const res = await h.fetch(`${h.baseUrl}/api/v1/cases`, quick({
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ procedure: 'centralAnnouncement', requestId, input: centralAnnouncementInput(title, ['461']) }),
      }));
      expect(res.status, title.slice(0, 40)).toBe(400);
      const body = (await res.json()) as { fields: { field: string; reason: string }[] };
      expect(body.fields.map((f) => f.reason).join(' ')).toMatch(words);
      const caseId = caseIdFor(prefix('centralAnnouncement'), requestId);
      expect(await workflowExists(caseId)).toBe(false);
      expect(await summaryRows(caseId)).toBe(0);
    }
  });

  it('the start form refuses a NUL in the title with a Danish page, and nothing is started', { timeout: 60_000 }, async () => {
    const requestId = randomUUID();
    const res = await h.fetch(`${h.baseUrl}/sager/ny/orientation`, quick({ method: 'POST', body: new URLSearchParams({ requestId, title: `Orientering \u0000 ${unique()}`, message: 'Til orientering.', partyIds: '461' }) }));
    expect(res.status).toBe(400);
    const text = unescapeHtml(await res.text());
    expect(text).toContain('Titel:');
    expect(text).toContain('Intet er gemt');
    const caseId = caseIdFor(prefix('orientation'), requestId);
    expect(await workflowExists(caseId)).toBe(false);
    expect(await summaryRows(caseId)).toBe(0);
    // A form drawn from a procedure's schema names the field by the label the form shows.
    const closure = await h.fetch(`${h.baseUrl}/sager/ny/closure`, quick({ method: 'POST', body: new URLSearchParams({ requestId: randomUUID(), tilbudName: 'Botilbud \u0000', intent: 'start' }) }));
    expect(closure.status).toBe(400);
    expect(unescapeHtml(await closure.text())).toContain('Tilbuddets navn: indeholder et usynligt styretegn');
  });

  it('a NUL in an answer answers 400 at once and leaves the case as it was; a clean answer then goes through', { timeout: 90_000 }, async () => {
    const { caseId, token } = await caseWithLink();
    const res = await fetch(`${h.baseUrl}/svar/${token}`, quick({ method: 'POST', body: new URLSearchParams({ text: 'Svar med NUL \u0000 byte' }) }));
    expect(res.status).toBe(400);
    expect(unescapeHtml(await res.text())).toContain('Svar: indeholder et usynligt styretegn');
    expect((await partyState(caseId, '461')).state).not.toBe('answered');
    const ok = await fetch(`${h.baseUrl}/svar/${token}`, quick({ method: 'POST', body: new URLSearchParams({ text: 'Odense har ingen ventetid.' }) }));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('Tak for svaret');
    // The read model follows: the answer is journaled (the probe's NUL left recordCaseChange retrying forever).
    await waitFor(async () => (await h.pool.query("SELECT 1 FROM case_journal WHERE case_id = $1 AND actor LIKE 'Odense%'", [caseId])).rowCount, 30_000, 'the journaled answer');
  });

  it('JSON nested 2,000 deep answers 400 (not 500) on the API and on an answer link, and the link is not logged', { timeout: 60_000 }, async () => {
    const { token } = await caseWithLink();
    const errors = vi.spyOn(console, 'error');
    try {
      for (const [url, f, body] of [
        [`${h.baseUrl}/api/v1/cases`, h.fetch, `{"procedure":"centralAnnouncement","input":${deep(2000)}}`],
        [`${h.baseUrl}/api/v1/cases/CENTRAL-2026-X/actions/withdraw`, h.fetch, `{"input":${deep(2000)}}`],
        [`${h.baseUrl}/svar/${token}`, fetch, deep(2000)],
      ] as const) {
        const res = await f(url, quick({ method: 'POST', headers: { 'content-type': 'application/json' }, body }));
        expect(res.status, url).toBe(400);
        expect(JSON.stringify(await res.json())).toContain('indlejret for dybt');
      }
      const logged = errors.mock.calls.map((c) => c.map(String).join(' ')).join('\n');
      expect(logged).not.toContain(token.slice(0, 20));
    } finally {
      errors.mockRestore();
    }
  });

  it('a NUL in a query string or a path answers 400 or 404 in Danish, never 500', { timeout: 60_000 }, async () => {
    const leader = await h.fetchAs('leadership');
    for (const path of ['/?q=%00', '/api/v1/cases?q=%00', '/adressebog?region=%00', '/kommuner/%00', '/sager/%00', '/api/v1/cases/%00', '/sager.csv?q=%00', '/sager.csv?q=%E2%80%AE', '/log-ind?naeste=%00']) {
      for (const f of [h.fetch, leader]) {
        const res = await f(`${h.baseUrl}${path}`, quick());
        const text = await res.text();
        expect([400, 404], `${path} → ${res.status} ${text.slice(0, 200)}`).toContain(res.status);
        expect(text).toMatch(/findes ikke|styretegn|Søgning|Region|Adressen/);
      }
    }
    // A session cookie with a malformed escape is no session, not a server error.
    const badCookie = await fetch(`${h.baseUrl}/`, quick({ headers: { cookie: 'kkr_session=%' }, redirect: 'manual' }));
    expect(badCookie.status).toBe(303);
    // Form fields of the sign-in, the users and the API tokens pages.
    for (const [path, form] of [
      ['/log-ind', { email: 'a\u0000@kkr-test.example', password: 'x' }],
      ['/brugere', { name: 'Navn \u0000', email: `n-${unique()}@kkr-test.example`, role: 'leadership', password: PASSWORD }],
      ['/api-noegler', { name: 'Nøgle \u0000', role: 'leadership' }],
    ] as const) {
      const res = await h.fetch(`${h.baseUrl}${path}`, quick({ method: 'POST', body: new URLSearchParams(form) }));
      expect(res.status, path).toBe(400);
      expect(unescapeHtml(await res.text())).toMatch(/(E-mailadresse|Navn): indeholder et usynligt styretegn/);
    }
  });

  it('an Update argument that reaches the service with a control character is refused before the workflow sees it', { timeout: 60_000 }, async () => {
    const caseId = await startCentralAnnouncement(h, `Handling ${unique()}`, ['461']);
    const res = await h.fetch(`${h.baseUrl}/api/v1/cases/${encodeURIComponent(caseId)}/actions/withdraw`, quick({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input: { reason: 'Trukket \u0007 tilbage' } }) }));
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('Begrundelse: indeholder et usynligt styretegn');
    const s = await h.client.workflow.getHandle(caseId).query<CaseState>('caseState');
    expect(s.status).toBe('open');
  });
});

describe('sign-in limits under concurrency (finding 3)', () => {
  it('29 wrong passwords sent at once, then the right one: at most five are tried and the right one is refused', { timeout: 120_000 }, async () => {
    const email = await user('leadership', 'Parallel Pia');
    const tries = await Promise.all(Array.from({ length: 29 }, (_, i) => new Browser(h.baseUrl, { timeoutMs: 20_000 }).post('/log-ind', { email, password: `gæt-${i}` })));
    const statuses = tries.map((t) => t.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(SIGN_IN_LIMIT.perAccount);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    const right = await new Browser(h.baseUrl, { timeoutMs: 20_000 }).post('/log-ind', { email, password: PASSWORD });
    expect(right.status).toBe(429);
    expect(right.html).toContain('For mange mislykkede forsøg');
  });

  it('the per-address limit holds for attempts at many accounts from one address at the same moment', { timeout: 60_000 }, async () => {
    const ip = `203.0.113.${Math.floor(Math.random() * 250)}-${unique()}`;
    const claims = await Promise.all(Array.from({ length: SIGN_IN_LIMIT.perIp + 20 }, (_, i) => claimSignInAttempt(h.pool, `konto-${i}-${unique()}@kkr-test.example`, ip)));
    expect(claims.filter((c) => !c.blocked)).toHaveLength(SIGN_IN_LIMIT.perIp);
  });
});

describe('the CPR guard (finding 4)', () => {
  it('refuses an answer with a CPR number written with a space, and stores nothing', { timeout: 60_000 }, async () => {
    const { caseId, token } = await caseWithLink();
    for (const text of ['Borger 010190 1234 har behov', 'Borger CPR-010190-1234', 'Borger 010190\u20131234']) {
      const res = await fetch(`${h.baseUrl}/svar/${token}`, quick({ method: 'POST', body: new URLSearchParams({ text }) }));
      expect(res.status, text).toBe(400);
      expect(unescapeHtml(await res.text())).toContain('CPR-nummer');
    }
    expect((await partyState(caseId, '461')).state).not.toBe('answered');
  });

  it('refuses CPR numbers in user names and API-token names', { timeout: 30_000 }, async () => {
    const users = await h.fetch(`${h.baseUrl}/brugere`, quick({ method: 'POST', body: new URLSearchParams({ name: 'Borger cpr.nr.-0101901234', email: `c-${unique()}@kkr-test.example`, role: 'leadership', password: PASSWORD }) }));
    expect(users.status).toBe(400);
    expect(unescapeHtml(await users.text())).toContain('Navn: feltet ser ud til at indeholde et CPR-nummer');
    const tokens = await h.fetch(`${h.baseUrl}/api-noegler`, quick({ method: 'POST', body: new URLSearchParams({ name: 'Nøgle 010190 1234', role: 'leadership' }) }));
    expect(tokens.status).toBe(400);
    expect(unescapeHtml(await tokens.text())).toContain('CPR-nummer');
  });
});

/** The files of a ZIP written by api/zip.ts (deflated entries, sizes in the local headers). */
function unzip(buf: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let at = 0;
  while (buf.readUInt32LE(at) === 0x04034b50) {
    const size = buf.readUInt32LE(at + 18);
    const nameLen = buf.readUInt16LE(at + 26);
    const extraLen = buf.readUInt16LE(at + 28);
    const name = buf.subarray(at + 30, at + 30 + nameLen).toString('utf8');
    const start = at + 30 + nameLen + extraLen;
    out[name] = inflateRawSync(buf.subarray(start, start + size)).toString('utf8');
    at = start + size;
  }
  return out;
}

describe('exports, calendars, links and pages (findings 7–13)', () => {
  it('journal.csv in journal.zip writes a formula-like actor as text (finding 7)', { timeout: 60_000 }, async () => {
    const evil = await createApiToken(h.pool, { name: '=HYPERLINK("http://evil.example","klik")', role: 'secretariat', createdBy: 'test' });
    const asEvil: typeof fetch = (input, init = {}) => fetch(input, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${evil.token}` } });
    const res = await asEvil(`${h.baseUrl}/api/v1/cases`, quick({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ procedure: 'centralAnnouncement', requestId: randomUUID(), input: centralAnnouncementInput(`Formel ${unique()}`, ['461']) }) }));
    expect(res.status).toBe(201);
    const { caseId } = (await res.json()) as { caseId: string };
    await waitFor(async () => (await h.pool.query('SELECT 1 FROM case_journal WHERE case_id = $1', [caseId])).rowCount, 30_000, 'a journal entry');
    const zip = Buffer.from(await (await h.fetch(`${h.baseUrl}/sager/${encodeURIComponent(caseId)}/journal.zip`, quick())).arrayBuffer());
    const csv = unzip(zip)['journal.csv']!;
    expect(csv).toContain('HYPERLINK');
    for (const cell of csv.split(/\r\n/).flatMap((line) => line.split(';'))) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@]/);
  });

  it('every iCalendar text is escaped and folded per RFC 5545, a bare CR included (finding 8)', () => {
    const ics = deadlineIcs({ uid: 'u@kkr', sequence: 0, dueDate: '2026-03-02', summary: 'Frist\rX-INJECT:1', description: `Linje 1\r\nLinje 2\rBEGIN:VEVENT\n${'æ'.repeat(80)}`, stampIso: '2026-01-01T00:00:00.000Z' });
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = ics.split('\r\n');
    expect(lines.filter((l) => /^(X-INJECT|BEGIN:VEVENT)/.test(l))).toEqual(['BEGIN:VEVENT']);
    for (const l of lines) expect(Buffer.byteLength(l)).toBeLessThanOrEqual(75);
    expect(ics).toContain('SUMMARY:Frist\\nX-INJECT:1');
  });

  it('an answer link refuses JSON objects as answer text (finding 9)', { timeout: 60_000 }, async () => {
    const { caseId, token } = await caseWithLink();
    const res = await fetch(`${h.baseUrl}/svar/${token}`, quick({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: { svar: 'objekt' } }) }));
    expect(res.status).toBe(400);
    expect(unescapeHtml(await res.text())).toContain('Svaret skal sendes fra formularen');
    expect((await partyState(caseId, '461')).state).not.toBe('answered');
  });

  it('an unknown partyId at /brugere and /api-noegler is a field error, not 500 (finding 9)', { timeout: 30_000 }, async () => {
    for (const [path, form] of [
      ['/brugere', { name: 'Ukendt Part', email: `u-${unique()}@kkr-test.example`, role: 'municipality', partyId: '999', password: PASSWORD }],
      ['/api-noegler', { name: 'Ukendt part', role: 'municipality', partyId: '999' }],
    ] as const) {
      const res = await h.fetch(`${h.baseUrl}${path}`, quick({ method: 'POST', body: new URLSearchParams(form) }));
      expect(res.status, path).toBe(400);
      expect(unescapeHtml(await res.text())).toContain('Kommune: vælg en kommune fra listen');
    }
  });

  it('an answer link is accepted only in its canonical encoding (finding 10)', { timeout: 60_000 }, async () => {
    const { token } = await caseWithLink();
    const [payload, mac] = token.split('.') as [string, string];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // The last character of a 32-byte MAC carries two unused bits: flipping one spells the same bytes.
    const last = alphabet[alphabet.indexOf(mac.at(-1)!) ^ 1]!;
    for (const variant of [`${payload}.${mac.slice(0, -1)}${last}`, `${payload}.${mac}=`, `${payload}=.${mac}`, `${payload}.${mac.slice(0, 10)}+${mac.slice(10)}`]) {
      const res = await fetch(`${h.baseUrl}/svar/${encodeURIComponent(variant).replace(/%2B/g, '+')}`, quick());
      expect(res.status, variant).toBe(400);
      expect(await res.text()).toContain('Linket er ugyldigt');
    }
  });

  it('signed-in pages and pages with fresh links are never cached (finding 11)', { timeout: 60_000 }, async () => {
    const { caseId, token } = await caseWithLink();
    const odense = await h.fetchAs('municipality', '461');
    for (const [path, f] of [
      [`/sager/${encodeURIComponent(caseId)}`, h.fetch],
      ['/mine-opgaver', odense],
      [`/svar/${token}`, fetch],
      ['/api/v1/cases', h.fetch],
      ['/sager.csv', h.fetch],
      ['/', h.fetch],
    ] as const) {
      const res = await f(`${h.baseUrl}${path}`, quick());
      await res.arrayBuffer();
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
  });

  it('POST /log-ind from a foreign site does not sign in (finding 12)', { timeout: 30_000 }, async () => {
    const email = await user('leadership', 'Lone Login');
    for (const headers of [{ origin: 'http://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'null' }] as Record<string, string>[]) {
      const r = await new Browser(h.baseUrl, { timeoutMs: 20_000 }).post('/log-ind', { email, password: PASSWORD }, { headers });
      expect(r.status, JSON.stringify(headers)).toBe(403);
      expect(r.headers.get('set-cookie') ?? '').not.toContain('kkr_session=');
      expect(r.html).toContain('andet websted');
    }
    const own = await new Browser(h.baseUrl, { timeoutMs: 20_000 }).post('/log-ind', { email, password: PASSWORD }, { headers: { origin: h.baseUrl, 'sec-fetch-site': 'same-origin' } });
    // Chromium posts our own sign-in form with "Origin: null" under our no-referrer policy: Sec-Fetch-Site decides.
    const chromium = await new Browser(h.baseUrl, { timeoutMs: 20_000 }).post('/log-ind', { email, password: PASSWORD }, { headers: { origin: 'null', 'sec-fetch-site': 'same-origin' } });
    expect(chromium.status).toBe(303);
    expect(own.status).toBe(303);
  });

  it('a signed-in municipality contact who answers is named in the journal (finding 13)', { timeout: 90_000 }, async () => {
    const { caseId, token } = await caseWithLink();
    const email = await user('municipality', 'Ole Odense', '461');
    const b = new Browser(h.baseUrl, { timeoutMs: 20_000 });
    await b.page('/log-ind');
    expect((await b.post('/log-ind', { email, password: PASSWORD })).status).toBe(303);
    await b.page(`/svar/${token}`);
    expect((await b.post(`/svar/${token}`, { text: 'Odense svarer ved Ole.' })).html).toContain('Tak for svaret');
    const actor = await waitFor(async () => (await h.pool.query("SELECT actor FROM case_journal WHERE case_id = $1 AND actor LIKE 'Odense%'", [caseId])).rows[0]?.actor as string | undefined, 30_000, 'the journaled answer');
    expect(actor).toContain('Ole Odense');
  });
});

describe('exposure', () => {
  it('the web server listens on loopback unless HOST says otherwise', () => {
    const env = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/kkr', SMTP_URL: 'smtp://127.0.0.1:1025', LINK_SECRET: TEST_LINK_SECRET };
    expect(loadConfig(env).HOST).toBe('127.0.0.1');
    expect(loadConfig({ ...env, HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
  });

  it('the e-mail catcher answers only to its own host name (DNS rebinding)', async () => {
    const url = new URL(inject('mailApiUrl'));
    const get = (host: string) =>
      new Promise<number>((resolve, reject) => {
        http.get({ host: url.hostname, port: url.port, path: url.pathname, headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        }).on('error', reject);
      });
    expect(await get(`rebind.evil.example:${url.port}`)).toBe(421);
    expect(await get(`127.0.0.1:${url.port}`)).toBe(200);
    expect(await get(`localhost:${url.port}`)).toBe(200);
    expect(catcherHostAllowed('mail.internal:8025', '0.0.0.0', 8025, ['mail.internal'])).toBe(true);
  });
});
