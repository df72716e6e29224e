import { z } from 'zod';
import { D } from '../money';
import { decimalString, fieldName, formatDa, textField, uniqueBy, yearField } from './schema';

/**
 * Parameter 2 of the Rammeaftale's capacity regulation, "Indhentelse af årlige belægningsprocenter"
 * (002:1063-1101; rammeaftale.md §4): a tilbud reports its average occupancy for the first half-year when "den
 * faktiske belægningsprocent afviger 5 %-point eller mere fra den budgetterede belægningsprocent", by 20 August.
 *
 * Percentages are decimal strings and the comparison is exact: with binary floats 64.02 − 59.02 is
 * 4.999999999999993 and a tilbud exactly on the threshold would wrongly escape the report.
 * Warnings are Danish.
 */

/** "afviger 5 %-point eller mere" (002:1069). */
export const DEFAULT_THRESHOLD_PP = '5';

/** The agreement names the reporting years explicitly: "første halvår af 2023 og 2024" (002:1099). */
const AGREEMENT_YEARS: readonly number[] = [2023, 2024];

const pct = (label: string, key: string, example: string) =>
  decimalString(label, key, example, { min: 0, max: 1000 });

const offerFields = {
  budgetedPercent: pct('Budgetteret belægningsprocent', 'budgetedPercent', '95'),
  actualPercent: pct('Faktisk gennemsnitlig belægningsprocent', 'actualPercent', '90.1'),
};

export const OccupancyInputSchema = z.object({
  ...offerFields,
  /** Year of the first half-year being reported; gives the deadline. */
  year: yearField('Indberetningsår', 'year').optional(),
  thresholdPp: decimalString('Grænse i procentpoint', 'thresholdPp', '5', { greaterThan: 0 }).optional(),
});
export type OccupancyInput = z.input<typeof OccupancyInputSchema>;

export interface OccupancyResult {
  /** actual − budgeted, in percentage points, exact. */
  deviationPp: string;
  direction: 'over' | 'under' | 'none';
  mustReport: boolean;
  /** ISO date, when `year` is given. */
  reportDeadline?: string;
  warnings: string[];
}

const WEEKDAY_DA = ['søndag', 'mandag', 'tirsdag', 'onsdag', 'torsdag', 'fredag', 'lørdag'];

function deadlineWarnings(year: number): string[] {
  const w: string[] = [];
  if (!AGREEMENT_YEARS.includes(year)) {
    w.push(
      `Rammeaftale 2023-2024 fastsætter kun fristen 20. august for 2023 og 2024 (002:1099-1101); fristen for ${year} er antaget at være den samme.`,
    );
  }
  const weekday = new Date(Date.UTC(year, 7, 20)).getUTCDay();
  if (weekday === 0 || weekday === 6) {
    w.push(
      `Fristen ${year}-08-20 falder på en ${WEEKDAY_DA[weekday]}; Rammeaftalen siger ikke, om fristen så flyttes.`,
    );
  }
  return w;
}

function assess(budgeted: string, actual: string, thresholdPp: string) {
  const deviation = new D(actual).minus(budgeted);
  const warnings: string[] = [];
  if (new D(budgeted).gt(100)) {
    warnings.push(`Den budgetterede belægningsprocent ${formatDa(budgeted)} % er over 100 %; den bør maksimalt være 100 % (002:2727).`);
  }
  return {
    deviationPp: deviation.isZero() ? '0' : deviation.toFixed(),
    direction: (deviation.isZero() ? 'none' : deviation.isPositive() ? 'over' : 'under') as OccupancyResult['direction'],
    mustReport: deviation.abs().gte(thresholdPp),
    warnings,
  };
}

export function assessOccupancyDeviation(input: OccupancyInput): OccupancyResult {
  const v = OccupancyInputSchema.parse(input);
  const a = assess(v.budgetedPercent, v.actualPercent, v.thresholdPp ?? DEFAULT_THRESHOLD_PP);
  return {
    deviationPp: a.deviationPp,
    direction: a.direction,
    mustReport: a.mustReport,
    ...(v.year !== undefined ? { reportDeadline: `${v.year}-08-20` } : {}),
    warnings: [...a.warnings, ...(v.year !== undefined ? deadlineWarnings(v.year) : [])],
  };
}

export const OccupancyBatchInputSchema = z
  .object({
    year: yearField('Indberetningsår', 'year'),
    thresholdPp: decimalString('Grænse i procentpoint', 'thresholdPp', '5', { greaterThan: 0 }).optional(),
    offers: z.array(
      z.object({ tilbud: textField('Tilbud', 'offers[].tilbud'), ...offerFields }),
      { error: `${fieldName('Tilbud', 'offers')} skal være en liste.` },
    ),
  })
  .superRefine((v, ctx) => {
    const dup = uniqueBy(v.offers, (o) => o.tilbud);
    if (dup !== null) {
      ctx.addIssue({ code: 'custom', path: ['offers'], message: `${fieldName('Tilbud', 'offers')}: ${dup} står der mere end én gang.` });
    }
  });
export type OccupancyBatchInput = z.input<typeof OccupancyBatchInputSchema>;

/**
 * The half-year collection for many tilbud: which must report (and then also state whether an efterregulering
 * is expected, the occupancy challenges and the initiatives started, 002:1073-1091).
 */
export function selectOffersToReport(input: OccupancyBatchInput): {
  reportDeadline: string;
  toReport: { tilbud: string; deviationPp: string; direction: OccupancyResult['direction'] }[];
  warnings: string[];
} {
  const v = OccupancyBatchInputSchema.parse(input);
  const warnings = deadlineWarnings(v.year);
  const toReport: { tilbud: string; deviationPp: string; direction: OccupancyResult['direction'] }[] = [];
  for (const o of v.offers) {
    const a = assess(o.budgetedPercent, o.actualPercent, v.thresholdPp ?? DEFAULT_THRESHOLD_PP);
    warnings.push(...a.warnings.map((w) => `${o.tilbud}: ${w}`));
    if (a.mustReport) toReport.push({ tilbud: o.tilbud, deviationPp: a.deviationPp, direction: a.direction });
  }
  return { reportDeadline: `${v.year}-08-20`, toReport, warnings };
}
