/** Sign-in, sign-out and the first-run setup of the first secretariat account. */
import { Router, type Request, type Response } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import { withTransaction } from '../../db/pool';
import { CPR_REFUSAL, cprNumbersIn } from '../../domain/personalData';
import { html } from '../views/html';
import { layout } from '../views/layout';
import { describedBy, errorSummaryBox, formGroup } from '../views/components';
import { SESSION_COOKIE, cookieValue, principalOf } from './middleware';
import { claimSignInAttempt, countUsers, createSession, createUser, destroySession, settleSignIn, SIGN_IN_LIMIT, verifyCredentials } from './store';
import type { Role } from './principal';
import type { OidcSettings } from '../../config';
import { OIDC_COOKIE, OIDC_COOKIE_PATH, OIDC_LOGIN_MINUTES, OidcSignIn, ProviderUnavailableError, type OidcFinish } from './oidc';

const HOME: Record<Role, string> = { secretariat: '/', leadership: '/', municipality: '/mine-opgaver' };

/** Only a path on this site: never an absolute URL or a protocol-relative one (an open redirect). */
const safeNext = (v: unknown) => (typeof v === 'string' && /^\/(?![/\\])/.test(v) ? v : undefined);

function field(name: string, label: string, type: string, value = '', error?: string, autocomplete?: string) {
  return formGroup({
    id: name,
    label,
    errors: error ? [`${label}: ${error}`] : [],
    control: html`<input type="${type}" class="form-input" id="${name}" name="${name}" value="${value}"${autocomplete ? html` autocomplete="${autocomplete}"` : ''}${describedBy(name, false, !!error)}>`,
  });
}

function signInPage(opts: { email?: string; next?: string; error?: string; oidcLabel?: string }) {
  const oidcHref = `/log-ind/oidc${opts.next ? `?naeste=${encodeURIComponent(opts.next)}` : ''}`;
  return layout({
    title: 'Log ind',
    body: html`<h1>Log ind</h1>
${opts.error ? errorSummaryBox('Du blev ikke logget ind', [{ text: opts.error }]) : ''}
${opts.oidcLabel ? html`<p><a class="button button-primary" href="${oidcHref}">${opts.oidcLabel}</a></p>
<p class="muted">Eller log ind med e-mailadresse og adgangskode:</p>` : ''}
<form method="post" action="/log-ind" novalidate>
${opts.next ? html`<input type="hidden" name="naeste" value="${opts.next}">` : ''}
${field('email', 'E-mailadresse', 'email', opts.email ?? '', undefined, 'username')}
${field('password', 'Adgangskode', 'password', '', undefined, 'current-password')}
<p><button type="submit" class="button button-primary">Log ind</button></p></form>
<p class="muted">Kommuner svarer på sager via linket i e-mailen og behøver ikke at logge ind.</p>`,
  });
}

/** Why an OpenID Connect sign-in was refused, and what the person can do about it; nothing was changed. */
function oidcRefusal(r: Exclude<OidcFinish, { ok: true }>): { status: number; title: string; text: string } {
  const again = 'Start forfra fra siden Log ind.';
  switch (r.reason) {
    case 'expired':
      return { status: 400, title: 'Log-ind-forsøget er udløbet', text: `Log-ind-forsøget er udløbet, allerede brugt eller startet i en anden browser (det gælder i ${OIDC_LOGIN_MINUTES} minutter og kun én gang). ${again}` };
    case 'provider':
      return { status: 400, title: 'Log ind blev afbrudt', text: `Organisationens login gennemførte ikke log ind (svar: ${r.error || 'ukendt fejl'}). ${again} Fortsætter problemet, så kontakt jeres it-afdeling.` };
    case 'invalid':
      return { status: 400, title: 'Log ind kunne ikke bekræftes', text: `Svaret fra organisationens login passede ikke til dette log-ind-forsøg og er afvist. ${again}` };
    case 'no_email':
      return { status: 401, title: 'Ingen bekræftet e-mailadresse', text: 'Organisationens login oplyste ikke en bekræftet e-mailadresse, og den er nødvendig for at finde din konto. Kontakt jeres it-afdeling, eller log ind med adgangskode.' };
    case 'no_account':
      return { status: 401, title: 'Du har ingen konto i sagssystemet', text: `Organisationens login kender dig som ${r.email}, men der er ingen konto i sagssystemet med den e-mailadresse. Kontakt sekretariatet for at få en konto.` };
    case 'disabled':
      return { status: 401, title: 'Din konto er lukket', text: `Kontoen for ${r.email} er lukket i sagssystemet. Kontakt sekretariatet for at få en konto.` };
  }
}

function refusalPage(title: string, text: string) {
  return layout({ title, body: html`<h1>${title}</h1><p>${text}</p><p><a href="/log-ind">Til log ind</a></p>` });
}

const setupSchema = z
  .object({
    name: z.string().trim().min(2, 'skriv dit navn').max(200, 'må højst være 200 tegn').refine((n) => !cprNumbersIn(n).length, `feltet ${CPR_REFUSAL}`),
    email: z.email('skriv en gyldig e-mailadresse'),
    password: z.string().min(12, 'skal være mindst 12 tegn').max(200, 'må højst være 200 tegn'),
    repeat: z.string(),
  })
  .refine((v) => v.password === v.repeat, { path: ['repeat'], message: 'de to adgangskoder er ikke ens' });

function setupPage(values: Record<string, string>, errors: Record<string, string>) {
  return layout({
    title: 'Opsætning',
    body: html`<h1>Opret den første konto for sekretariatet</h1>
<p>Systemet har ingen brugere endnu. Kontoen, du opretter her, kan starte sager og oprette flere brugere.</p>
<form method="post" action="/opsaetning" novalidate>
${field('name', 'Navn', 'text', values.name, errors.name, 'name')}
${field('email', 'E-mailadresse', 'email', values.email, errors.email, 'username')}
${field('password', 'Adgangskode (mindst 12 tegn)', 'password', '', errors.password, 'new-password')}
${field('repeat', 'Gentag adgangskoden', 'password', '', errors.repeat, 'new-password')}
<p><button type="submit" class="button button-primary">Opret konto</button></p></form>`,
  });
}

export function createAuthRouter(deps: { pool: Pool; publicUrl: string; oidc?: OidcSettings }) {
  const router = Router();
  const secure = deps.publicUrl.startsWith('https://');
  const oidc = deps.oidc ? new OidcSignIn(deps.oidc, deps.pool, deps.publicUrl) : undefined;
  const setCookie = (res: Response, token: string) =>
    // No maxAge: the server's sliding expiry (SESSION_HOURS idle) decides, so an active user is not signed out by the
    // browser 12 hours after signing in.
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
  const signIn = async (res: Response, userId: string, role: Role, next?: string) => {
    const s = await createSession(deps.pool, userId);
    setCookie(res, s.token);
    res.redirect(303, next ?? HOME[role]);
  };

  router.get('/log-ind', async (req, res) => {
    if ((await countUsers(deps.pool)) === 0) return void res.redirect(303, '/opsaetning');
    res.type('html').send(signInPage({ next: safeNext(req.query.naeste), oidcLabel: oidc?.label }));
  });

  if (oidc) {
    const unavailable = (res: Response, e: unknown) => {
      if (!(e instanceof ProviderUnavailableError)) throw e;
      console.warn(`oidc: ${e.message}`);
      res.status(502).type('html').send(refusalPage('Organisationens login svarer ikke', 'Organisationens login kunne ikke nås lige nu. Prøv igen om lidt, eller log ind med e-mailadresse og adgangskode.'));
    };
    router.get('/log-ind/oidc', async (req, res) => {
      let begun: Awaited<ReturnType<OidcSignIn['begin']>>;
      try {
        begun = await oidc.begin(safeNext(req.query.naeste), String(req.ip));
      } catch (e) {
        return unavailable(res, e);
      }
      if ('tooMany' in begun) {
        res.setHeader('Retry-After', String(OIDC_LOGIN_MINUTES * 60));
        return void res.status(429).type('html').send(refusalPage('For mange påbegyndte log-ind', `Der er påbegyndt for mange log-ind fra denne forbindelse. Vent ${OIDC_LOGIN_MINUTES} minutter, og prøv igen, eller log ind med e-mailadresse og adgangskode.`));
      }
      // SameSite=Lax: the provider sends the browser back with a top-level GET from its own site, which Lax allows.
      res.cookie(OIDC_COOKIE, begun.key, { httpOnly: true, sameSite: 'lax', secure, path: OIDC_COOKIE_PATH, maxAge: OIDC_LOGIN_MINUTES * 60_000 });
      res.redirect(303, begun.url);
    });
    router.get('/log-ind/oidc/callback', async (req, res) => {
      res.clearCookie(OIDC_COOKIE, { path: OIDC_COOKIE_PATH });
      const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
      let result: OidcFinish;
      try {
        result = await oidc.finish(cookieValue(req, OIDC_COOKIE), query);
      } catch (e) {
        return unavailable(res, e);
      }
      if (result.ok) return signIn(res, result.userId, result.role, result.next);
      const page = oidcRefusal(result);
      res.status(page.status).type('html').send(refusalPage(page.title, page.text));
    });
  }

  router.post('/log-ind', async (req: Request, res: Response) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const email = String(b.email ?? '').trim().toLowerCase().slice(0, 320);
    const next = safeNext(b.naeste);
    const claim = await claimSignInAttempt(deps.pool, email, String(req.ip));
    if (claim.blocked) {
      res.setHeader('Retry-After', String(SIGN_IN_LIMIT.minutes * 60));
      return void res.status(429).type('html').send(signInPage({ email, next, oidcLabel: oidc?.label, error: `For mange mislykkede forsøg. Vent ${SIGN_IN_LIMIT.minutes} minutter, og prøv igen.` }));
    }
    const user = email ? await verifyCredentials(deps.pool, email, String(b.password ?? '')) : null;
    await settleSignIn(deps.pool, claim.attempt, !!user);
    if (!user) return void res.status(401).type('html').send(signInPage({ email, next, oidcLabel: oidc?.label, error: 'E-mailadressen eller adgangskoden er forkert.' }));
    const { rows } = await deps.pool.query<{ role: Role }>('SELECT role FROM app_user WHERE id = $1', [user.id]);
    await signIn(res, user.id, rows[0]!.role, next);
  });

  router.post('/log-ud', async (req, res) => {
    const token = cookieValue(req, SESSION_COOKIE);
    if (token) await destroySession(deps.pool, token);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/log-ind');
  });

  router.get('/opsaetning', async (_req, res) => {
    if ((await countUsers(deps.pool)) > 0) return void res.redirect(303, '/log-ind');
    res.type('html').send(setupPage({}, {}));
  });

  router.post('/opsaetning', async (req, res) => {
    const b = (req.body ?? {}) as Record<string, string>;
    const values = { name: String(b.name ?? ''), email: String(b.email ?? '') };
    const parsed = setupSchema.safeParse(b);
    if (!parsed.success) {
      const errors = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]));
      return void res.status(400).type('html').send(setupPage(values, errors));
    }
    // Only while there are no users, and only once even if two browsers submit at the same moment.
    const userId = await withTransaction(deps.pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext('kkr-first-run-setup'))");
      const n = Number((await client.query('SELECT count(*) AS n FROM app_user')).rows[0].n);
      return n === 0 ? createUser(client, { ...parsed.data, role: 'secretariat' }) : undefined;
    });
    if (!userId) return void res.redirect(303, '/log-ind');
    await signIn(res, userId, 'secretariat');
  });

  router.get('/tilgaengelighed', (_req, res) => {
    res.type('html').send(
      layout({
        title: 'Tilgængelighedserklæring',
        body: html`<h1>Tilgængelighedserklæring</h1>
<p>KKR Syddanmarks sagssystem er omfattet af lov om tilgængelighed af offentlige organers websteder og mobilapplikationer. Vi arbejder efter WCAG 2.1 niveau AA.</p>
<h2>Hvad vi gør</h2>
<ul><li>Alle sider virker uden JavaScript og med tastatur alene.</li>
<li>Formularer har synlige etiketter; fejl vises ved feltet og i en oversigt øverst, der linker til feltet.</li>
<li>Frister vises med ugedag, og en flyttet frist forklares i tekst, ikke kun med farve.</li>
<li>Siderne testes automatisk for tilgængelighedsfejl i en rigtig browser.</li></ul>
<h2>Kendte begrænsninger</h2>
<ul><li>Dokumenter, der genereres af sagerne, er ren tekst eller HTML; vedhæftede filer fra kommunerne kontrolleres ikke for tilgængelighed.</li></ul>
<h2>Kontakt</h2>
<p>Oplever du problemer med tilgængeligheden, så skriv til sekretariatet. Du kan klage til Digitaliseringsstyrelsen via <a href="https://www.was.digst.dk">was.digst.dk</a>.</p>`,
      }),
    );
  });

  return router;
}

export { principalOf };
