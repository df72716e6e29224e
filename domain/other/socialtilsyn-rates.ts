import Decimal from 'decimal.js';
import { z } from 'zod';
import { D, kronerString, roundKroner } from '../money';
import { collect, comparePrinted, printedFigureSchema } from './printed';
import { decimalString, fieldName, formatDa, kronerAmount, percentString, textField } from './schema';

/**
 * Socialtilsyn Syd's rates for the offers area (other-procedures.md §3.4-3.5; seed 001:1585-1632): one base rate
 * per year and kind (basistakst, nygodkendelse, væsentlig ændring), multiplied by the size-category weights
 * 1 : 1,2 : 2 : 3 agreed in 2013 and rounded half up to whole kroner. Also the hourly supplementary rate
 * (tillægstakst, § 25 stk. 4) and a check that reconstructs the base from a printed grid, because one printed
 * grid (væsentlige ændringer 2023) has no base that reproduces it.
 *
 * Warnings are Danish.
 */

export const SIZE_CATEGORIES = [
  { label: '1-7 pladser', minPlaces: 1 },
  { label: '8-24 pladser', minPlaces: 8 },
  { label: '25-49 pladser', minPlaces: 25 },
  { label: '50+ pladser', minPlaces: 50 },
] as const;

/** "fordelingen sker med en vægning på 1, 1,2, 2 og 3 mellem de 4 kategorier" (001:1585). */
export const DEFAULT_WEIGHTS: readonly string[] = ['1', '1.2', '2', '3'];

export type SizeCategoryIndex = 0 | 1 | 2 | 3;

const placesSchema = z
  .number({ error: `${fieldName('Antal pladser', 'places')} skal være et tal, fx 12.` })
  .int({ error: `${fieldName('Antal pladser', 'places')} skal være et helt tal.` })
  .min(1, { error: `${fieldName('Antal pladser', 'places')} skal være mindst 1.` });

export function sizeCategoryIndex(places: number): SizeCategoryIndex {
  const p = placesSchema.parse(places);
  if (p >= 50) return 3;
  if (p >= 25) return 2;
  if (p >= 8) return 1;
  return 0;
}

const weightsSchema = z
  .array(decimalString('Vægt', 'weights[]', '1.2', { greaterThan: 0 }), {
    error: `${fieldName('Vægte for de 4 størrelseskategorier', 'weights')} skal være en liste med 4 tal.`,
  })
  .length(4, { error: `${fieldName('Vægte for de 4 størrelseskategorier', 'weights')} skal have præcis 4 tal.` });

const baseRateSchema = decimalString('Grundtakst (vægt 1)', 'baseRate', '38158.33', { greaterThan: 0 });

export const RateGridInputSchema = z.object({
  baseRate: baseRateSchema,
  weights: weightsSchema.optional(),
});
export type RateGridInput = z.input<typeof RateGridInputSchema>;

export interface RateGridResult {
  rates: { category: string; weight: string; rate: string }[];
  warnings: string[];
}

export function calculateRateGrid(input: RateGridInput): RateGridResult {
  const v = RateGridInputSchema.parse(input);
  const weights = v.weights ?? DEFAULT_WEIGHTS;
  return {
    rates: SIZE_CATEGORIES.map((c, i) => ({
      category: c.label,
      weight: new D(weights[i]!).toFixed(),
      rate: kronerString(new D(v.baseRate).times(weights[i]!)),
    })),
    warnings: [],
  };
}

export const OfferRateInputSchema = z.object({
  baseRate: baseRateSchema,
  places: placesSchema,
  weights: weightsSchema.optional(),
});
export type OfferRateInput = z.input<typeof OfferRateInputSchema>;

/** The rate one offer pays, from its number of places. */
export function rateForOffer(input: OfferRateInput): { category: string; rate: string; warnings: string[] } {
  const v = OfferRateInputSchema.parse(input);
  const i = sizeCategoryIndex(v.places);
  const weights = v.weights ?? DEFAULT_WEIGHTS;
  return { category: SIZE_CATEGORIES[i].label, rate: kronerString(new D(v.baseRate).times(weights[i]!)), warnings: [] };
}

export const RateGridReconcileInputSchema = z.object({
  rates: z
    .array(kronerAmount('Trykt takst', 'rates[]', { min: 1, integer: true }), {
      error: `${fieldName('Trykte takster for de 4 størrelseskategorier', 'rates')} skal være en liste med 4 beløb.`,
    })
    .length(4, { error: `${fieldName('Trykte takster for de 4 størrelseskategorier', 'rates')} skal have præcis 4 beløb.` }),
  source: textField('Kilde for de trykte takster', 'source'),
  weights: weightsSchema.optional(),
});
export type RateGridReconcileInput = z.input<typeof RateGridReconcileInputSchema>;

export interface RateGridReconcileResult {
  /** Half-open interval [baseFrom, baseTo) of base rates that reproduce every printed rate; null if none does. */
  baseFrom: string | null;
  baseTo: string | null;
  /** The base used for `recomputed`: the middle of the interval, or the top category's rate / weight. */
  referenceBase: string;
  recomputed: string[];
  /** recomputed − printed per category, in kroner. */
  deviations: string[];
  warnings: string[];
}

/**
 * Finds the base rates that reproduce a printed grid under half-up rounding: category i's rate r_i requires
 * base × w_i ∈ [r_i − ½ ; r_i + ½). The grid is consistent iff the intersection over the four categories is
 * non-empty.
 */
export function reconcileRateGrid(input: RateGridReconcileInput): RateGridReconcileResult {
  const v = RateGridReconcileInputSchema.parse(input);
  const weights = (v.weights ?? DEFAULT_WEIGHTS).map((w) => new D(w));
  const half = new D('0.5');
  let lo = new D(-Infinity);
  let hi = new D(Infinity);
  v.rates.forEach((r, i) => {
    lo = Decimal.max(lo, new D(r).minus(half).div(weights[i]!));
    hi = Decimal.min(hi, new D(r).plus(half).div(weights[i]!));
  });
  const consistent = lo.lt(hi);
  // The heaviest category pins the base most tightly, so it is the fairest single reference when no base fits.
  const reference = consistent ? lo.plus(hi).div(2) : new D(v.rates[3]!).div(weights[3]!);
  const recomputed = weights.map((w) => roundKroner(reference.times(w)));
  const deviations = recomputed.map((r, i) => r.minus(v.rates[i]!));
  const warnings: string[] = [];
  if (!consistent) {
    const off = SIZE_CATEGORIES.map((c, i) => ({ c, i }))
      .filter(({ i }) => !deviations[i]!.isZero())
      .map(({ c, i }) => `${c.label} beregnet ${formatDa(recomputed[i]!)} kr., trykt ${formatDa(v.rates[i]!)} kr.`)
      .join('; ');
    warnings.push(
      `Ingen fælles grundtakst med vægtene ${weights.map((w) => formatDa(w)).join(' : ')} giver alle fire trykte takster ` +
        `(${v.source}). Med grundtakst ${formatDa(reference, 2)} kr. (fra kategorien 50+ pladser) afviger: ${off}`,
    );
  }
  return {
    baseFrom: consistent ? lo.toDecimalPlaces(4, Decimal.ROUND_UP).toFixed() : null,
    baseTo: consistent ? hi.toDecimalPlaces(4, Decimal.ROUND_DOWN).toFixed() : null,
    referenceBase: reference.toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed(),
    recomputed: recomputed.map((r) => kronerString(r)),
    deviations: deviations.map((d) => kronerString(d)),
    warnings,
  };
}

export const RateChangeInputSchema = z.object({
  from: kronerAmount('Takst året før', 'from', { greaterThan: 0 }),
  to: kronerAmount('Takst i året', 'to', { min: 0 }),
  /** Signed: a printed "falder 2,4%" is "-2.4". */
  printedPercent: printedFigureSchema('ændring i procent', 'printedPercent').optional(),
});
export type RateChangeInput = z.input<typeof RateChangeInputSchema>;

/** Relative change in percent with two decimals, checked against the printed change at its precision. */
export function rateChangePercent(input: RateChangeInput): { percent: string; warnings: string[] } {
  const v = RateChangeInputSchema.parse(input);
  const pct = new D(v.to).minus(v.from).div(v.from).times(100);
  return {
    percent: percentString(pct, 2),
    warnings: collect(comparePrinted(`Takstændring ${formatDa(v.from)} → ${formatDa(v.to)} kr.`, pct, v.printedPercent, 'pct.')),
  };
}

export const SupplementaryRateInputSchema = z.object({
  hours: decimalString('Antal timer', 'hours', '10', { min: 0 }),
  // No default: the seed only gives 577 kr. for 2024 (001:1632), so the year's price must be chosen explicitly.
  hourlyRate: kronerAmount('Timepris for tillægstakst', 'hourlyRate', { min: 0 }),
});
export type SupplementaryRateInput = z.input<typeof SupplementaryRateInputSchema>;

/** Tillægstakst efter § 25, stk. 4: hours × hourly rate, whole kroner. */
export function supplementaryRate(input: SupplementaryRateInput): { amount: string; warnings: string[] } {
  const v = SupplementaryRateInputSchema.parse(input);
  return { amount: kronerString(new D(v.hours).times(v.hourlyRate)), warnings: [] };
}
