/**
 * The one boundary normaliser for text that a person or a system sends in: JSON bodies, urlencoded forms, the
 * answer links, query strings, path segments, and (again, at depth) every argument of a workflow start or
 * Update. Every string is Unicode-normalised (NFC; CRLF becomes LF) and refused when it holds a control
 * character (C0 other than tab and newline, DEL, C1), a bidi override or isolate (U+202A–U+202E,
 * U+2066–U+2069), a lone surrogate, or is longer than any field of the system allows; a value nested deeper
 * than any schema is refused as a whole. Nothing is parsed further, started or stored before this passes, so
 * PostgreSQL (which cannot store NUL) and the workflows never see such text.
 *
 * The pure checks live here; api/inputGuard.ts applies them to every request. Apart, so that the case service
 * can use them without importing the pages.
 */
import type { FieldError } from './validation';

export const INPUT_LIMITS = {
  /** A backstop above the longest text of any field (a draft report, an answer of up to 50,000 characters); each
   * schema sets its field's own, smaller, limit with its own Danish message. */
  maxLength: 200_000,
  /** The deepest nesting of any input schema is about 5; nothing legitimate comes near this. */
  maxDepth: 32,
  /** Query parameters and path segments: search words, filters and identifiers. */
  maxQueryLength: 500,
};

/** C0 controls except tab (U+0009) and newline (U+000A), CR left after CRLF → LF, DEL, C1 controls, bidi
 * embeddings/overrides/isolates, and surrogates that are not part of a pair. */
const FORBIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Danish labels of the field names the forms and the API use; a message names the field a person sees. */
const LABELS: Record<string, string> = {
  title: 'Titel',
  message: 'Besked',
  text: 'Svar',
  reason: 'Begrundelse',
  note: 'Bemærkning',
  comment: 'Bemærkning',
  description: 'Beskrivelse',
  wording: 'Fristens ordlyd',
  name: 'Navn',
  email: 'E-mailadresse',
  password: 'Adgangskode',
  role: 'Rolle',
  partyId: 'Kommune',
  partyIds: 'Parter',
  q: 'Søgning',
  region: 'Region',
  procedure: 'Procedure',
  status: 'Status',
  party: 'Part',
  due: 'Frist',
  page: 'Side',
  pageSize: 'Antal pr. side',
  naeste: 'Næste side',
  position: 'Holdning',
  councilMeetingDate: 'Dato for kommunalbestyrelsens møde',
  tilbudName: 'Tilbuddets navn',
  requestId: 'Formularens nummer',
};

/** The labels of each procedure's start form, by path pattern ("payers.*.partyId"), registered by the app. */
const formLabels = new Map<string, Record<string, string>>();
export function registerFieldLabels(procedure: string, labels: Record<string, string>): void {
  formLabels.set(procedure, labels);
}

/** The Danish label of a field path ("input.deadlines.agreement.wording" → "Fristens ordlyd"): the start form's
 * label when the procedure is known, else the label the field name has everywhere. */
export function fieldLabel(path: string, procedure?: string): string {
  const pattern = path.replace(/^input\./, '').split('.').map((p) => (/^\d+$/.test(p) ? '*' : p)).join('.');
  const fromForm = procedure ? formLabels.get(procedure)?.[pattern] : undefined;
  if (fromForm) return fromForm;
  const parts = path.split('.').filter((p) => p && !/^\d+$/.test(p) && p !== 'input');
  for (let i = parts.length - 1; i >= 0; i--) {
    const l = LABELS[parts[i]!] ?? (/^dl-\w+-wording$/.test(parts[i]!) ? 'Fristens ordlyd' : undefined);
    if (l) return l;
  }
  return 'Et af felterne';
}

const reasonFor = {
  forbidden: (label: string) => `${label}: indeholder et usynligt styretegn (fx et nul-tegn eller et retningsskift), som ikke kan gemmes. Skriv eller indsæt teksten igen uden det`,
  tooLong: (label: string, max: number) => `${label}: må højst være ${max.toLocaleString('da-DK')} tegn`,
  tooDeep: () => `Indholdet er indlejret for dybt (højst ${INPUT_LIMITS.maxDepth} niveauer)`,
};

/** The normalised form of one text, or the reason it is refused. */
export function normaliseText(s: string, label: string, maxLength = INPUT_LIMITS.maxLength): { ok: true; value: string } | { ok: false; reason: string } {
  const v = s.replace(/\r\n/g, '\n');
  if (FORBIDDEN.test(v)) return { ok: false, reason: reasonFor.forbidden(label) };
  const n = v.normalize('NFC');
  if (n.length > maxLength) return { ok: false, reason: reasonFor.tooLong(label, maxLength) };
  return { ok: true, value: n };
}

/**
 * A copy of a JSON-like value with every string (and every key) normalised, or the field errors that refuse it.
 * Iterative, so a value nested 100,000 deep costs no stack: it stops at maxDepth.
 */
export function normaliseValue(value: unknown, opts: { maxLength?: number; prefix?: string; procedure?: string } = {}): { ok: true; value: unknown } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const maxLength = opts.maxLength ?? INPUT_LIMITS.maxLength;
  const root: { v: unknown } = { v: undefined };
  const stack: { value: unknown; path: string; depth: number; set: (v: unknown) => void }[] = [{ value, path: opts.prefix ?? '', depth: 0, set: (v) => (root.v = v) }];
  while (stack.length) {
    const { value: v, path, depth, set } = stack.pop()!;
    if (depth > INPUT_LIMITS.maxDepth) return { ok: false, errors: [{ field: opts.prefix || '(input)', reason: reasonFor.tooDeep() }] };
    if (typeof v === 'string') {
      const r = normaliseText(v, fieldLabel(path, opts.procedure), maxLength);
      if (r.ok) set(r.value);
      else errors.push({ field: path || '(input)', reason: r.reason });
    } else if (Array.isArray(v)) {
      const out: unknown[] = new Array(v.length);
      set(out);
      v.forEach((x, i) => stack.push({ value: x, path: path ? `${path}.${i}` : String(i), depth: depth + 1, set: (y) => (out[i] = y) }));
    } else if (v && typeof v === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(v))) {
      const out: Record<string, unknown> = {};
      set(out);
      for (const [k, x] of Object.entries(v)) {
        const key = normaliseText(k, fieldLabel(path, opts.procedure), 200);
        if (!key.ok) {
          errors.push({ field: path || '(input)', reason: reasonFor.forbidden(fieldLabel(path, opts.procedure)) });
          continue;
        }
        const p = path ? `${path}.${key.value}` : key.value;
        // defineProperty, not assignment: a JSON key "__proto__" stays a plain key and never becomes a prototype.
        // Defined now, in the input's order, and filled in when the walk reaches it.
        const define = (y: unknown) => Object.defineProperty(out, key.value, { value: y, enumerable: true, writable: true, configurable: true });
        define(undefined);
        stack.push({ value: x, path: p, depth: depth + 1, set: define });
      }
    } else set(v);
    if (errors.length >= 20) break;
  }
  return errors.length ? { ok: false, errors: errors.reverse() } : { ok: true, value: root.v };
}
