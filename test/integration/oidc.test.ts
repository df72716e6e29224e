/**
 * Sign-in through an OpenID provider, against a real one (oidc-provider) on loopback, driven like a browser
 * without JavaScript: redirects followed by hand, cookies kept per server, the provider's login and consent forms
 * submitted. The provider only says who the person is; the account and its role are the secretariat's. Also:
 * TRUST_PROXY, with which the per-address sign-in limit counts the client behind a proxy, not the proxy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import Provider from 'oidc-provider';
import { startHarness, TEST_LINK_SECRET, type Harness } from '../support/harness';
import { createUser } from '../../api/auth/store';
import { createApp, type AppDeps } from '../../api/app';
import { OIDC_LOGINS_PER_CLIENT } from '../../api/auth/oidc';
import { createTransport } from '../../worker/createWorker';
import { ConfigError, loadConfig, oidcSettings } from '../../config';
import { inject } from 'vitest';

const PASSWORD = 'korrekt-hest-batteri-haefteklamme';
const CLIENT_ID = 'kkr-sager';
const CLIENT_SECRET = 'test-client-secret-for-the-local-provider';
const unique = () => randomUUID().slice(0, 8);

const unescape = (s: string) =>
  s.replace(/&(#\d+|amp|lt|gt|quot|#x27);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#x27': "'" })[e] ?? String.fromCharCode(Number(e.slice(1))));

interface Page {
  status: number;
  html: string;
  url: string;
  location: string | null;
}

/** A browser without JavaScript talking to two servers: one cookie jar per origin, redirects followed by hand. */
class Browser {
  readonly jars = new Map<string, Map<string, string>>();
  csrf = '';

  jar(url: string) {
    const origin = new URL(url).origin;
    if (!this.jars.has(origin)) this.jars.set(origin, new Map());
    return this.jars.get(origin)!;
  }

  async request(url: string, init: RequestInit = {}): Promise<Page> {
    const jar = this.jar(url);
    const headers = new Headers(init.headers);
    if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = c.split(';').map((s) => s.trim());
      const [name = '', value = ''] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      const expires = attrs.find((a) => /^expires=/i.test(a));
      const maxAge = attrs.find((a) => /^max-age=/i.test(a));
      const gone = value === '' || (maxAge && Number(maxAge.split('=')[1]) <= 0) || (expires && Date.parse(expires.slice(8)) < Date.now());
      if (gone) jar.delete(name);
      else jar.set(name, value);
    }
    const html = unescape(await res.text());
    this.csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? this.csrf;
    const location = res.headers.get('location');
    return { status: res.status, html, url, location: location && new URL(location, url).href };
  }

  /** GETs and follows redirects, stopping before a URL `stopBefore` picks (so a test can look at or alter it). */
  async follow(url: string, stopBefore?: (url: string) => boolean, init?: RequestInit): Promise<Page> {
    let page = await this.request(url, init);
    for (let hops = 0; page.location && [301, 302, 303, 307, 308].includes(page.status); hops++) {
      if (hops > 20) throw new Error(`too many redirects from ${url}`);
      if (stopBefore?.(page.location)) return page;
      page = await this.request(page.location);
    }
    return page;
  }

  /** Submits the page's (first) POST form with the given fields and follows where it leads. */
  async submit(page: Page, fields: Record<string, string>, stopBefore?: (url: string) => boolean): Promise<Page> {
    const action = /<form[^>]*action="([^"]+)"[^>]*method="post"/i.exec(page.html)?.[1];
    if (!action) throw new Error(`no form on ${page.url}: ${page.html.slice(0, 300)}`);
    return this.follow(new URL(action, page.url).href, stopBefore, { method: 'POST', body: new URLSearchParams(fields) });
  }
}

let h: Harness;
let provider: Server;
let app: Server;
let appUrl: string;
let issuer: string;
/** The provider's accounts: login name → claims. The dev login form accepts any password for a known login. */
const accounts = new Map<string, { email?: string; email_verified?: boolean }>();

const listen = (s: Server) =>
  new Promise<string>((resolve) => s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as { port: number }).port}`)));
const close = (s: Server | undefined) => new Promise((r) => (s ? (s.closeAllConnections(), s.close(r)) : r(undefined)));

function appDeps(publicUrl: string, extra: Partial<AppDeps> = {}): AppDeps {
  return { client: h.client, pool: h.pool, smtp: createTransport(inject('smtpUrl')), taskQueue: h.taskQueue, publicUrl, linkSecret: TEST_LINK_SECRET, secretariatEmail: 'sekretariat@kkr-test.example', ...extra };
}

beforeAll(async () => {
  h = await startHarness({ inProcessWorker: false });
  // Both servers listen first: the provider's client needs the app's redirect URI, and the app needs the issuer.
  provider = createServer();
  app = createServer();
  [issuer, appUrl] = await Promise.all([listen(provider), listen(app)]);
  const oidcProvider = new Provider(issuer, {
    clients: [{ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [`${appUrl}/log-ind/oidc/callback`], token_endpoint_auth_method: 'client_secret_post' }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    cookies: { keys: ['test-cookie-signing-key-for-the-local-provider'] },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    findAccount: (_ctx, id) => {
      const claims = accounts.get(id);
      return claims && { accountId: id, claims: () => ({ sub: id, ...claims }) };
    },
  });
  provider.on('request', oidcProvider.callback());
  app.on('request', createApp(appDeps(appUrl, { oidc: { issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, label: 'Log ind med Syddansk AD' } })));
});

afterAll(async () => {
  await close(app);
  await close(provider);
  await h?.stop();
});

async function user(role: 'secretariat' | 'leadership', name: string) {
  const email = `${role}-${unique()}@kommune-test.example`;
  const id = await createUser(h.pool, { email, name, role, password: PASSWORD });
  return { email, id };
}

/** A provider account for an e-mail address; returns its login name. */
function account(claims: { email?: string; email_verified?: boolean }) {
  const login = `bruger-${unique()}`;
  accounts.set(login, claims);
  return login;
}

const isCallback = (url: string) => url.startsWith(`${appUrl}/log-ind/oidc/callback`);
const sessions = async (userId?: string) =>
  Number((await h.pool.query('SELECT count(*) AS n FROM app_session WHERE $1::bigint IS NULL OR user_id = $1', [userId ?? null])).rows[0].n);

/** From the app's sign-in link through the provider's login and consent forms, up to (not into) the callback. */
async function toCallback(b: Browser, login: string, start = '/log-ind/oidc'): Promise<string> {
  const loginForm = await b.follow(`${appUrl}${start}`);
  expect(loginForm.url.startsWith(`${issuer}/interaction/`)).toBe(true);
  const consent = await b.submit(loginForm, { prompt: 'login', login, password: 'hvad-som-helst' }, isCallback);
  const atCallback = consent.location && isCallback(consent.location) ? consent : await b.submit(consent, { prompt: 'consent' }, isCallback);
  expect(atCallback.location && isCallback(atCallback.location)).toBe(true);
  return atCallback.location!;
}

describe('OpenID Connect sign-in', () => {
  it('offers the button on the sign-in page, keeping where to go next; not without configuration', async () => {
    await user('leadership', 'Nogen'); // with no users at all the sign-in page sends to the first-run setup
    const page = await new Browser().request(`${appUrl}/log-ind?naeste=${encodeURIComponent('/sager/ny')}`);
    expect(page.html).toContain('<a class="button button-primary" href="/log-ind/oidc?naeste=%2Fsager%2Fny">Log ind med Syddansk AD</a>');
    const plain = await new Browser().request(`${h.baseUrl}/log-ind`);
    expect(plain.html).not.toContain('/log-ind/oidc');
    expect((await new Browser().request(`${h.baseUrl}/log-ind/oidc`)).location).toBe(`${h.baseUrl}/log-ind?naeste=%2Flog-ind%2Foidc`);
  });

  it('signs a secretariat member in with the role of the local account, once per sign-in', { timeout: 60_000 }, async () => {
    const sara = await user('secretariat', 'Sara fra sekretariatet');
    // The provider's spelling of the address need not match the account's.
    const login = account({ email: sara.email.toUpperCase(), email_verified: true });
    const b = new Browser();
    const callback = await toCallback(b, login, `/log-ind/oidc?naeste=${encodeURIComponent('/sager/ny')}`);
    const params = new URL(callback).searchParams;
    expect(params.get('code')).toBeTruthy();
    expect(params.get('state')).toBeTruthy();
    const oidcCookie = b.jar(appUrl).get('kkr_oidc')!;
    expect(oidcCookie).toBeTruthy();
    const stored = await h.pool.query('SELECT state, next_path, expires_at FROM oidc_login WHERE key_hash = $1', [createHash('sha256').update(decodeURIComponent(oidcCookie)).digest('hex')]);
    expect(stored.rows[0]).toMatchObject({ state: params.get('state'), next_path: '/sager/ny' });
    expect((stored.rows[0].expires_at as Date).getTime()).toBeLessThanOrEqual(Date.now() + 10 * 60_000 + 5_000);

    const landed = await b.follow(callback);
    expect(landed.url).toBe(`${appUrl}/sager/ny`);
    expect(landed.status).toBe(200);
    expect(landed.html).toContain('Sara fra sekretariatet (sekretariatet)');
    expect(b.jar(appUrl).has('kkr_oidc')).toBe(false);
    expect((await b.request(`${appUrl}/`)).status).toBe(200);
    expect(await sessions(sara.id)).toBe(1);
    expect((await h.pool.query('SELECT count(*) AS n FROM oidc_login WHERE key_hash = $1', [createHash('sha256').update(decodeURIComponent(oidcCookie)).digest('hex')])).rows[0].n).toBe('0');

    // The same callback again, even with a copy of the cookie (a replay by whoever saw both): refused.
    const replay = new Browser();
    replay.jar(appUrl).set('kkr_oidc', oidcCookie);
    const replayed = await replay.follow(callback);
    expect(replayed.status).toBe(400);
    expect(replayed.html).toContain('Log-ind-forsøget er udløbet');
    expect(replay.jar(appUrl).has('kkr_session')).toBe(false);
    // And from the browser that signed in, whose cookie is gone by now.
    expect((await b.follow(callback)).status).toBe(400);
    expect(await sessions(sara.id)).toBe(1);
  });

  it('leadership signed in this way reads and changes nothing; an outside next address is ignored', { timeout: 60_000 }, async () => {
    const lone = await user('leadership', 'Lone fra ledelsen');
    const b = new Browser();
    const callback = await toCallback(b, account({ email: lone.email, email_verified: true }), `/log-ind/oidc?naeste=${encodeURIComponent('//evil.example/')}`);
    const landed = await b.follow(callback);
    expect(landed.url).toBe(`${appUrl}/`);
    expect(landed.status).toBe(200);
    expect(landed.html).toContain('Lone fra ledelsen (ledelsen)');
    const refused = await b.request(`${appUrl}/sager/ny/orientation`, { method: 'POST', body: new URLSearchParams({ _csrf: b.csrf, title: 'Ledelsen prøver', message: 'x', partyIds: '461' }) });
    expect(refused.status).toBe(403);
    expect(refused.html).toContain('Ingen adgang');
  });

  it('refuses a person without an account, and creates nothing', { timeout: 60_000 }, async () => {
    const email = `ukendt-${unique()}@kommune-test.example`;
    const before = await sessions();
    const b = new Browser();
    const page = await b.follow(await toCallback(b, account({ email, email_verified: true })));
    expect(page.status).toBe(401);
    expect(page.html).toContain('Du har ingen konto i sagssystemet');
    expect(page.html).toContain(email);
    expect(page.html).toContain('Kontakt sekretariatet for at få en konto.');
    expect(b.jar(appUrl).has('kkr_session')).toBe(false);
    expect(await sessions()).toBe(before);
    expect((await h.pool.query('SELECT count(*) AS n FROM app_user WHERE email = $1', [email])).rows[0].n).toBe('0');
  });

  it('refuses a closed account and an address the provider has not verified', { timeout: 60_000 }, async () => {
    const closed = await user('secretariat', 'Lukket konto');
    await h.pool.query('UPDATE app_user SET disabled = true WHERE id = $1', [closed.id]);
    const b = new Browser();
    const page = await b.follow(await toCallback(b, account({ email: closed.email, email_verified: true })));
    expect(page.status).toBe(401);
    expect(page.html).toContain('Din konto er lukket');
    expect(page.html).toContain('Kontakt sekretariatet for at få en konto.');

    const unverified = await user('secretariat', 'Ubekræftet adresse');
    const c = new Browser();
    const refused = await c.follow(await toCallback(c, account({ email: unverified.email, email_verified: false })));
    expect(refused.status).toBe(401);
    expect(refused.html).toContain('Ingen bekræftet e-mailadresse');
    // No flag at all is not a verification either (OIDC_EMAIL_VERIFIED defaults to required).
    const silent = await user('secretariat', 'Adresse uden flag');
    const d = new Browser();
    const silentPage = await d.follow(await toCallback(d, account({ email: silent.email })));
    expect(silentPage.status).toBe(401);
    expect(silentPage.html).toContain('Ingen bekræftet e-mailadresse');
    expect(await sessions(closed.id)).toBe(0);
    expect(await sessions(unverified.id)).toBe(0);
    expect(await sessions(silent.id)).toBe(0);
  });

  it('refuses a callback whose state does not match, an expired sign-in and one the person cancelled', { timeout: 60_000 }, async () => {
    const sif = await user('secretariat', 'Sif fra sekretariatet');
    const login = account({ email: sif.email, email_verified: true });

    const b = new Browser();
    const callback = new URL(await toCallback(b, login));
    callback.searchParams.set('state', 'en-anden-tilstand');
    const mismatch = await b.follow(callback.href);
    expect(mismatch.status).toBe(400);
    expect(mismatch.html).toContain('Log ind kunne ikke bekræftes');

    const c = new Browser();
    const late = await toCallback(c, login);
    const key = decodeURIComponent(c.jar(appUrl).get('kkr_oidc')!);
    await h.pool.query("UPDATE oidc_login SET expires_at = now() - interval '1 second' WHERE key_hash = $1", [createHash('sha256').update(key).digest('hex')]);
    const expired = await c.follow(late);
    expect(expired.status).toBe(400);
    expect(expired.html).toContain('Log-ind-forsøget er udløbet');
    expect(expired.html).toContain('Start forfra fra siden Log ind.');

    // "Cancel" on the provider's login page: it sends the browser back with error=access_denied.
    const d = new Browser();
    const loginForm = await d.follow(`${appUrl}/log-ind/oidc`);
    const abort = /href="([^"]*\/abort)"/.exec(loginForm.html)![1]!;
    const cancelled = await d.follow(new URL(abort, loginForm.url).href);
    expect(cancelled.status).toBe(400);
    expect(cancelled.html).toContain('Log ind blev afbrudt');
    expect(cancelled.html).toContain('access_denied');

    // Straight to the callback without having started: nothing to finish.
    expect((await new Browser().follow(`${appUrl}/log-ind/oidc/callback?code=x&state=y`)).status).toBe(400);
    expect(await sessions(sif.id)).toBe(0);
  });
});

describe('OpenID Connect sign-ins in progress', () => {
  it('refuses a client that has too many under way, without storing one more, until they expire', { timeout: 60_000 }, async () => {
    const begin = () => fetch(`${appUrl}/log-ind/oidc`, { redirect: 'manual' });
    const first = await begin();
    expect(first.status).toBe(303);
    const key = decodeURIComponent(/kkr_oidc=([^;]+)/.exec(first.headers.get('set-cookie') ?? '')![1]!);
    const { client_hash: client } = (await h.pool.query('SELECT client_hash FROM oidc_login WHERE key_hash = $1', [createHash('sha256').update(key).digest('hex')])).rows[0];
    // No IP address is stored, only its hash.
    expect(client).toMatch(/^[0-9a-f]{64}$/);
    const live = async () => Number((await h.pool.query('SELECT count(*) AS n FROM oidc_login WHERE client_hash = $1 AND expires_at > now()', [client])).rows[0].n);
    // Fill this client's allowance as a loop of requests would.
    await h.pool.query(
      `INSERT INTO oidc_login (key_hash, state, nonce, code_verifier, expires_at, client_hash)
       SELECT 'fyld-' || g || '-' || $2, 's', 'n', 'v', now() + interval '10 minutes', $1 FROM generate_series(1, $3::int) g`,
      [client, unique(), OIDC_LOGINS_PER_CLIENT - (await live())],
    );
    try {
      const refused = await begin();
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('600');
      expect(refused.headers.get('set-cookie')).toBeNull();
      expect(unescape(await refused.text())).toContain('Der er påbegyndt for mange log-ind fra denne forbindelse. Vent 10 minutter');
      expect(await live()).toBe(OIDC_LOGINS_PER_CLIENT);
      // Once they have expired, the client may begin again.
      await h.pool.query("UPDATE oidc_login SET expires_at = now() - interval '1 second' WHERE client_hash = $1", [client]);
      expect((await begin()).status).toBe(303);
    } finally {
      await h.pool.query("DELETE FROM oidc_login WHERE client_hash = $1", [client]);
    }
  });
});

describe('OpenID provider down', () => {
  it('says so and leaves password sign-in working', async () => {
    // A port that was just free: nothing answers there.
    const gone = createServer();
    const deadIssuer = await listen(gone);
    await close(gone);
    const server = createServer();
    const base = await listen(server);
    server.on('request', createApp(appDeps(base, { oidc: { issuer: deadIssuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, label: 'Log ind med Syddansk AD' } })));
    try {
      const { email } = await user('leadership', 'Leder uden netværk');
      const b = new Browser();
      const page = await b.follow(`${base}/log-ind/oidc`);
      expect(page.status).toBe(502);
      expect(page.html).toContain('Organisationens login svarer ikke');
      expect(b.jar(base).has('kkr_oidc')).toBe(false);
      const signedIn = await b.request(`${base}/log-ind`, { method: 'POST', body: new URLSearchParams({ email, password: PASSWORD }) });
      expect(signedIn.location).toBe(`${base}/`);
    } finally {
      await close(server);
    }
  });
});

describe('configuration', () => {
  const base = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/kkr', SMTP_URL: 'smtp://127.0.0.1:1025', LINK_SECRET: TEST_LINK_SECRET };
  const problem = (env: NodeJS.ProcessEnv) => {
    try {
      loadConfig({ ...base, ...env });
      return '';
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
  };

  it('turns OpenID Connect on only with a complete client, and never over plain http to another machine', () => {
    expect(oidcSettings(loadConfig(base))).toBeUndefined();
    expect(oidcSettings(loadConfig({ ...base, OIDC_ISSUER: 'https://login.example.dk', OIDC_CLIENT_ID: 'sager', OIDC_CLIENT_SECRET: 's' }))).toEqual({
      issuer: 'https://login.example.dk',
      clientId: 'sager',
      clientSecret: 's',
      label: 'Log ind med organisationens login',
      emailVerified: 'required',
    });
    expect(problem({ OIDC_ISSUER: 'https://login.example.dk' })).toMatch(/OIDC_CLIENT_ID: is required when OIDC_ISSUER is set[^]*OIDC_CLIENT_SECRET: is required/);
    expect(problem({ OIDC_ISSUER: 'http://login.example.dk', OIDC_CLIENT_ID: 'sager', OIDC_CLIENT_SECRET: 's' })).toContain('OIDC_ISSUER: expected the https URL');
    expect(problem({ OIDC_ISSUER: 'http://127.0.0.1:4000', OIDC_CLIENT_ID: 'sager', OIDC_CLIENT_SECRET: 's' })).toBe('');
    expect(problem({ OIDC_ISSUER: 'https://login.example.dk', OIDC_CLIENT_ID: 'sager', OIDC_CLIENT_SECRET: 's', OIDC_EMAIL_VERIFIED: 'maybe' })).toContain('OIDC_EMAIL_VERIFIED: expected required or if-present');
    expect(oidcSettings(loadConfig({ ...base, OIDC_ISSUER: 'https://login.example.dk', OIDC_CLIENT_ID: 'sager', OIDC_CLIENT_SECRET: 's', OIDC_EMAIL_VERIFIED: 'if-present' }))?.emailVerified).toBe('if-present');
  });

  it('accepts Express’s trust proxy values and names a wrong one', () => {
    for (const v of ['1', 'loopback', 'true', '10.0.0.0/8, 192.168.1.1', 'loopback,::1']) expect(problem({ TRUST_PROXY: v })).toBe('');
    expect(problem({ TRUST_PROXY: 'ja tak' })).toContain('TRUST_PROXY: expected a number of proxies');
    expect(problem({ TRUST_PROXY: '10.0.0.0/33' })).toContain('TRUST_PROXY');
  });
});

describe('TRUST_PROXY', () => {
  it('counts failed sign-ins per client address behind the proxy, and ignores the header without it', { timeout: 60_000 }, async () => {
    const proxied = createServer();
    const direct = createServer();
    const [proxiedUrl, directUrl] = await Promise.all([listen(proxied), listen(direct)]);
    proxied.on('request', createApp(appDeps(proxiedUrl, { trustProxy: '1' })));
    direct.on('request', createApp(appDeps(directUrl)));
    try {
      const signIn = async (base: string, forwardedFor: string, password = PASSWORD) => {
        const { email } = await user('leadership', 'Leder bag en proxy');
        return fetch(`${base}/log-ind`, { method: 'POST', redirect: 'manual', headers: { 'x-forwarded-for': forwardedFor }, body: new URLSearchParams({ email, password }) });
      };
      const blocked = `203.0.113.${1 + Math.floor(Math.random() * 250)}`;
      const other = `198.51.100.${1 + Math.floor(Math.random() * 250)}`;
      // A failure behind the proxy is counted for the client's address, not the proxy's.
      expect((await signIn(proxiedUrl, blocked, 'forkert-adgangskode')).status).toBe(401);
      const counted = async (ip: string) => Number((await h.pool.query('SELECT count(*) AS n FROM sign_in_failure WHERE key = $1', [`ip:${ip}`])).rows[0].n);
      expect(await counted(blocked)).toBe(1);
      // The address uses up its failures; another client behind the same proxy still signs in.
      await h.pool.query('INSERT INTO sign_in_failure (key) SELECT $1 FROM generate_series(1, 49)', [`ip:${blocked}`]);
      expect((await signIn(proxiedUrl, blocked)).status).toBe(429);
      expect((await signIn(proxiedUrl, `${blocked}, ${other}`)).status).toBe(303);
      expect((await signIn(proxiedUrl, other)).status).toBe(303);
      // Without TRUST_PROXY a client cannot pick the address it is counted under.
      expect((await signIn(directUrl, other, 'forkert-adgangskode')).status).toBe(401);
      expect(await counted(other)).toBe(0);
      expect((await signIn(directUrl, blocked)).status).toBe(303);
    } finally {
      await close(proxied);
      await close(direct);
    }
  });
});
