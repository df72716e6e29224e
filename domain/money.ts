import Decimal from 'decimal.js';

/**
 * Money is kroner in decimal.js, never a JavaScript number. Amounts arrive as strings ("20000000" or
 * "20000000.50") and leave as strings of whole kroner.
 */
export type Kroner = Decimal;

// A dedicated constructor so that precision and rounding are fixed here and not by whatever global
// configuration another module may set.
export const D = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_UP });

/** Half away from zero to whole kroner: 0.5 → 1, −0.5 → −1 (ROUND_HALF_UP in decimal.js is away from zero). */
export function roundKroner(x: Decimal.Value): Decimal {
  return new D(x).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
}

/** Whole kroner as the API's string form ("-1333333"); never "-0". */
export function kronerString(x: Decimal.Value): string {
  const r = roundKroner(x);
  return r.isZero() ? '0' : r.toFixed(0);
}

/**
 * Splits an integer total among parts in proportion to weights by largest remainder (Hamilton), so that the
 * parts add up exactly to the total. Ties go to the earlier part in input order unless `tieBreak` says
 * otherwise. A negative total is split as its absolute value and the sign is put back, so a surplus is
 * split exactly like a deficit of the same size. All weights zero → everything to nobody is impossible, so
 * that is an error the caller must handle.
 */
export function allocateLargestRemainder(
  total: Decimal.Value,
  weights: readonly Decimal.Value[],
  tieBreak: (a: number, b: number) => number = (a, b) => a - b,
): Decimal[] {
  const t = new D(total);
  if (!t.isInteger()) throw new Error(`allocateLargestRemainder: total ${t.toString()} is not whole`);
  const ws = weights.map((w) => new D(w));
  if (ws.some((w) => w.isNegative())) throw new Error('allocateLargestRemainder: negative weight');
  const sum = ws.reduce((a, b) => a.plus(b), new D(0));
  if (sum.isZero()) {
    if (t.isZero()) return ws.map(() => new D(0));
    throw new Error('allocateLargestRemainder: all weights are zero');
  }
  const sign = t.isNegative() ? -1 : 1;
  const abs = t.abs();
  const ideals = ws.map((w) => abs.times(w).div(sum));
  const floors = ideals.map((x) => x.floor());
  let left = abs.minus(floors.reduce((a, b) => a.plus(b), new D(0))).toNumber();
  const order = ideals
    .map((x, i) => ({ i, rem: x.minus(floors[i]!) }))
    .sort((a, b) => {
      const c = b.rem.comparedTo(a.rem);
      return c !== 0 ? c : tieBreak(a.i, b.i);
    });
  const out = floors.slice();
  for (const { i } of order) {
    if (left <= 0) break;
    out[i] = out[i]!.plus(1);
    left -= 1;
  }
  return out.map((x) => (sign < 0 && !x.isZero() ? x.negated() : x));
}

/** "-1.600.000 kr." or "1.234,50 kr.": Danish grouping, sign kept, øre only when there are any. */
export function danishKronerSigned(amount: Decimal.Value): string {
  const d = new D(amount);
  const [whole, frac] = (d.abs().isInteger() ? d.abs().toFixed(0) : d.abs().toFixed(2)).split('.');
  return `${d.lt(0) ? '-' : ''}${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, '.')}${frac ? `,${frac}` : ''} kr.`;
}
