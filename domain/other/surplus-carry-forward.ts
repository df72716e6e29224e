import Decimal from 'decimal.js';
import { z } from 'zod';
import { D, kronerString, roundKroner } from '../money';
import { decimalString, fieldName, formatDa, isDecimalString, kronerAmount, percentString, yearField } from './schema';

/**
 * Annual handling of a tilbud's surplus or deficit (over-/underskud), Rammeaftale 2023-2024 Bilag 10
 * "Reguleringer i forhold til tidligere år" (002:2640-2675; rammeaftale.md §6):
 * - surplus up to 5 pct. may be set aside (hensættes) and must be used within 5 years after the year it concerns,
 *   after which the unused part goes into the rate (002:2651-2656);
 * - surplus beyond 5 pct. reduces the rate at the latest 2 years after (002:2648-2649);
 * - deficit up to 5 pct. never enters the rate and is covered locally (002:2661-2662);
 * - deficit beyond 5 pct. is added to the rate at the latest 2 years after (002:2666-2667).
 *
 * The base of the 5 pct. is not stated in Bilag 10 (ambiguity A-18); the caller passes it, normally the cost
 * budget, which is what Bilag 14 calls "% af Budget". Whether the result is the year's or the accumulated one is
 * the caller's choice too. The threshold is a parameter because KKR may recommend another model
 * (002:2674-2675). Warnings are Danish.
 */

export const RESULT_SIGNS = ['positiveIsSurplus', 'positiveIsDeficit'] as const;
export type ResultSign = (typeof RESULT_SIGNS)[number];

export const resultSignSchema = (key: string) =>
  z.enum(RESULT_SIGNS, {
    error: `${fieldName('Fortegnskonvention for resultatet', key)} skal være "positiveIsSurplus" (positivt = overskud) eller "positiveIsDeficit" (positivt = underskud, som når indtægter står med minus).`,
  });

export const thresholdPercentSchema = decimalString('Grænse i procent', 'thresholdPercent', '5', { min: 0, max: 100 });

export const YearEndRegulationInputSchema = z.object({
  result: kronerAmount('Resultat', 'result'),
  // Required, not defaulted: the seeds use both conventions (Bilag 5 vs Bilag 14), and a wrong guess flips a
  // rate reduction into a surcharge.
  resultSign: resultSignSchema('resultSign'),
  base: kronerAmount('Grundlag for 5 pct.-grænsen (omkostningsbudget)', 'base', { greaterThan: 0 }),
  resultYear: yearField('Året resultatet vedrører', 'resultYear'),
  thresholdPercent: thresholdPercentSchema.optional(),
});
export type YearEndRegulationInput = z.input<typeof YearEndRegulationInputSchema>;

export type ResultKind = 'overskud' | 'underskud' | 'balance';

export interface YearEndRegulationResult {
  kind: ResultKind;
  /** Size of the surplus or deficit, whole kroner, never negative. */
  amount: string;
  /** amount ÷ base in percent, two decimals. */
  percentOfBase: string;
  /** threshold × base, whole kroner. */
  cap: string;
  /** Part up to the cap: reserve (surplus) or covered locally (deficit). */
  withinCap: string;
  /** Part beyond the cap: rate reduction (surplus) or rate surcharge (deficit). */
  beyondCap: string;
  withinTreatment: 'hensaettelse' | 'daekkesLokalt' | null;
  beyondTreatment: 'takstreduktion' | 'taksttillaeg' | null;
  /** Last year in which a reserve may be used; after it the unused part goes into the rate. */
  reserveUseByYear?: number;
  /** Latest rate year that must carry the part beyond the cap ("senest 2 år efter"). */
  latestTakstYear?: number;
  warnings: string[];
}

/** Splits a magnitude at the threshold; both parts whole kroner, adding up to the rounded magnitude. */
export function splitAtThreshold(
  amount: Decimal.Value,
  base: Decimal.Value,
  thresholdPercent: Decimal.Value = 5,
): { cap: Decimal; within: Decimal; beyond: Decimal } {
  const a = roundKroner(new D(amount).abs());
  const cap = new D(base).abs().times(thresholdPercent).div(100);
  const within = Decimal.min(a, roundKroner(cap));
  return { cap: roundKroner(cap), within, beyond: a.minus(within) };
}

export function calculateYearEndRegulation(input: YearEndRegulationInput): YearEndRegulationResult {
  const v = YearEndRegulationInputSchema.parse(input);
  const threshold = v.thresholdPercent ?? '5';
  const surplusPositive = v.resultSign === 'positiveIsSurplus' ? new D(v.result) : new D(v.result).negated();
  const kind: ResultKind = roundKroner(surplusPositive).isZero() ? 'balance' : surplusPositive.isPositive() ? 'overskud' : 'underskud';
  const { cap, within, beyond } = splitAtThreshold(surplusPositive, v.base, threshold);
  const warnings: string[] = [];
  if (!new D(threshold).eq(5)) {
    warnings.push(
      `Grænsen er sat til ${formatDa(threshold)} pct. i stedet for Rammeaftalens 5 pct.; en anden model skal anbefales af KKR (002:2674-2675).`,
    );
  }
  const isSurplus = kind === 'overskud';
  const isDeficit = kind === 'underskud';
  return {
    kind,
    amount: kronerString(within.plus(beyond)),
    percentOfBase: percentString(surplusPositive.abs().div(v.base).times(100), 2),
    cap: kronerString(cap),
    withinCap: kronerString(within),
    beyondCap: kronerString(beyond),
    withinTreatment: within.isZero() ? null : isSurplus ? 'hensaettelse' : isDeficit ? 'daekkesLokalt' : null,
    beyondTreatment: beyond.isZero() ? null : isSurplus ? 'takstreduktion' : 'taksttillaeg',
    ...(isSurplus && !within.isZero() ? { reserveUseByYear: v.resultYear + 5 } : {}),
    ...(!beyond.isZero() ? { latestTakstYear: v.resultYear + 2 } : {}),
    warnings,
  };
}

export const ReserveStatusInputSchema = z.object({
  asOfYear: yearField('Opgørelsesår', 'asOfYear'),
  reserves: z
    .array(
      z
        .object({
          resultYear: yearField('Året overskuddet vedrører', 'reserves[].resultYear'),
          amount: kronerAmount('Hensat beløb', 'reserves[].amount', { min: 0 }),
          used: kronerAmount('Anvendt af det hensatte', 'reserves[].used', { min: 0 }).optional(),
        })
        .refine((r) => r.used === undefined || !isDecimalString(r.used) || !isDecimalString(r.amount) || new D(r.used).lte(r.amount), {
          error: `${fieldName('Anvendt af det hensatte', 'reserves[].used')} må ikke være større end det hensatte beløb.`,
          path: ['used'],
        }),
      { error: `${fieldName('Hensatte overskud', 'reserves')} skal være en liste.` },
    ),
});
export type ReserveStatusInput = z.input<typeof ReserveStatusInputSchema>;

export interface ReserveStatusResult {
  reserves: { resultYear: number; remaining: string; useByYear: number; expired: boolean }[];
  /** Unused reserves whose 5 years have passed; they must go into the rate (002:2654-2655). */
  dueForTakst: string;
  /** Unused reserves still available. */
  available: string;
  warnings: string[];
}

/** Which set-aside surpluses are still usable in `asOfYear`, and which must now go into the rate. */
export function reserveStatus(input: ReserveStatusInput): ReserveStatusResult {
  const v = ReserveStatusInputSchema.parse(input);
  let due = new D(0);
  let available = new D(0);
  const reserves = v.reserves.map((r) => {
    const remaining = new D(r.amount).minus(r.used ?? 0);
    const useByYear = r.resultYear + 5;
    const expired = v.asOfYear > useByYear;
    if (expired) due = due.plus(remaining);
    else available = available.plus(remaining);
    return { resultYear: r.resultYear, remaining: kronerString(remaining), useByYear, expired };
  });
  const warnings = v.reserves
    .filter((r) => r.resultYear >= v.asOfYear)
    .map(
      (r) =>
        `Hensættelsen for ${r.resultYear} vedrører ikke et afsluttet år før opgørelsesåret ${v.asOfYear}; ` +
        `et overskud kan først hensættes, når regnskabet for året er opgjort.`,
    );
  return { reserves, dueForTakst: kronerString(due), available: kronerString(available), warnings };
}
