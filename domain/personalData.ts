/**
 * CPR numbers do not belong in a joint case: the procedures deal with tilbud, places, quotas and money, never
 * with a named citizen, and whatever is typed into a case travels in e-mails to every municipality. Free text
 * that looks like a CPR number (DDMMYY, a real date, then four digits, with or without the hyphen) is refused.
 */
const CPR_LIKE = /(?<!\d)(?<!\d-)(\d{2})(\d{2})(\d{2}) ?-? ?(\d{4})(?!\d)(?!-\d)/g;

/**
 * The text as the guard reads it: NFKC (full-width and other compatibility digits become 0–9), every dash and
 * minus variant a hyphen, every kind of space (and zero-width characters) one plain space, so that "010190‐1234",
 * "010190 – 1234" or "０１０１９０１２３４" are found like "010190-1234". Prefixes such as "CPR-" or "cpr.nr.-" then
 * stand before the number like any other word.
 */
export function normaliseForCpr(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u00AD\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/[\u2010-\u2015\u2212\u2043\uFE58\uFE63\uFF0D\u002D]/g, '-')
    .replace(/[\s\u00A0\u2000-\u200A\u202F\u205F\u3000]+/g, ' ');
}

function realDate(dd: number, mm: number, yy: number): boolean {
  if (mm < 1 || mm > 12 || dd < 1) return false;
  // The century is not in the number; 29 February is accepted whenever it exists in some century.
  const days = [31, yy % 4 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mm - 1]!;
  return dd <= days;
}

/** The CPR-like numbers in a text (empty when there are none). */
export function cprNumbersIn(text: string): string[] {
  const out: string[] = [];
  for (const m of normaliseForCpr(text).matchAll(CPR_LIKE)) {
    if (realDate(Number(m[1]), Number(m[2]), Number(m[3]))) out.push(m[0]);
  }
  return out;
}

/** The paths ("message", "closure.payers.0.partyId") of every string in a JSON value that holds a CPR-like number. */
export function fieldsWithCpr(value: unknown, path = ''): string[] {
  // A field that is only a number is an amount or a count ("1201234567" kroner), not a CPR number in a text.
  if (typeof value === 'string') return !/^-?\d+(\.\d+)?$/.test(normaliseForCpr(value).trim()) && cprNumbersIn(value).length ? [path || '(input)'] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => fieldsWithCpr(v, path ? `${path}.${i}` : String(i)));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => fieldsWithCpr(v, path ? `${path}.${k}` : k));
  return [];
}

export const CPR_REFUSAL =
  'ser ud til at indeholde et CPR-nummer. Skriv ikke CPR-numre i sagen (teksten sendes til alle parter); henvis i stedet til sagen i jeres eget system';
