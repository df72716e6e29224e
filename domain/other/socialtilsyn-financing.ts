import type Decimal from 'decimal.js';
import { z } from 'zod';
import { D, kronerString } from '../money';
import { collect, comparePrinted, printedFigureSchema } from './printed';
import { fieldName, formatDa, kronerAmount, textField, uniqueBy, yearField } from './schema';

/**
 * Socialtilsyn Syd: the financing need used for the rate calculation of a budget year, after the accumulated
 * underspend (mindreforbrug) of earlier years has been partly handed back through rate reductions
 * (other-procedures.md §3.2; seed 001:1540-1565, 003:1107-1150). Also the two sum checks that belong to the
 * financing statement: the offers-area revenue composition (001:1569-1575) and the net lines of the Prisme
 * printout that evidence the underspend (001:1701-1729).
 *
 * All amounts are kroner as decimal strings; results are whole kroner. Warnings are Danish.
 */

const amountLine = (what: string, key: string) =>
  z.object({
    label: textField(`Betegnelse for ${what}`, `${key}[].label`),
    amount: kronerAmount(`Beløb for ${what}`, `${key}[].amount`),
  });

export const SocialtilsynFinancingInputSchema = z
  .object({
    budgetYear: yearField('Budgetår', 'budgetYear'),
    grossNeed: kronerAmount('Samlet finansieringsbehov før regulering', 'grossNeed', { min: 0 }),
    accumulatedUnderspend: kronerAmount('Akkumuleret mindreforbrug fra tidligere år', 'accumulatedUnderspend'),
    deductions: z.array(amountLine('fradrag i mindreforbruget', 'deductions'), {
      error: `${fieldName('Fradrag i mindreforbruget', 'deductions')} skal være en liste (evt. tom).`,
    }),
    carriedToNextYear: kronerAmount('Overført mindreforbrug (op til 5 pct.) til det efterfølgende år', 'carriedToNextYear'),
    /** When given, the carried amount is checked against "op til 5 pct." of this base (001:1542). */
    carryCapBase: kronerAmount('Grundlag for 5 pct.-grænsen', 'carryCapBase', { min: 0 }).optional(),
    reductionSchedule: z
      .array(
        z.object({
          year: yearField('Takstår for reduktionen', 'reductionSchedule[].year'),
          amount: kronerAmount('Takstreduktion', 'reductionSchedule[].amount'),
        }),
        { error: `${fieldName('Fordeling af takstreduktioner på år', 'reductionSchedule')} skal være en liste.` },
      )
      .min(1, { error: `${fieldName('Fordeling af takstreduktioner på år', 'reductionSchedule')} skal have mindst ét år.` }),
    areaSplit: z
      .object({
        fosterFamilies: kronerAmount('Finansieringsbehov, plejefamilieområdet', 'areaSplit.fosterFamilies', { min: 0 }),
        offers: kronerAmount('Finansieringsbehov, tilbudsområdet', 'areaSplit.offers', { min: 0 }),
      })
      .optional(),
    printed: z
      .object({
        rest: printedFigureSchema('restmindreforbrug', 'printed.rest').optional(),
        netNeed: z.array(printedFigureSchema('finansieringsbehov til takstberegning', 'printed.netNeed[]')).optional(),
      })
      .optional(),
  })
  .superRefine((v, ctx) => {
    const dup = uniqueBy(v.reductionSchedule, (r) => String(r.year));
    if (dup !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['reductionSchedule'],
        message: `${fieldName('Fordeling af takstreduktioner på år', 'reductionSchedule')} nævner år ${dup} mere end én gang.`,
      });
    }
  });

export type SocialtilsynFinancingInput = z.input<typeof SocialtilsynFinancingInputSchema>;

export interface SocialtilsynFinancingResult {
  /** Underspend left after deductions and the carried 5 %, to be returned through rates. */
  rest: string;
  /** Sum of the scheduled rate reductions over all years. */
  scheduledTotal: string;
  /** The part of the schedule that falls in the budget year. */
  reductionInBudgetYear: string;
  /** Financing need that the budget year's rates and objective financing must cover. */
  netNeed: string;
  /** Sum of the two areas, when a split was given. */
  areaSplitTotal?: string;
  /** Danish. */
  warnings: string[];
}

export function calculateSocialtilsynFinancing(input: SocialtilsynFinancingInput): SocialtilsynFinancingResult {
  const v = SocialtilsynFinancingInputSchema.parse(input);
  const deductions = v.deductions.reduce((a, d) => a.plus(d.amount), new D(0));
  const rest = new D(v.accumulatedUnderspend).minus(deductions).minus(v.carriedToNextYear);
  const scheduledTotal = v.reductionSchedule.reduce((a, r) => a.plus(r.amount), new D(0));
  const inYear = v.reductionSchedule.filter((r) => r.year === v.budgetYear).reduce((a, r) => a.plus(r.amount), new D(0));
  const netNeed = new D(v.grossNeed).minus(inYear);

  const warnings: string[] = [];
  if (!scheduledTotal.eq(rest)) {
    warnings.push(
      `Takstreduktionerne summer til ${formatDa(scheduledTotal)} kr., men restmindreforbruget er ${formatDa(rest)} kr. ` +
        `(mindreforbrug − fradrag − overførsel); ${formatDa(rest.minus(scheduledTotal))} kr. er ikke fordelt på et takstår.`,
    );
  }
  if (!v.reductionSchedule.some((r) => r.year === v.budgetYear)) {
    warnings.push(`Ingen takstreduktion er fordelt på budgetåret ${v.budgetYear}; finansieringsbehovet er derfor ikke reguleret.`);
  }
  if (v.carryCapBase !== undefined) {
    const cap = new D(v.carryCapBase).times('0.05');
    if (new D(v.carriedToNextYear).abs().gt(cap)) {
      warnings.push(
        `Overførslen til det efterfølgende år (${formatDa(v.carriedToNextYear)} kr.) er større end 5 pct. af ` +
          `${formatDa(v.carryCapBase)} kr. (${formatDa(cap, 0)} kr.); kun mer- eller mindreforbrug på op til 5 pct. ` +
          `indeholdes i det efterfølgende års drift (001:1542).`,
      );
    }
  }
  let areaSplitTotal: Decimal | undefined;
  if (v.areaSplit) {
    areaSplitTotal = new D(v.areaSplit.fosterFamilies).plus(v.areaSplit.offers);
    if (!areaSplitTotal.eq(netNeed)) {
      warnings.push(
        `Fordelingen på plejefamilieområdet (${formatDa(v.areaSplit.fosterFamilies)} kr.) og tilbudsområdet ` +
          `(${formatDa(v.areaSplit.offers)} kr.) summer til ${formatDa(areaSplitTotal)} kr., men det beregnede ` +
          `finansieringsbehov er ${formatDa(netNeed, 0)} kr.`,
      );
    }
  }
  warnings.push(
    ...collect(
      comparePrinted('Restmindreforbrug', rest, v.printed?.rest, 'mio. kr.'),
      ...(v.printed?.netNeed ?? []).map((p) => comparePrinted('Finansieringsbehov til takstberegning', netNeed, p, 'mio. kr.')),
    ),
  );

  return {
    rest: kronerString(rest),
    scheduledTotal: kronerString(scheduledTotal),
    reductionInBudgetYear: kronerString(inYear),
    netNeed: kronerString(netNeed),
    ...(areaSplitTotal ? { areaSplitTotal: kronerString(areaSplitTotal) } : {}),
    warnings,
  };
}

export const OffersRevenueInputSchema = z.object({
  parts: z
    .array(amountLine('indtægtstype', 'parts'), {
      error: `${fieldName('Indtægter fra takster', 'parts')} skal være en liste.`,
    })
    .min(1, { error: `${fieldName('Indtægter fra takster', 'parts')} skal have mindst én linje.` }),
  printedTotal: printedFigureSchema('sum af takstindtægter', 'printedTotal').optional(),
  /** The offers-area financing need the revenue must cover, as printed (e.g. "23,5 mio."). */
  printedNeed: printedFigureSchema('finansieringsbehov for tilbudsområdet', 'printedNeed').optional(),
});

export type OffersRevenueInput = z.input<typeof OffersRevenueInputSchema>;

/** Sums the rate revenue of the offers area and checks it against the printed sum and the area's need. */
export function reconcileOffersRevenue(input: OffersRevenueInput): { total: string; warnings: string[] } {
  const v = OffersRevenueInputSchema.parse(input);
  const total = v.parts.reduce((a, p) => a.plus(p.amount), new D(0));
  return {
    total: kronerString(total),
    warnings: collect(
      comparePrinted('Sum af takstindtægter', total, v.printedTotal, 'kr.'),
      comparePrinted('Takstindtægter sammenholdt med tilbudsområdets finansieringsbehov', total, v.printedNeed, 'mio. kr.'),
    ),
  };
}

export const PrismeNetInputSchema = z.object({
  columns: z
    .array(
      z.object({
        label: textField('Kolonne', 'columns[].label'),
        // Prisme prints income as negative amounts and the remaining budget with either sign, so no sign rule here.
        expenses: kronerAmount('Udgifter (U)', 'columns[].expenses'),
        income: kronerAmount('Indtægter (I)', 'columns[].income'),
        printedNet: printedFigureSchema('netto (N)', 'columns[].printedNet').optional(),
        /** The same net as quoted elsewhere in mio. kr., e.g. the "mindreforbrug på 7,9 mio." of the note. */
        printedNetMio: printedFigureSchema('netto i mio. kr.', 'columns[].printedNetMio').optional(),
      }),
      { error: `${fieldName('Kolonner i regnskabsudskriften', 'columns')} skal være en liste.` },
    )
    .min(1, { error: `${fieldName('Kolonner i regnskabsudskriften', 'columns')} skal have mindst én kolonne.` }),
});

export type PrismeNetInput = z.input<typeof PrismeNetInputSchema>;

/**
 * Net = U + I per column of a Prisme account printout (income negative, so a negative net is a surplus). The
 * remaining-budget net ("Restkorr. budget") is the accumulated underspend that the financing statement rounds
 * to a figure in mio. kr.
 */
export function reconcilePrismeNet(input: PrismeNetInput): { columns: { label: string; net: string }[]; warnings: string[] } {
  const v = PrismeNetInputSchema.parse(input);
  const warnings: string[] = [];
  const columns = v.columns.map((c) => {
    const net = new D(c.expenses).plus(c.income);
    warnings.push(
      ...collect(
        comparePrinted(`Netto, ${c.label}`, net, c.printedNet, 'kr.'),
        comparePrinted(`Netto, ${c.label}`, net, c.printedNetMio, 'mio. kr.'),
      ),
    );
    return { label: c.label, net: kronerString(net) };
  });
  return { columns, warnings };
}
