/**
 * The one boundary normaliser for text that a person or a system sends in: JSON bodies, urlencoded forms, the
 * answer links, query strings, path segments, and (again, at depth) every argument of a workflow start or
 * Update. Every string is Unicode-normalised (NFC; CRLF becomes LF) and refused when it holds a control
 * character (C0 other than tab and newline, DEL, C1), a bidi override or isolate (U+202A–U+202E,
 * U+2066–U+2069), a lone surrogate, or is longer than any field of the system allows; a value nested deeper
 * than any schema is refused as a whole. Nothing is parsed further, started or stored before this passes, so
 * PostgreSQL (which cannot store NUL) and the workflows never see such text.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { FieldError } from './validation';
import { badRequest } from './validation';
import { messagePage } from './views/pages';
import { INPUT_LIMITS, normaliseText, normaliseValue } from './textInput';
export * from './textInput';

const isApi = (req: Request) => req.path.startsWith('/api/');

/** A request refused at the boundary: JSON for the API and for JSON bodies, a Danish page for forms and pages. */
export function refuse(req: Request, res: Response, status: number, errors: FieldError[]): void {
  if (isApi(req) || req.is('application/json')) return void res.status(status).json(badRequest(errors));
  const p =
    status === 404
      ? messagePage('Siden findes ikke', 'Adressen findes ikke.', 404)
      : messagePage('Indtastningen blev ikke modtaget', `${errors.map((e) => e.reason).join('. ')}. Intet er gemt eller ændret; gå tilbage og ret det.`, status);
  res.status(p.status).type('html').send(p.body);
}

/** Express middleware, after the body parsers and before every route. */
export const inputGuard: RequestHandler = (req, res, next) => {
  // Path segments: a control character in an identifier names nothing, so 404.
  for (const seg of req.path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(seg);
    } catch {
      return refuse(req, res, 404, [{ field: '(path)', reason: 'Adressen findes ikke' }]);
    }
    if (!normaliseText(decoded, 'Adressen', INPUT_LIMITS.maxQueryLength).ok) return refuse(req, res, 404, [{ field: '(path)', reason: 'Adressen findes ikke' }]);
  }
  const query = normaliseValue(req.query, { maxLength: INPUT_LIMITS.maxQueryLength });
  if (!query.ok) return refuse(req, res, 400, query.errors);
  // req.query is a getter in Express 5: shadow it with the normalised copy.
  Object.defineProperty(req, 'query', { value: query.value, configurable: true, enumerable: true, writable: true });
  if (req.body !== undefined) {
    // A start (form or API) names its procedure, whose form labels then name the fields.
    const named = /^\/sager\/ny\/([A-Za-z]+)$/.exec(req.path)?.[1] ?? (req.path === '/api/v1/cases' ? (req.body as { procedure?: unknown } | null)?.procedure : undefined);
    const body = normaliseValue(req.body, { procedure: typeof named === 'string' ? named : undefined });
    if (!body.ok) return refuse(req, res, 400, body.errors);
    req.body = body.value;
  }
  next();
};
