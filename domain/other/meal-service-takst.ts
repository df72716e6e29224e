import Decimal from 'decimal.js';
import { z } from 'zod';
import { D, kronerString } from '../money';
import { collect, comparePrinted, printedFigureSchema } from './printed';
import { decimalString, formatDa, kronerAmount } from './schema';

/**
 * Monthly takst for madservice under SEL § 83, stk. 1, nr. 3, Rammeaftale 2023-2024 Bilag 11 (002:2890-2916;
 * rammeaftale.md §9.3 and §13):
 *
 *   takst = omkostning ÷ belægning × (1 + overhead + udvikling)
 *
 * The surcharges are added, not compounded: 5.000 ÷ 0,98 × 1,049 = 5.352,04 → 5.352 kr. as printed, whereas
 * × 1,044 × 1,005 would give 5.353. With method (c) the cost put into the meal takst is capped at the citizen's
 * statutory maximum own payment (3.880 kr./month in 2022 → 4.153 kr.), and the cost above it goes into the
 * ordinary residential takst (002:2906-2910).
 *
 * Limits from Bilag 10: overhead max 4,4 % (002:2537), development 0,5 % (002:2547), occupancy "bør maksimalt
 * være 100 %" (002:2727), so above 100 is a warning, not an error. Warnings are Danish.
 */

export const MealServiceInputSchema = z.object({
  monthlyCost: kronerAmount('Budgetterede omkostninger til madservice pr. borger pr. måned', 'monthlyCost', { min: 0 }),
  occupancyPercent: decimalString('Belægningsprocent', 'occupancyPercent', '98', {
    greaterThan: 0,
    max: 200,
  }),
  overheadPercent: decimalString('Overhead i procent', 'overheadPercent', '4.4', {
    min: 0,
    max: '4.4',
    boundReason: 'Overheadprocenten har en maksimumgrænse på 4,4 % (Rammeaftalens bilag 10).',
  }),
  developmentPercent: decimalString('Udviklingsmidler i procent', 'developmentPercent', '0.5', {
    min: 0,
    max: '0.5',
    boundReason: 'Der kan afsættes 0,5 % til udvikling (Rammeaftalens bilag 10).',
  }),
  /** Method (c): the statutory maximum own payment per month for the year, e.g. 3.880 kr. in 2022 (002:2914). */
  maxOwnPayment: kronerAmount('Borgerens maksimale egenbetaling pr. måned', 'maxOwnPayment', { min: 0 }).optional(),
  printedTakst: printedFigureSchema('takst for madservice', 'printedTakst').optional(),
});
export type MealServiceInput = z.input<typeof MealServiceInputSchema>;

export interface MealServiceResult {
  /** Whole kroner per citizen per month. */
  takst: string;
  /** Two decimals, to show what was rounded ("5352.04"). */
  takstUnrounded: string;
  /** Cost that the meal takst covers: the monthly cost, or the cap under method (c). */
  costInMealTakst: string;
  /** Cost above the cap that must go into the ordinary residential takst (method (c)); "0" otherwise. */
  costToResidentialTakst: string;
  capped: boolean;
  warnings: string[];
}

export function calculateMealServiceTakst(input: MealServiceInput): MealServiceResult {
  const v = MealServiceInputSchema.parse(input);
  const cost = new D(v.monthlyCost);
  const capped = v.maxOwnPayment !== undefined && cost.gt(v.maxOwnPayment);
  const inTakst = capped ? new D(v.maxOwnPayment!) : cost;
  const surcharge = new D(1).plus(new D(v.overheadPercent).div(100)).plus(new D(v.developmentPercent).div(100));
  const exact = inTakst.div(new D(v.occupancyPercent).div(100)).times(surcharge);
  const warnings: string[] = [];
  if (new D(v.occupancyPercent).gt(100)) {
    warnings.push(
      `Belægningsprocenten ${formatDa(v.occupancyPercent)} % er over 100 %; den bør maksimalt være 100 % (002:2727).`,
    );
  }
  warnings.push(...collect(comparePrinted('Takst for madservice', exact, v.printedTakst, 'kr.')));
  return {
    takst: kronerString(exact),
    takstUnrounded: exact.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2),
    costInMealTakst: kronerString(inTakst),
    costToResidentialTakst: kronerString(cost.minus(inTakst)),
    capped,
    warnings,
  };
}
