import type Decimal from 'decimal.js';
import { z } from 'zod';
import { allocateLargestRemainder, D, kronerString } from '../money';
import { collect, comparePrinted, printedFigureSchema, type PrintedFigure } from './printed';
import { decimalString, fieldName, isDecimalString, kronerAmount, percentString, textField, uniqueBy } from './schema';

/**
 * Objective financing of Socialtilsyn Syd's foster-family area (objektiv finansiering, plejefamilieområdet):
 * one payment per municipality, split "efter kommunernes andel af 0-17 årige" (001:1636), invoiced in January
 * (001:1672). Other-procedures.md §3.3.
 *
 * The payer set is an input, never "the 22 Syddanske municipalities": the printed list has Frederiksberg and
 * lacks Faaborg-Midtfyn (001:1644-1667). The seed does not state a rounding rule; largest remainder is used so
 * that the invoices add up to the invoiced total to the krone.
 *
 * Warnings are Danish.
 */

const payersKey = 'payers';

export const ObjectiveFinancingInputSchema = z
  .object({
    total: kronerAmount('Samlet objektiv finansiering', 'total', { min: 0, integer: true }),
    payers: z
      .array(
        z.object({
          municipality: textField('Kommune', `${payersKey}[].municipality`),
          children0to17: decimalString('Antal 0-17-årige', `${payersKey}[].children0to17`, '9876', { min: 0, integer: true }),
        }),
        { error: `${fieldName('Betalende kommuner', payersKey)} skal være en liste.` },
      )
      .min(1, { error: `${fieldName('Betalende kommuner', payersKey)} skal have mindst én kommune.` }),
    fosterFamilies: z
      .number({ error: `${fieldName('Antal plejefamilier', 'fosterFamilies')} skal være et tal, fx 1450.` })
      .int({ error: `${fieldName('Antal plejefamilier', 'fosterFamilies')} skal være et helt tal.` })
      .min(1, { error: `${fieldName('Antal plejefamilier', 'fosterFamilies')} skal være mindst 1.` })
      .optional(),
    printedPerFamily: printedFigureSchema('finansiering pr. plejefamilie', 'printedPerFamily').optional(),
  })
  .superRefine((v, ctx) => {
    const dup = uniqueBy(v.payers, (p) => p.municipality);
    if (dup !== null) {
      ctx.addIssue({ code: 'custom', path: [payersKey], message: `${fieldName('Betalende kommuner', payersKey)}: ${dup} står der mere end én gang.` });
    }
    if (
      isDecimalString(v.total) &&
      v.payers.every((p) => isDecimalString(p.children0to17) && new D(p.children0to17).isZero()) &&
      !new D(v.total).isZero()
    ) {
      ctx.addIssue({
        code: 'custom',
        path: [payersKey],
        message: `${fieldName('Antal 0-17-årige', `${payersKey}[].children0to17`)} er 0 for alle kommuner, så beløbet kan ikke fordeles.`,
      });
    }
  });
export type ObjectiveFinancingInput = z.input<typeof ObjectiveFinancingInputSchema>;

export interface ObjectiveFinancingResult {
  allocations: { municipality: string; amount: string; sharePercent: string }[];
  total: string;
  /** Total ÷ foster families, whole kroner half up; present when fosterFamilies is given. */
  perFosterFamily?: string;
  warnings: string[];
}

function perFamily(total: Decimal, families: number | undefined, printed: PrintedFigure | undefined) {
  if (families === undefined) return { value: undefined, warnings: [] as string[] };
  const exact = total.div(families);
  return {
    value: kronerString(exact),
    warnings: collect(comparePrinted('Objektiv finansiering pr. plejefamilie', exact, printed, 'kr.')),
  };
}

export function allocateObjectiveFinancing(input: ObjectiveFinancingInput): ObjectiveFinancingResult {
  const v = ObjectiveFinancingInputSchema.parse(input);
  const weights = v.payers.map((p) => p.children0to17);
  const sumW = weights.reduce((a, w) => a.plus(w), new D(0));
  const amounts = allocateLargestRemainder(v.total, weights);
  const pf = perFamily(new D(v.total), v.fosterFamilies, v.printedPerFamily);
  return {
    allocations: v.payers.map((p, i) => ({
      municipality: p.municipality,
      amount: kronerString(amounts[i]!),
      sharePercent: percentString(sumW.isZero() ? 0 : new D(p.children0to17).div(sumW).times(100), 3),
    })),
    total: kronerString(v.total),
    ...(pf.value !== undefined ? { perFosterFamily: pf.value } : {}),
    warnings: pf.warnings,
  };
}

export const ObjectiveFinancingTableInputSchema = z
  .object({
    rows: z
      .array(
        z.object({
          municipality: textField('Kommune', 'rows[].municipality'),
          amount: kronerAmount('Beløb', 'rows[].amount', { min: 0 }),
        }),
        { error: `${fieldName('Rækker i tabellen', 'rows')} skal være en liste.` },
      )
      .min(1, { error: `${fieldName('Rækker i tabellen', 'rows')} skal have mindst én række.` }),
    printedTotal: printedFigureSchema('total', 'printedTotal').optional(),
    fosterFamilies: z
      .number({ error: `${fieldName('Antal plejefamilier', 'fosterFamilies')} skal være et tal, fx 1450.` })
      .int({ error: `${fieldName('Antal plejefamilier', 'fosterFamilies')} skal være et helt tal.` })
      .min(1, { error: `${fieldName('Antal plejefamilier', 'fosterFamilies')} skal være mindst 1.` })
      .optional(),
    printedPerFamily: printedFigureSchema('finansiering pr. plejefamilie', 'printedPerFamily').optional(),
  })
  .superRefine((v, ctx) => {
    const dup = uniqueBy(v.rows, (r) => r.municipality);
    if (dup !== null) {
      ctx.addIssue({ code: 'custom', path: ['rows'], message: `${fieldName('Rækker i tabellen', 'rows')}: ${dup} står der mere end én gang.` });
    }
  });
export type ObjectiveFinancingTableInput = z.input<typeof ObjectiveFinancingTableInputSchema>;

/**
 * Checks a printed per-municipality table: the sum of its rows against the printed total, each row's share, and
 * the per-family figure (computed from the row sum, since that is what is actually invoiced).
 */
export function reconcileObjectiveFinancingTable(input: ObjectiveFinancingTableInput): ObjectiveFinancingResult {
  const v = ObjectiveFinancingTableInputSchema.parse(input);
  const total = v.rows.reduce((a, r) => a.plus(r.amount), new D(0));
  const pf = perFamily(total, v.fosterFamilies, v.printedPerFamily);
  return {
    allocations: v.rows.map((r) => ({
      municipality: r.municipality,
      amount: kronerString(r.amount),
      sharePercent: percentString(total.isZero() ? 0 : new D(r.amount).div(total).times(100), 3),
    })),
    total: kronerString(total),
    ...(pf.value !== undefined ? { perFosterFamily: pf.value } : {}),
    warnings: [...collect(comparePrinted('Sum af kommunernes bidrag', total, v.printedTotal, 'kr.')), ...pf.warnings],
  };
}
