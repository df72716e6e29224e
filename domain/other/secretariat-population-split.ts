import Decimal from 'decimal.js';
import { z } from 'zod';
import { allocateLargestRemainder, D, kronerString, roundKroner } from '../money';
import { collect, comparePrinted, printedFigureSchema } from './printed';
import { decimalString, fieldName, formatDa, isDecimalString, kronerAmount, textField, uniqueBy, yearField } from './schema';

/**
 * The municipalities' payment to a joint secretariat, split by population (other-procedures.md §4.3 and §5.1;
 * rammeaftale.md §18.2):
 * - Fælleskommunalt Socialsekretariat: "uændret betaling 1,64 kr. pr. borger afregnet på baggrund af
 *   befolkningstallet pr. 1. januar 2024" (003:1240-1242), i.e. a rate per inhabitant (mode "perCapita");
 * - Fælleskommunalt Sundhedssekretariat: a budgeted total "baseret på befolkningsantallet i første kvartal"
 *   (003:1415-1417) / "opgjort 1. januar i budgetåret" (001:1973), i.e. a fixed total split pro rata (mode
 *   "fixedTotal"), price- and wage-indexed from 2024 on (003:1417-1427).
 *
 * The two cannot both describe the Socialsekretariat: 1,64 kr. × 1.237.413 inhabitants is 2.029.357,32 kr.,
 * while its budget says 2.498.901 kr. (001:1763). Both modes are offered, and the per-capita mode warns when a
 * budgeted total is given that the rate does not reproduce.
 *
 * Per-capita amounts are rounded half up per municipality; a fixed total is split by largest remainder so the
 * invoices add up to the total. Warnings are Danish.
 */

const populationsSchema = z
  .array(
    z.object({
      municipality: textField('Kommune', 'populations[].municipality'),
      population: decimalString('Indbyggertal', 'populations[].population', '52253', { min: 0, integer: true }),
    }),
    { error: `${fieldName('Kommuner og indbyggertal', 'populations')} skal være en liste.` },
  )
  .min(1, { error: `${fieldName('Kommuner og indbyggertal', 'populations')} skal have mindst én kommune.` });

const common = {
  populations: populationsSchema,
  /** ISO date of the population count used. */
  populationDate: z
    .string({ error: `${fieldName('Opgørelsesdato for indbyggertal', 'populationDate')} skal være en dato, fx "2024-01-01".` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, {
      error: `${fieldName('Opgørelsesdato for indbyggertal', 'populationDate')} skal skrives som ÅÅÅÅ-MM-DD, fx "2024-01-01".`,
    })
    .optional(),
  budgetYear: yearField('Budgetår', 'budgetYear').optional(),
  printedPopulationTotal: printedFigureSchema('indbyggertal i alt', 'printedPopulationTotal').optional(),
};

const PerCapitaSchema = z.object({
  mode: z.literal('perCapita'),
  ratePerCapita: decimalString('Betaling pr. borger', 'ratePerCapita', '1.64', { min: 0 }),
  /** The budget's Kommunebetaling, to check that the rate reproduces it. */
  budgetedTotal: printedFigureSchema('budgetteret kommunebetaling', 'budgetedTotal').optional(),
  ...common,
});

const FixedTotalSchema = z.object({
  mode: z.literal('fixedTotal'),
  total: kronerAmount('Samlet kommunebetaling', 'total', { min: 0, integer: true }),
  /** Pris- og lønfremskrivning of last year's total, in percent; the index is not in the seeds. */
  indexationPercent: decimalString('Pris- og lønfremskrivning i procent', 'indexationPercent', '3.1', { min: -100 }).optional(),
  ...common,
});

export const SecretariatSplitInputSchema = z
  .discriminatedUnion('mode', [PerCapitaSchema, FixedTotalSchema], {
    error: `${fieldName('Fordelingsmetode', 'mode')} skal være "perCapita" (kr. pr. borger) eller "fixedTotal" (fast beløb fordelt efter indbyggertal).`,
  })
  .superRefine((v, ctx) => {
    const dup = uniqueBy(v.populations, (p) => p.municipality);
    if (dup !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['populations'],
        message: `${fieldName('Kommuner og indbyggertal', 'populations')}: ${dup} står der mere end én gang.`,
      });
    }
    if (
      v.mode === 'fixedTotal' &&
      isDecimalString(v.total) &&
      v.populations.every((p) => isDecimalString(p.population) && new D(p.population).isZero()) &&
      !new D(v.total).isZero()
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['populations'],
        message: `${fieldName('Indbyggertal', 'populations[].population')} er 0 for alle kommuner, så beløbet kan ikke fordeles.`,
      });
    }
  });
export type SecretariatSplitInput = z.input<typeof SecretariatSplitInputSchema>;

export interface SecretariatSplitResult {
  allocations: { municipality: string; population: string; amount: string }[];
  /** Sum of the allocations: what is actually invoiced. */
  total: string;
  populationTotal: string;
  /** Per-capita mode: the given rate. Fixed-total mode: total ÷ population, three decimals. */
  ratePerCapita: string;
  /** Per-capita mode: rate × population before rounding per municipality, two decimals. */
  exactTotal?: string;
  /** Fixed-total mode with indexation: the indexed total that was split. */
  indexedTotal?: string;
  warnings: string[];
}

export function splitSecretariatCost(input: SecretariatSplitInput): SecretariatSplitResult {
  const v = SecretariatSplitInputSchema.parse(input);
  const popTotal = v.populations.reduce((a, p) => a.plus(p.population), new D(0));
  const warnings: string[] = [];
  if (v.populationDate !== undefined && v.budgetYear !== undefined && v.populationDate !== `${v.budgetYear}-01-01`) {
    warnings.push(
      `Indbyggertallet er opgjort ${v.populationDate}, men betalingen skal afregnes efter befolkningstallet pr. ` +
        `1. januar i budgetåret, dvs. ${v.budgetYear}-01-01 (003:1240-1242; 001:1973).`,
    );
  }
  warnings.push(...collect(comparePrinted('Indbyggertal i alt', popTotal, v.printedPopulationTotal, '')));

  if (v.mode === 'perCapita') {
    const amounts = v.populations.map((p) => roundKroner(new D(p.population).times(v.ratePerCapita)));
    const exact = popTotal.times(v.ratePerCapita);
    const mismatch = comparePrinted(`Kommunebetaling ved ${formatDa(v.ratePerCapita)} kr. pr. borger`, exact, v.budgetedTotal, 'kr.');
    if (mismatch && v.budgetedTotal && !popTotal.isZero()) {
      const implied = new D(v.budgetedTotal.value).div(popTotal);
      warnings.push(`${mismatch} Den budgetterede kommunebetaling svarer til ${formatDa(implied, 3)} kr. pr. borger.`);
    } else if (mismatch) {
      warnings.push(mismatch);
    }
    return {
      allocations: v.populations.map((p, i) => ({ municipality: p.municipality, population: p.population, amount: kronerString(amounts[i]!) })),
      total: kronerString(amounts.reduce((a, x) => a.plus(x), new D(0))),
      populationTotal: kronerString(popTotal),
      ratePerCapita: new D(v.ratePerCapita).toFixed(),
      exactTotal: exact.toFixed(2),
      warnings,
    };
  }

  const indexed = v.indexationPercent !== undefined ? roundKroner(new D(v.total).times(new D(1).plus(new D(v.indexationPercent).div(100)))) : new D(v.total);
  const amounts = allocateLargestRemainder(indexed, v.populations.map((p) => p.population));
  return {
    allocations: v.populations.map((p, i) => ({ municipality: p.municipality, population: p.population, amount: kronerString(amounts[i]!) })),
    total: kronerString(indexed),
    populationTotal: kronerString(popTotal),
    ratePerCapita: popTotal.isZero() ? '0.000' : indexed.div(popTotal).toDecimalPlaces(3, Decimal.ROUND_HALF_UP).toFixed(3),
    ...(v.indexationPercent !== undefined ? { indexedTotal: kronerString(indexed) } : {}),
    warnings,
  };
}
