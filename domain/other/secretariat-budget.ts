import type Decimal from 'decimal.js';
import { z } from 'zod';
import { D, kronerString } from '../money';
import { collect, comparePrinted, printedFigureSchema } from './printed';
import { fieldName, formatDa, kronerAmount, textField, uniqueBy } from './schema';

/**
 * Result and carried balance of a joint secretariat's budget or accounts, column by column (other-procedures.md
 * §4.2 and §5.2; seed 001:1738-1777 and 001:2007-2030). It recomputes every subtotal, the result and the balance
 * carried to the next year, and checks each against the printed figure and each opening balance against the
 * column it continues from.
 *
 * The two secretariats print opposite conventions: the Socialsekretariat's result is negative for a deficit, the
 * Sundhedssekretariat's positive; and the Sundhedssekretariat's balance is positive as a reserve in 2021 but
 * negative as a reserve from 2022 on. Each table declares its result convention and each column its balance
 * convention; internally a deficit is positive and a reserve is positive. Warnings are Danish.
 */

const line = (key: string) =>
  z.object({ label: textField('Post', `${key}.label`), amount: kronerAmount('Beløb', `${key}.amount`) });

const ColumnSchema = z.object({
  label: textField('Kolonne', 'columns[].label'),
  balanceConvention: z.enum(['positiveIsReserve', 'negativeIsReserve'], {
    error: `${fieldName('Fortegn for overførsler', 'columns[].balanceConvention')} skal være "positiveIsReserve" eller "negativeIsReserve".`,
  }),
  expenseGroups: z.array(
    z.object({
      label: textField('Udgiftsgruppe', 'columns[].expenseGroups[].label'),
      lines: z.array(line('columns[].expenseGroups[].lines[]')),
      printedSubtotal: printedFigureSchema('subtotal', 'columns[].expenseGroups[].printedSubtotal').optional(),
    }),
    { error: `${fieldName('Udgiftsgrupper', 'columns[].expenseGroups')} skal være en liste.` },
  ),
  printedExpensesTotal: printedFigureSchema('udgifter i alt', 'columns[].printedExpensesTotal').optional(),
  income: z.array(line('columns[].income[]'), {
    error: `${fieldName('Indtægter (fx kommunebetaling, med minus)', 'columns[].income')} skal være en liste.`,
  }),
  openingBalance: kronerAmount('Overførsler tidligere år', 'columns[].openingBalance'),
  /** Label of the column whose closing balance this column's opening balance should equal. */
  openingFrom: z.string().optional(),
  printedResult: printedFigureSchema('regnskabsresultat', 'columns[].printedResult').optional(),
  printedClosingBalance: printedFigureSchema('overførsel til efterfølgende år', 'columns[].printedClosingBalance').optional(),
});

export const SecretariatBudgetInputSchema = z
  .object({
    resultConvention: z.enum(['negativeIsDeficit', 'positiveIsDeficit'], {
      error: `${fieldName('Fortegn for resultatet', 'resultConvention')} skal være "negativeIsDeficit" (Socialsekretariatet) eller "positiveIsDeficit" (Sundhedssekretariatet).`,
    }),
    columns: z
      .array(ColumnSchema, { error: `${fieldName('Kolonner', 'columns')} skal være en liste.` })
      .min(1, { error: `${fieldName('Kolonner', 'columns')} skal have mindst én kolonne.` }),
  })
  .superRefine((v, ctx) => {
    const dup = uniqueBy(v.columns, (c) => c.label);
    if (dup !== null) {
      ctx.addIssue({ code: 'custom', path: ['columns'], message: `${fieldName('Kolonner', 'columns')}: ${dup} står der mere end én gang.` });
    }
    v.columns.forEach((c, i) => {
      if (c.openingFrom !== undefined && !v.columns.slice(0, i).some((p) => p.label === c.openingFrom)) {
        ctx.addIssue({
          code: 'custom',
          path: ['columns', i, 'openingFrom'],
          message: `${fieldName('Fortsætter fra kolonne', 'columns[].openingFrom')}: "${c.openingFrom}" er ikke en af de foregående kolonner.`,
        });
      }
    });
  });
export type SecretariatBudgetInput = z.input<typeof SecretariatBudgetInputSchema>;

export interface SecretariatBudgetColumn {
  label: string;
  expenses: string;
  income: string;
  /** In the table's own convention. */
  result: string;
  /** Positive = deficit (merforbrug), negative = surplus. */
  deficit: string;
  /** In the column's own convention. */
  closingBalance: string;
  /** Positive = reserve available after the year. */
  reserveAfter: string;
}

export function reconcileSecretariatBudget(input: SecretariatBudgetInput): { columns: SecretariatBudgetColumn[]; warnings: string[] } {
  const v = SecretariatBudgetInputSchema.parse(input);
  const warnings: string[] = [];
  const closingReserveByLabel = new Map<string, { reserve: Decimal; printed: boolean }>();
  const columns = v.columns.map((c) => {
    const w = (label: string) => `${c.label}, ${label}`;
    let expenses = new D(0);
    for (const g of c.expenseGroups) {
      const sub = g.lines.reduce((a, l) => a.plus(l.amount), new D(0));
      warnings.push(...collect(comparePrinted(w(g.label), sub, g.printedSubtotal, 'kr.')));
      expenses = expenses.plus(sub);
    }
    warnings.push(...collect(comparePrinted(w('udgifter i alt'), expenses, c.printedExpensesTotal, 'kr.')));
    const income = c.income.reduce((a, l) => a.plus(l.amount), new D(0));
    const deficit = expenses.plus(income);
    const result = v.resultConvention === 'positiveIsDeficit' ? deficit : deficit.negated();
    const reserveSign = c.balanceConvention === 'positiveIsReserve' ? 1 : -1;
    const openingReserve = new D(c.openingBalance).times(reserveSign);
    const closingReserve = openingReserve.minus(deficit);
    const closing = closingReserve.times(reserveSign);
    warnings.push(
      ...collect(
        comparePrinted(w('regnskabsresultat'), result, c.printedResult, 'kr.'),
        comparePrinted(w('overførsel til efterfølgende år'), closing, c.printedClosingBalance, 'kr.'),
      ),
    );
    if (c.openingFrom !== undefined) {
      const prev = closingReserveByLabel.get(c.openingFrom)!;
      if (!prev.reserve.eq(openingReserve)) {
        warnings.push(
          `${w('overførsler tidligere år')}: ${formatDa(c.openingBalance)} kr. svarer ikke til ${c.openingFrom}s ` +
            `${prev.printed ? 'trykte' : 'beregnede'} overførsel til efterfølgende år (reserve ${formatDa(prev.reserve)} kr. mod ` +
            `${formatDa(openingReserve)} kr. her, forskel ${formatDa(openingReserve.minus(prev.reserve))} kr.).`,
        );
      }
    }
    // Continuity is a check between two printed figures where the document has them, so a 1 kr. slip in the
    // earlier column's result is not reported a second time here.
    closingReserveByLabel.set(c.label, {
      reserve: c.printedClosingBalance ? new D(c.printedClosingBalance.value).times(reserveSign) : closingReserve,
      printed: c.printedClosingBalance !== undefined,
    });
    return {
      label: c.label,
      expenses: kronerString(expenses),
      income: kronerString(income),
      result: kronerString(result),
      deficit: kronerString(deficit),
      closingBalance: kronerString(closing),
      reserveAfter: kronerString(closingReserve),
    };
  });
  return { columns, warnings };
}
