/**
 * Authentication on every request and authorization per route, on the server. A browser signs in and carries a
 * session cookie (HttpOnly, SameSite=Lax) whose unsafe requests must also carry the session's CSRF token; a
 * system client sends `Authorization: Bearer <token>` (no cookie, so no CSRF). The token is injected into every
 * POST form the server renders, so no form can forget it.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Pool } from 'pg';
import { ROLE_LABELS, type Principal, type Role } from './principal';
import { escapeHtml } from '../views/html';
import { sessionPrincipal, tokenPrincipal } from './store';
import { messagePage } from '../views/pages';

export const SESSION_COOKIE = 'kkr_session';

export function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== name) continue;
    // A malformed escape ("%") names no session: treated as no cookie, not as a server error.
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function principalOf(res: Response): Principal | undefined {
  return res.locals.principal as Principal | undefined;
}

const isApi = (req: Request) => req.path.startsWith('/api/');
const unsafe = (req: Request) => !['GET', 'HEAD', 'OPTIONS'].includes(req.method);

export function authenticate(pool: Pool): RequestHandler {
  return (req, res, next) => {
    const run = async () => {
      const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
      if (bearer) {
        const p = await tokenPrincipal(pool, bearer);
        if (!p) return void res.status(401).json({ error: 'unauthorized', message: 'Ukendt eller tilbagekaldt API-nøgle' });
        res.locals.principal = p;
        return next();
      }
      const token = cookieValue(req, SESSION_COOKIE);
      if (token) {
        const p = await sessionPrincipal(pool, token);
        if (p) res.locals.principal = p;
      }
      next();
    };
    run().catch(next);
  };
}

/**
 * A browser that sends an unsafe request without a session (the sign-in form, the first-run setup, an answer
 * link) has no CSRF token yet: it must at least come from this site. A foreign Origin, or Sec-Fetch-Site
 * "cross-site", is refused, so another site cannot sign a visitor in to an account of its choosing (login CSRF).
 * System clients send neither header.
 */
function crossSite(req: Request): boolean {
  // Sec-Fetch-Site is the browser's own verdict and decides when present: our pages send
  // "Referrer-Policy: no-referrer", under which Chromium posts our own forms with "Origin: null".
  const site = req.get('sec-fetch-site');
  if (site) return site !== 'same-origin' && site !== 'none';
  const origin = req.get('origin');
  if (!origin) return false;
  if (origin === 'null') return true;
  try {
    return new URL(origin).host !== req.get('host');
  } catch {
    return true;
  }
}

/** Unsafe requests of a browser session must carry the session's token (form field `_csrf` or header). */
export const verifyCsrf: RequestHandler = (req, res, next) => {
  const p = principalOf(res);
  if (!p && unsafe(req) && crossSite(req)) {
    if (isApi(req)) return void res.status(403).json({ error: 'csrf', message: 'Anmodningen kommer fra et andet websted' });
    const page = messagePage('Anmodningen blev afvist', 'Formularen blev sendt fra et andet websted. Åbn siden direkte på sagssystemets adresse, og prøv igen; intet er ændret.', 403);
    return void res.status(page.status).type('html').send(page.body);
  }
  if (!p || p.kind !== 'user' || !unsafe(req)) return next();
  const given = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get('x-csrf-token');
  if (given === p.csrfToken) return next();
  if (isApi(req)) return void res.status(403).json({ error: 'csrf', message: 'Anmodningen mangler et gyldigt CSRF-token' });
  const page = messagePage('Formularen er udløbet', 'Siden var åbnet i en tidligere session. Gå tilbage, genindlæs siden og prøv igen; intet er ændret.', 403);
  res.status(page.status).type('html').send(page.body);
};

/** The main menu for the signed-in role (rendered here so every page gets it without knowing the user). */
/** The main menu's links for the role, the current page marked (DKFDS navigation: `nav-link`, `aria-current`). */
function navFor(p: Principal | undefined, path: string): string {
  const link = (href: string, text: string) => {
    const current = href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
    return `<li${current ? ' class="active current"' : ''}><a href="${href}" class="nav-link"${current ? ' aria-current="page"' : ''}><span>${text}</span></a></li>`;
  };
  if (!p) return link('/log-ind', 'Log ind');
  const items: [string, string][] =
    p.role === 'municipality'
      ? [['/mine-opgaver', 'Mine opgaver']]
      : [['/', 'Overblik'], ['/forsinkelser', 'Hvem er forsinket?'], ['/adressebog', 'Adressebog'], ...(p.role === 'secretariat' ? ([['/sager/ny', 'Start en sag'], ['/brugere', 'Brugere'], ['/api-noegler', 'API-nøgler']] as [string, string][]) : [])];
  return items.map(([href, text]) => link(href, text)).join('');
}

/** The signed-in person in the header's portal line, with the sign-out button. */
function userFor(p: Principal | undefined): string {
  if (!p) return '';
  return `<p class="user">${escapeHtml(p.name)} (${ROLE_LABELS[p.role]})</p><form method="post" action="/log-ud" class="inline d-print-none"><button type="submit" class="function-link log-off">Log ud</button></form>`;
}

/** Fills the menu and adds the session's CSRF token to each POST form of an HTML response. */
export const decoratePages: RequestHandler = (req, res, next) => {
  const send = res.send.bind(res);
  res.send = ((body?: unknown) => {
    const p = principalOf(res);
    if (typeof body === 'string' && /html/.test(String(res.get('content-type') ?? ''))) {
      body = body.replace('<!--nav-->', navFor(p, req.path)).replace('<!--user-->', userFor(p));
      if (p?.csrfToken) body = (body as string).replace(/(<form\b[^>]*\bmethod="post"[^>]*>)/gi, `$1<input type="hidden" name="_csrf" value="${p.csrfToken}">`);
    }
    return send(body);
  }) as Response['send'];
  next();
};

/** Signed in at all; a page asks the browser to sign in, the API answers 401. */
export const requireSignIn: RequestHandler = (req, res, next) => {
  if (principalOf(res)) return next();
  if (isApi(req)) return void res.status(401).json({ error: 'unauthorized', message: 'Log ind eller brug en API-nøgle (Authorization: Bearer …)' });
  res.redirect(303, `/log-ind?naeste=${encodeURIComponent(req.originalUrl)}`);
};

export function requireRole(...roles: Role[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const p = principalOf(res);
    if (!p) return requireSignIn(req, res, next);
    if (roles.includes(p.role)) return next();
    if (isApi(req)) return void res.status(403).json({ error: 'forbidden', message: 'Din rolle giver ikke adgang til dette' });
    const page = messagePage('Ingen adgang', 'Din rolle giver ikke adgang til denne side eller handling.', 403);
    res.status(page.status).type('html').send(page.body);
  };
}
