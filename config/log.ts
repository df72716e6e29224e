/**
 * Structured logs: one JSON object per line (pino), with the process's name, a request id and a case id where
 * there is one, and the level from LOG_LEVEL. What a log line must never carry is taken out before it is
 * written, whatever the caller passed: secrets by key (passwords, tokens, cookies, the link secret), signed answer
 * links (/svar/<token> becomes /svar/…), bearer tokens and CPR-like numbers in any text.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import { cprNumbersIn } from '../domain/personalData';

export type { Logger };

const SECRET_KEY = /pass(word)?|secret|token|authorization|cookie|api[-_]?key|csrf|session/i;
const SIGNED_LINK = /\/svar\/[A-Za-z0-9_.~%-]+/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const EMAIL_TOKEN = /([?&](token|code|state)=)[^&\s"']+/gi;

/** A text as it may be logged. */
export function scrubText(text: string): string {
  let out = text.replace(SIGNED_LINK, '/svar/…').replace(BEARER, '$1 …').replace(EMAIL_TOKEN, '$1…');
  for (const cpr of new Set(cprNumbersIn(out))) out = out.split(cpr).join('[cpr fjernet]');
  // cprNumbersIn reads a normalised text; a number written with other dashes or spaces is caught there too.
  if (cprNumbersIn(out).length) out = out.replace(/\d[\d\s\u00A0\u2010-\u2015\u2212-]{8,}\d/g, (m) => (cprNumbersIn(m).length ? '[cpr fjernet]' : m));
  return out;
}

/** A value as it may be logged: secrets by key removed, every text scrubbed; errors keep name, message, stack. */
export function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { type: value.name, message: scrubText(value.message), ...(value.stack ? { stack: scrubText(value.stack) } : {}) };
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[fjernet]' : scrub(v, depth + 1)]));
}

/** The process's logger ("web", "worker"); `destination` for tests. */
export function createLogger(name: string, opts: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      name,
      level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
      base: { process: name },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }), log: (o) => scrub(o) as Record<string, unknown> },
      hooks: {
        // The message text (and any printf arguments) is scrubbed like the fields.
        logMethod(args, method) {
          method.apply(this, args.map((a) => scrub(a)) as Parameters<typeof method>);
        },
      },
    },
    opts.destination,
  );
}
