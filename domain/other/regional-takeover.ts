import Decimal from 'decimal.js';
import { z } from 'zod';
import { allocateLargestRemainder, D, roundKroner } from '../money';
import { collect, comparePrinted, printedFigureSchema, type PrintedFigure } from './printed';
import { fieldName, formatDa, kronerAmount, percentString, textField, uniqueBy, yearField } from './schema';
import { splitAtThreshold, thresholdPercentSchema } from './surplus-carry-forward';

/**
 * Municipal takeover of a regional tilbud (overtagelse), Rammeaftale 2023-2024 Bilag 14 (002:3190-3287;
 * rammeaftale.md §14): "Ved overtagelse af tilbud skal tilbuddets andel af over- eller underskud følge med
 * tilbuddet til den nye driftsherre", by the rule "Budgetmæssig andel af akkumuleret resultat i alt"
 * (002:3201-3210). The share is taken of the whole economic unit's accumulated result, not of the transferred
 * unit's own result.
 *
 * Sign convention as in Bilag 14: income negative, so a positive result is a deficit (underskud).
 *
 * Units: Bilag 14 is headed "Mio. kr." (002:3216) although 20.000 mio. kr. for one unit is implausible
 * (ambiguity A-26). Amounts are therefore taken and returned in a declared unit, computed to the krone, and a
 * warning is given when the "Mio. kr." reading is implausible.
 *
 * The remainder that stays with the region is split at the Bilag 10 threshold into "videreføres i driften år +1"
 * and "efterreguleres i taksterne år +2". The seed prints 3.375 / 0 although the remainder is 5,6 % of the
 * remaining units' budget (A-27); that split is reproduced only when the 5 pct. is measured against the whole
 * unit's budget before the takeover, so the base is a parameter.
 *
 * Warnings are Danish.
 */

export const AMOUNT_UNITS = ['kr.', '1.000 kr.', 'mio. kr.'] as const;
export type AmountUnit = (typeof AMOUNT_UNITS)[number];
const UNIT_FACTOR: Record<AmountUnit, number> = { 'kr.': 1, '1.000 kr.': 1_000, 'mio. kr.': 1_000_000 };
const UNIT_DECIMALS: Record<AmountUnit, number> = { 'kr.': 0, '1.000 kr.': 3, 'mio. kr.': 6 };

/** No single social tilbud in Syddanmark comes near a cost budget of 1 mia. kr.; above it "Mio. kr." is a misprint. */
const IMPLAUSIBLE_UNIT_BUDGET_KRONER = new D('1000000000');

export const THRESHOLD_BASES = ['remainingBudget', 'totalBudgetBeforeTakeover'] as const;

const printed = (label: string, key: string) => printedFigureSchema(label, `printed.${key}`).optional();

export const TakeoverInputSchema = z
  .object({
    unit: z
      .enum(AMOUNT_UNITS, { error: `${fieldName('Beløbsenhed', 'unit')} skal være "kr.", "1.000 kr." eller "mio. kr.".` })
      .optional(),
    units: z
      .array(
        z.object({
          name: textField('Enhedens navn', 'units[].name'),
          costBudget: kronerAmount('Omkostningsbudget', 'units[].costBudget', { greaterThan: 0 }),
          income: kronerAmount('Indtægter', 'units[].income', {
            max: 0,
            boundReason: 'Indtægter angives med negativt fortegn som i Rammeaftalens bilag 14.',
          }),
          costs: kronerAmount('Omkostninger', 'units[].costs', { min: 0 }),
          carriedFromPriorYears: kronerAmount('Overførsel fra tidligere år', 'units[].carriedFromPriorYears'),
        }),
        { error: `${fieldName('Enheder i den økonomiske enhed', 'units')} skal være en liste.` },
      )
      .min(1, { error: `${fieldName('Enheder i den økonomiske enhed', 'units')} skal have mindst én enhed.` }),
    transferred: z
      .array(textField('Overdraget enhed', 'transferred[]'), {
        error: `${fieldName('Overdragne enheder', 'transferred')} skal være en liste med enhedernes navne.`,
      })
      .min(1, { error: `${fieldName('Overdragne enheder', 'transferred')} skal nævne mindst én enhed.` }),
    thresholdPercent: thresholdPercentSchema.optional(),
    thresholdBase: z
      .enum(THRESHOLD_BASES, {
        error: `${fieldName('Grundlag for 5 pct.-grænsen', 'thresholdBase')} skal være "remainingBudget" eller "totalBudgetBeforeTakeover".`,
      })
      .optional(),
    printed: z
      .object({
        annualResult: printed('årsresultat i alt', 'annualResult'),
        accumulatedResult: printed('akkumuleret resultat i alt', 'accumulatedResult'),
        percentOfBudget: printed('% af budget i alt', 'percentOfBudget'),
        carriedYearPlus1: printed('videreføres i driften år +1', 'carriedYearPlus1'),
        regulatedYearPlus2: printed('efterreguleres i taksterne år +2', 'regulatedYearPlus2'),
        transferred: printed('indgår i overdragelsen', 'transferred'),
      })
      .optional(),
  })
  .superRefine((v, ctx) => {
    const dup = uniqueBy(v.units, (u) => u.name);
    if (dup !== null) {
      ctx.addIssue({ code: 'custom', path: ['units'], message: `${fieldName('Enheder', 'units')}: ${dup} står der mere end én gang.` });
    }
    const names = new Set(v.units.map((u) => u.name));
    for (const t of v.transferred) {
      if (!names.has(t)) {
        ctx.addIssue({
          code: 'custom',
          path: ['transferred'],
          message: `${fieldName('Overdragne enheder', 'transferred')}: "${t}" er ikke en af enhederne.`,
        });
      }
    }
    if (uniqueBy(v.transferred, (t) => t) !== null) {
      ctx.addIssue({ code: 'custom', path: ['transferred'], message: `${fieldName('Overdragne enheder', 'transferred')} nævner en enhed mere end én gang.` });
    }
  });
export type TakeoverInput = z.input<typeof TakeoverInputSchema>;

interface Lines {
  costBudget: string;
  income: string;
  costs: string;
  annualResult: string;
  carriedFromPriorYears: string;
  accumulatedResult: string;
  /** One decimal, as printed in Bilag 14 ("11,3%"). */
  percentOfBudget: string;
}

export interface TakeoverResult {
  unit: AmountUnit;
  units: (Lines & { name: string })[];
  total: Lines;
  /** Positive = deficit, as in Bilag 14. */
  kind: 'underskud' | 'overskud' | 'balance';
  /** Budget share of the total accumulated result that moves to the new operator. */
  transferred: string;
  /** What stays with the region's remaining units. */
  remaining: string;
  /** The remainder's part within the threshold, carried in operations in year +1. */
  carriedYearPlus1: string;
  /** The remainder's part beyond the threshold, to be regulated in the rates by year +2. */
  regulatedYearPlus2: string;
  warnings: string[];
}

export function calculateTakeover(input: TakeoverInput): TakeoverResult {
  const v = TakeoverInputSchema.parse(input);
  const unit: AmountUnit = v.unit ?? 'kr.';
  const factor = UNIT_FACTOR[unit];
  const toKr = (x: Decimal.Value) => new D(x).times(factor);
  const out = (kr: Decimal) => {
    const r = kr.div(factor).toDecimalPlaces(UNIT_DECIMALS[unit], Decimal.ROUND_HALF_UP);
    return r.isZero() ? '0' : r.toFixed();
  };
  const lines = (budget: Decimal, income: Decimal, costs: Decimal, carried: Decimal): Lines => {
    const annual = income.plus(costs);
    const acc = annual.plus(carried);
    return {
      costBudget: out(budget),
      income: out(income),
      costs: out(costs),
      annualResult: out(annual),
      carriedFromPriorYears: out(carried),
      accumulatedResult: out(acc),
      percentOfBudget: percentString(acc.div(budget).times(100), 1),
    };
  };

  const kr = v.units.map((u) => ({
    name: u.name,
    budget: toKr(u.costBudget),
    income: toKr(u.income),
    costs: toKr(u.costs),
    carried: toKr(u.carriedFromPriorYears),
  }));
  const sum = (f: (x: (typeof kr)[number]) => Decimal) => kr.reduce((a, x) => a.plus(f(x)), new D(0));
  const totBudget = sum((x) => x.budget);
  const totIncome = sum((x) => x.income);
  const totCosts = sum((x) => x.costs);
  const totCarried = sum((x) => x.carried);
  const accumulated = totIncome.plus(totCosts).plus(totCarried);

  // Largest remainder over every unit's budget, so that transferred + remaining is the accumulated result exactly.
  const shares = allocateLargestRemainder(roundKroner(accumulated), kr.map((x) => x.budget));
  const transferredSet = new Set(v.transferred);
  const transferred = kr.reduce((a, x, i) => (transferredSet.has(x.name) ? a.plus(shares[i]!) : a), new D(0));
  const remaining = roundKroner(accumulated).minus(transferred);
  const remainingBudget = kr.filter((x) => !transferredSet.has(x.name)).reduce((a, x) => a.plus(x.budget), new D(0));

  const base = (v.thresholdBase ?? 'remainingBudget') === 'remainingBudget' ? remainingBudget : totBudget;
  const split = splitAtThreshold(remaining, base, v.thresholdPercent ?? '5');
  const sign = remaining.isNegative() ? -1 : 1;
  const carriedYearPlus1 = split.within.times(sign);
  const regulatedYearPlus2 = split.beyond.times(sign);

  const warnings: string[] = [];
  if (unit === 'mio. kr.' && kr.some((x) => x.budget.gte(IMPLAUSIBLE_UNIT_BUDGET_KRONER))) {
    const biggest = kr.reduce((a, x) => (x.budget.gt(a) ? x.budget : a), new D(0));
    warnings.push(
      `Beløbene er angivet i mio. kr., men et omkostningsbudget på ${formatDa(biggest.div(factor))} mio. kr. for én enhed er ` +
        `ikke realistisk; tallene er formentlig i 1.000 kr. (jf. overskriften "Mio. kr." i Rammeaftalens bilag 14, 002:3216). ` +
        `Fordelingen afhænger ikke af enheden.`,
    );
  }
  const p = v.printed ?? {};
  const cmp = (label: string, computedKr: Decimal, pf: PrintedFigure | undefined) =>
    comparePrinted(label, computedKr.div(factor), pf, '');
  warnings.push(
    ...collect(
      cmp('Årsresultat i alt', totIncome.plus(totCosts), p.annualResult),
      cmp('Akkumuleret resultat i alt', accumulated, p.accumulatedResult),
      comparePrinted('% af budget i alt', accumulated.div(totBudget).times(100), p.percentOfBudget, 'pct.'),
      cmp('Indgår i overdragelsen', transferred, p.transferred),
      cmp('Videreføres i driften år +1', carriedYearPlus1, p.carriedYearPlus1),
      cmp('Efterreguleres i taksterne år +2', regulatedYearPlus2, p.regulatedYearPlus2),
    ),
  );
  if (!split.beyond.isZero() && p.regulatedYearPlus2 && new D(p.regulatedYearPlus2.value).isZero()) {
    warnings.push(
      `Resten efter overdragelsen (${formatDa(remaining.abs().div(factor))}) er ${formatDa(remaining.abs().div(base).times(100), 1)} % ` +
        `af grundlaget, dvs. over ${formatDa(v.thresholdPercent ?? '5')} pct., men eksemplet efterregulerer 0 i taksterne ` +
        `(${p.regulatedYearPlus2.source}); efter bilag 10 skal den del, der overstiger grænsen, indregnes senest år +2 (002:2648-2667).`,
    );
  }

  const rounded = roundKroner(accumulated);
  return {
    unit,
    units: kr.map((x) => ({ name: x.name, ...lines(x.budget, x.income, x.costs, x.carried) })),
    total: lines(totBudget, totIncome, totCosts, totCarried),
    kind: rounded.isZero() ? 'balance' : rounded.isPositive() ? 'underskud' : 'overskud',
    transferred: out(transferred),
    remaining: out(remaining),
    carriedYearPlus1: out(carriedYearPlus1),
    regulatedYearPlus2: out(regulatedYearPlus2),
    warnings,
  };
}

export const TakeoverDeadlinesInputSchema = z.object({
  electionPeriodStartYear: yearField('Valgperiodens første år', 'electionPeriodStartYear'),
});
export type TakeoverDeadlinesInput = z.input<typeof TakeoverDeadlinesInputSchema>;

/**
 * "meddele regionsrådet dette senest den 1. januar i valgperiodens tredje år. Overtagelse skal ske senest den
 * 1. januar i valgperiodens fjerde år" (002:3192-3194). ISO dates.
 */
export function takeoverDeadlines(input: TakeoverDeadlinesInput): { notifyRegionBy: string; takeoverBy: string; warnings: string[] } {
  const v = TakeoverDeadlinesInputSchema.parse(input);
  const warnings: string[] = [];
  // Municipal periods run 2018-21, 2022-25, 2026-29: a start year that is not ≡ 2 (mod 4) is probably a typo.
  if (((v.electionPeriodStartYear % 4) + 4) % 4 !== 2) {
    warnings.push(
      `${v.electionPeriodStartYear} er ikke første år i en kommunal valgperiode (fx 2022 eller 2026); kontrollér valgperioden.`,
    );
  }
  return {
    notifyRegionBy: `${v.electionPeriodStartYear + 2}-01-01`,
    takeoverBy: `${v.electionPeriodStartYear + 3}-01-01`,
    warnings,
  };
}
