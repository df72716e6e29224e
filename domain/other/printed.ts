import Decimal from 'decimal.js';
import { z } from 'zod';
import { D } from '../money';
import { decimalString, fieldName, formatDa, textField } from './schema';

/**
 * A figure as printed in a source document, so a calculator can say where its own result and the document part
 * ways. `value` is in the unit the document prints (kroner, or mio. kr. for "55,1 mio.") and its number of
 * decimals is the printed precision: "55.1" claims a tenth of a million, "32714663" claims a krone.
 * `source` is the citation shown in the warning, e.g. "001:1558".
 */
export interface PrintedFigure {
  value: string;
  source: string;
}

export function printedFigureSchema(label: string, key: string) {
  return z.object(
    {
      value: decimalString(`Trykt værdi for ${label}`, `${key}.value`, '55.1'),
      source: textField(`Kilde for trykt ${label}`, `${key}.source`),
    },
    { error: `${fieldName(`Trykt ${label}`, key)} skal være et objekt med value og source.` },
  );
}

export type PrintedUnit = 'kr.' | 'mio. kr.' | 'pct.' | '';

const UNIT_DIVISOR: Record<PrintedUnit, Decimal.Value> = { 'kr.': 1, 'mio. kr.': 1_000_000, 'pct.': 1, '': 1 };

function decimalsOf(value: string): number {
  const dot = value.indexOf('.');
  return dot < 0 ? 0 : value.length - dot - 1;
}

function withUnit(s: string, unit: PrintedUnit): string {
  if (unit === '') return s;
  return unit === 'pct.' ? `${s} %` : `${s} ${unit}`;
}

/**
 * Compares a computed figure with a printed one at the printed precision (half away from zero, as everywhere in
 * these calculators). Returns a Danish warning, or null when they agree. The warning says when truncation would
 * have reproduced the printed figure, because the seeds do that more than once (7,97 → "7,9"; 55,15 → "55,1").
 *
 * @param computed in the calculator's base unit (kroner for money); `unit` says how the document prints it.
 */
export function comparePrinted(
  label: string,
  computed: Decimal.Value,
  printed: PrintedFigure | undefined,
  unit: PrintedUnit,
): string | null {
  if (!printed) return null;
  const decimals = decimalsOf(printed.value);
  const inUnit = new D(computed).div(UNIT_DIVISOR[unit]);
  const shown = inUnit.toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP);
  const p = new D(printed.value);
  if (shown.eq(p)) return null;
  const truncated = inUnit.toDecimalPlaces(decimals, Decimal.ROUND_DOWN);
  // Two more decimals than printed are enough to show why the figures differ without drowning the reader.
  const exact = formatDa(inUnit, Math.min(Math.max(inUnit.decimalPlaces(), decimals), decimals + 2));
  const note = truncated.eq(p) ? ' Det trykte tal svarer til afskæring, ikke afrunding.' : '';
  return (
    `${label}: beregnet ${withUnit(exact, unit)}, men trykt ${withUnit(formatDa(p, decimals), unit)} (${printed.source}); ` +
    `den beregnede værdi anvendes.${note}`
  );
}

/** Collects the non-null warnings in order. */
export function collect(...ws: (string | null | undefined)[]): string[] {
  return ws.filter((w): w is string => typeof w === 'string');
}
