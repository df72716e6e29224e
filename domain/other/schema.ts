import Decimal from 'decimal.js';
import { z } from 'zod';
import { D } from '../money';

/**
 * Field builders shared by the calculators in domain/other. Every message is Danish and names the field twice:
 * by its Danish label (what the web UI shows next to the input) and by its API key (what a developer greps for).
 *
 * Numbers travel as strings in the API form used by money.ts ("20000000", "-1500000.50", "90.1"), never as JS
 * numbers, so that 90.1 stays exactly 90.1. Danish display formats ("20.000.000", "90,1") are rejected on
 * purpose: "20.000" would be ambiguous between twenty and twenty thousand.
 */

const DECIMAL_RE = /^-?\d+(\.\d+)?$/;

/** For object-level refinements, which Zod 4 runs even when a field has already failed its own format check. */
export function isDecimalString(v: unknown): v is string {
  return typeof v === 'string' && DECIMAL_RE.test(v);
}

export function fieldName(label: string, key: string): string {
  return `${label} (${key})`;
}

interface DecimalFieldOptions {
  /** Inclusive lower bound. */
  min?: Decimal.Value;
  /** Exclusive lower bound, for divisors such as an occupancy rate. */
  greaterThan?: Decimal.Value;
  /** Inclusive upper bound. */
  max?: Decimal.Value;
  integer?: boolean;
  /** Danish reason appended to a bound violation, e.g. a citation of the rule. */
  boundReason?: string;
}

export function decimalString(label: string, key: string, example: string, opts: DecimalFieldOptions = {}) {
  const name = fieldName(label, key);
  const reason = opts.boundReason ? ` ${opts.boundReason}` : '';
  let s = z
    .string({ error: `${name} skal udfyldes som et tal skrevet med cifre, fx "${example}".` })
    .regex(DECIMAL_RE, {
      error: `${name} skal være et tal skrevet med cifre og eventuelt punktum som decimaltegn, fx "${example}" (ikke tusindtalsseparatorer).`,
    });
  // Zod 4 runs every check even after the format check has failed, so each bound first re-checks the format and
  // leaves a malformed value to the format message instead of throwing inside decimal.js.
  const when = (test: (d: Decimal) => boolean) => (v: string) => !DECIMAL_RE.test(v) || test(new D(v));
  if (opts.integer) {
    s = s.refine(when((d) => d.isInteger()), { error: `${name} skal være et helt tal.` });
  }
  if (opts.min !== undefined) {
    const min = new D(opts.min);
    s = s.refine(when((d) => d.gte(min)), { error: `${name} må ikke være mindre end ${formatDa(min)}.${reason}` });
  }
  if (opts.greaterThan !== undefined) {
    const gt = new D(opts.greaterThan);
    s = s.refine(when((d) => d.gt(gt)), { error: `${name} skal være større end ${formatDa(gt)}.${reason}` });
  }
  if (opts.max !== undefined) {
    const max = new D(opts.max);
    s = s.refine(when((d) => d.lte(max)), { error: `${name} må ikke være større end ${formatDa(max)}.${reason}` });
  }
  return s;
}

/** An amount in kroner; the example in the message is negative only where a negative amount is expected. */
export function kronerAmount(label: string, key: string, opts: DecimalFieldOptions = {}) {
  const expectsNegative = opts.max !== undefined && new D(opts.max).lte(0);
  return decimalString(label, key, expectsNegative ? '-1500000' : '20000000', opts);
}

export function yearField(label: string, key: string) {
  const name = fieldName(label, key);
  return z
    .number({ error: `${name} skal være et årstal, fx 2024.` })
    .int({ error: `${name} skal være et helt årstal, fx 2024.` })
    .min(2000, { error: `${name} skal ligge mellem 2000 og 2100.` })
    .max(2100, { error: `${name} skal ligge mellem 2000 og 2100.` });
}

export function textField(label: string, key: string) {
  const name = fieldName(label, key);
  return z.string({ error: `${name} skal udfyldes.` }).trim().min(1, { error: `${name} skal udfyldes.` });
}

/** Rejects duplicate names so that a municipality or unit cannot be charged twice by a typo. */
export function uniqueBy<T>(items: readonly T[], key: (t: T) => string): string | null {
  const seen = new Set<string>();
  for (const it of items) {
    const k = key(it);
    if (seen.has(k)) return k;
    seen.add(k);
  }
  return null;
}

/**
 * Danish display of a number for warnings, so a warning can quote a figure the way the seed prints it:
 * 32714663 → "32.714.663", 55.15 → "55,15". With `decimals`, rounds half away from zero to that many places.
 */
export function formatDa(x: Decimal.Value, decimals?: number): string {
  let d = new D(x);
  if (decimals !== undefined) d = d.toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP);
  const neg = d.isNegative() && !d.isZero();
  const fixed = decimals !== undefined ? d.abs().toFixed(decimals) : d.abs().toFixed();
  const [intPart, frac] = fixed.split('.');
  const grouped = intPart!.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${neg ? '−' : ''}${grouped}${frac ? `,${frac}` : ''}`;
}

/** Percentage with a fixed number of decimals in API form ("-5.0"), half away from zero; never "-0.0". */
export function percentString(x: Decimal.Value, decimals: number): string {
  const r = new D(x).toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP);
  return r.isZero() ? new D(0).toFixed(decimals) : r.toFixed(decimals);
}
