/**
 * Settlement of the accumulated result when a tilbud closes (Rammeaftale 2023-2024, Bilag 5; domain notes
 * rammeaftale.md §5.4-5.5, Beregningseksempel 1-4).
 *
 * Pure and deterministic: no I/O, no clock, no JavaScript floats for money, so it can run in workflow code.
 *
 * Sign convention: `toDistribute` is the signed accumulated result (income − costs + carriedForward; a deficit is
 * negative). Every other amount is the burden it carries: positive when a deficit has to be paid, negative when a
 * surplus is handed back ("samme princip, blot med modsat fortegn", 002:1712-1714).
 */
import { z } from 'zod';
import type Decimal from 'decimal.js';
import { D, allocateLargestRemainder, kronerString, roundKroner } from './money';

// ---------------------------------------------------------------------------------------------------------------
// Money fields
// ---------------------------------------------------------------------------------------------------------------

// Whole kroner or kroner with øre; at most 15 integer digits so that a typo cannot create absurd amounts.
const UNSIGNED_KRONER = /^(0|[1-9]\d{0,14})(\.\d{1,2})?$/;
const SIGNED_KRONER = /^-?(0|[1-9]\d{0,14})(\.\d{1,2})?$/;

const AMOUNT_FORMAT_MESSAGE = 'Skal være et beløb i kroner, fx 20000000 eller 20000000.50';
const SIGNED_AMOUNT_FORMAT_MESSAGE =
  'Skal være et beløb i kroner, fx 20000000, -1000000 eller 20000000.50 (minus foran et underskud)';

function requiredText(what: string) {
  return (issue: { input?: unknown }) =>
    issue.input === undefined ? 'Skal udfyldes' : `Skal være ${what} skrevet som tekst, fx "20000000"`;
}

/** A non-negative amount of kroner as a string ("20000000" or "20000000.50"). */
export const unsignedKronerSchema = z
  .string({ error: requiredText('et beløb i kroner') })
  .regex(SIGNED_KRONER, { error: AMOUNT_FORMAT_MESSAGE })
  // Only reported when the format is otherwise right, so "-abc" gets one message, not two.
  .refine((s) => !SIGNED_KRONER.test(s) || UNSIGNED_KRONER.test(s), { error: 'Beløbet må ikke være negativt' });

/** A signed amount of kroner as a string; surplus positive, deficit negative. */
export const signedKronerSchema = z
  .string({ error: requiredText('et beløb i kroner') })
  .regex(SIGNED_KRONER, { error: SIGNED_AMOUNT_FORMAT_MESSAGE });

/** Parses a money string only if it has the API format; the schema reports the format error itself. */
function tryKroner(s: string | undefined): Decimal | undefined {
  return s !== undefined && SIGNED_KRONER.test(s) ? new D(s) : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Input schema
// ---------------------------------------------------------------------------------------------------------------

const idSchema = z
  .string({ error: (iss) => (iss.input === undefined ? 'Skal udfyldes' : 'Skal være tekst') })
  .min(1, { error: 'Skal udfyldes' });

const booleanSchema = z.boolean({ error: 'Skal være true eller false' });

const payerSchema = z.object(
  {
    id: idSchema,
    turnoverYearMinus2: unsignedKronerSchema,
    turnoverYearMinus1: unsignedKronerSchema,
    isOperator: booleanSchema.default(false),
  },
  { error: 'Skal være en betalingskommune med id, turnoverYearMinus2 og turnoverYearMinus1' },
);

const otherRegionalTilbudSchema = z.object(
  {
    id: idSchema,
    costBudget: unsignedKronerSchema.optional(),
    turnover: unsignedKronerSchema.optional(),
  },
  { error: 'Skal være et regionalt tilbud med id og costBudget eller turnover' },
);

const baseInputSchema = z.object(
  {
    operatorType: z.enum(['municipal', 'regional'], {
      error: 'Skal være "municipal" (kommunal driftsherre) eller "regional" (Region Syddanmark)',
    }),
    structure: z.enum(['standalone', 'economicUnit'], {
      error: 'Skal være "standalone" (selvstændigt tilbud) eller "economicUnit" (del af en økonomisk enhed)',
    }),
    closedByAuthority: booleanSchema.default(false),
    turnoverDecisionYear: unsignedKronerSchema,
    otherUnitsTurnoverDecisionYear: unsignedKronerSchema.optional(),
    income: unsignedKronerSchema,
    costs: unsignedKronerSchema,
    carriedForward: signedKronerSchema.default('0'),
    payers: z.array(payerSchema, { error: 'Skal være en liste af betalingskommuner' }).default([]),
    otherRegionalTilbud: z
      .array(otherRegionalTilbudSchema, { error: 'Skal være en liste af regionens øvrige tilbud' })
      .default([]),
  },
  { error: 'Skal være et objekt med oplysninger om lukningen' },
);

type ParsedInput = z.output<typeof baseInputSchema>;

export const closureSettlementInputSchema = baseInputSchema.superRefine(checkCrossFieldRules);

/** What the API accepts (defaults not yet applied). */
export type ClosureSettlementInput = z.input<typeof closureSettlementInputSchema>;
/** The input after validation, with defaults applied. */
export type ClosureSettlementParsedInput = z.output<typeof closureSettlementInputSchema>;

/**
 * A closure case's settlement basis as the procedure collects it (parties by their directory ids), before any
 * account exists. The one mapping from it to the calculation's input: the workflow, the start check, the
 * capacity hand-over and the start preview all go through `settlementInputFromBasis`.
 */
export interface ClosureSettlementBasis {
  operatorType: 'municipal' | 'regional';
  operatorPartyId: string;
  structure: 'standalone' | 'economicUnit';
  closedByAuthority: boolean;
  turnoverDecisionYear: string;
  otherUnitsTurnoverDecisionYear?: string | undefined;
  payers: readonly { partyId: string; turnoverYearMinus2: string; turnoverYearMinus1: string }[];
  otherRegionalTilbud?: readonly { id: string; costBudget?: string | undefined; turnover?: string | undefined }[] | undefined;
}

/** An account's figures; before an account exists, zeros (the structural rules do not depend on them). */
export interface ClosureAccountFigures {
  income: string;
  costs: string;
  carriedForward: string;
}

export const NO_ACCOUNT_YET: ClosureAccountFigures = { income: '0', costs: '0', carriedForward: '0' };

/** Payers are the municipal key; a regional result goes to the Region's own other tilbud (002:1818-1821). An
 * empty amount counts as not given. */
export function settlementInputFromBasis(b: ClosureSettlementBasis, figures: ClosureAccountFigures): ClosureSettlementInput {
  const municipal = b.operatorType === 'municipal';
  const given = (v: string | undefined): v is string => v !== undefined && v !== '';
  return {
    operatorType: b.operatorType,
    structure: b.structure,
    closedByAuthority: b.closedByAuthority,
    turnoverDecisionYear: b.turnoverDecisionYear,
    ...(b.structure === 'economicUnit' && b.otherUnitsTurnoverDecisionYear !== undefined ? { otherUnitsTurnoverDecisionYear: b.otherUnitsTurnoverDecisionYear } : {}),
    income: figures.income,
    costs: figures.costs,
    carriedForward: figures.carriedForward,
    payers: municipal
      ? b.payers.map((p) => ({ id: p.partyId, turnoverYearMinus2: p.turnoverYearMinus2, turnoverYearMinus1: p.turnoverYearMinus1, isOperator: p.partyId === b.operatorPartyId }))
      : [],
    otherRegionalTilbud: municipal
      ? []
      : (b.otherRegionalTilbud ?? []).map((t) => ({ id: t.id, ...(given(t.costBudget) ? { costBudget: t.costBudget } : {}), ...(given(t.turnover) ? { turnover: t.turnover } : {}) })),
  };
}

export interface SettlementLine {
  /** Danish label, as in the seed tables. */
  label: string;
  /** Kroner as a string. Input echoes keep their øre; calculated amounts are whole kroner. */
  amount: string;
}

export interface ClosureSettlementResult {
  /** Signed accumulated result, income − costs + carriedForward (deficit negative), whole kroner. */
  toDistribute: string;
  /** Borne by the driftsherre itself (selvrisiko); the whole burden on an authority closure. */
  ownRisk: string;
  /** Municipal economic unit: carried by the centre's other tilbud (stays with the driftsherre). */
  toOtherUnits: string;
  /** Distributed via `shares`: to betalingskommuner (municipal) or the Region's other tilbud (regional). */
  settled: string;
  /** Payers (municipal) or the Region's other tilbud (regional), in input order; they add up to `settled`. */
  shares: { id: string; amount: string }[];
  /** Everything the driftsherre bears: ownRisk + toOtherUnits + its own payer share (regional: the whole burden). */
  operatorTotal: string;
  lines: SettlementLine[];
  warnings: string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Calculation core (shared by validation and calculation so that both agree on what must be distributed)
// ---------------------------------------------------------------------------------------------------------------

/** "5 % af … takstbaserede omsætning i det år, hvor tilbuddet besluttes lukket" (002:1701-1703). */
const OWN_RISK_RATE = new D('0.05');

interface Amounts {
  toDistribute: Decimal;
  /** −toDistribute: positive for a deficit. */
  burden: Decimal;
  ownRisk: Decimal;
  toOtherUnits: Decimal;
  settled: Decimal;
}

function zero(): Decimal {
  return new D(0);
}

function sum(xs: readonly Decimal[]): Decimal {
  return xs.reduce((a, b) => a.plus(b), zero());
}

/** Own risk has the sign of the burden and never exceeds it: a small deficit is borne in full by the driftsherre. */
function ownRiskOf(burden: Decimal, turnoverBase: Decimal): Decimal {
  const cap = roundKroner(turnoverBase.times(OWN_RISK_RATE));
  const magnitude = D.min(burden.abs(), cap);
  // lt(0), not isNegative(): decimal.js keeps the sign of a negated zero.
  return burden.lt(0) ? magnitude.negated() : magnitude;
}

/**
 * Splits the excess of an economic unit between the closing tilbud and the centre's other units by turnover
 * (fn 7 "efter budgetstørrelse", read as takstbaseret omsætning because only that reproduces Beregningseksempel 2).
 * The closing tilbud is the earlier part, so it wins an exact tie.
 */
function splitUnitExcess(
  excess: Decimal,
  closingTurnover: Decimal,
  otherUnitsTurnover: Decimal,
): { settled: Decimal; toOtherUnits: Decimal } {
  const [settled, toOtherUnits] = allocateLargestRemainder(excess, [closingTurnover, otherUnitsTurnover]);
  return { settled: settled!, toOtherUnits: toOtherUnits! };
}

function accumulatedResult(input: ParsedInput): Decimal {
  return roundKroner(new D(input.income).minus(input.costs).plus(input.carriedForward));
}

function unitTurnoverBase(input: ParsedInput): Decimal {
  return new D(input.turnoverDecisionYear).plus(input.otherUnitsTurnoverDecisionYear ?? '0');
}

function amountsFor(input: ParsedInput): Amounts {
  const toDistribute = accumulatedResult(input);
  const burden = toDistribute.negated();
  if (input.closedByAuthority) {
    // "Her påhviler et eventuelt underskud efter lukning af tilbuddet alene driftsherren" (002:1696-1697).
    return { toDistribute, burden, ownRisk: burden, toOtherUnits: zero(), settled: zero() };
  }
  if (input.operatorType === 'regional' && input.structure === 'standalone') {
    // No own risk: the whole accumulated result goes to the Region's other tilbud (002:1818-1821, Eks. 3).
    return { toDistribute, burden, ownRisk: zero(), toOtherUnits: zero(), settled: burden };
  }
  const isUnit = input.structure === 'economicUnit';
  const ownRisk = ownRiskOf(burden, isUnit ? unitTurnoverBase(input) : new D(input.turnoverDecisionYear));
  const excess = burden.minus(ownRisk);
  if (input.operatorType === 'municipal' && isUnit) {
    const split = splitUnitExcess(
      excess,
      new D(input.turnoverDecisionYear),
      new D(input.otherUnitsTurnoverDecisionYear ?? '0'),
    );
    return { toDistribute, burden, ownRisk, ...split };
  }
  // Municipal stand-alone: the whole excess is settled with payers. Regional unit: the excess goes to the
  // Region's other tilbud ("dækkes af regionens andre tilbud", 002:1866-1870), the own risk stays in operations.
  return { toDistribute, burden, ownRisk, toOtherUnits: zero(), settled: excess };
}

/** Pooled takst turnover of the two accounting years before the decision year (002:1769-1771; A-12: pooled). */
function payerWeight(p: { turnoverYearMinus2: string; turnoverYearMinus1: string }): Decimal {
  return new D(p.turnoverYearMinus2).plus(p.turnoverYearMinus1);
}

/** Regional stand-alone is keyed by omkostningsbudget (002:1818-1821), a regional unit by takstbaseret omsætning. */
function regionalWeight(input: ParsedInput, t: ParsedInput['otherRegionalTilbud'][number]): Decimal {
  const value = input.structure === 'standalone' ? t.costBudget : t.turnover;
  return new D(value ?? '0');
}

// ---------------------------------------------------------------------------------------------------------------
// Cross-field validation
// ---------------------------------------------------------------------------------------------------------------

type Issue = { message: string; path: (string | number)[] };

function duplicateIdIssues(items: readonly { id: string }[], listName: string, what: string): Issue[] {
  const seen = new Set<string>();
  const issues: Issue[] = [];
  items.forEach((item, i) => {
    if (seen.has(item.id)) {
      issues.push({ path: [listName, i, 'id'], message: `${what} "${item.id}" er angivet mere end én gang` });
    }
    seen.add(item.id);
  });
  return issues;
}

function operatorFlagIssues(input: ParsedInput): Issue[] {
  return input.payers
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => p.isOperator)
    .slice(1)
    .map(({ i }) => ({
      path: ['payers', i, 'isOperator'],
      message: 'Kun én betalingskommune kan være markeret som driftsherre',
    }));
}

function structureIssues(input: ParsedInput): Issue[] {
  const issues: Issue[] = [];
  if (input.closedByAuthority) return issues;
  if (input.structure === 'economicUnit' && input.otherUnitsTurnoverDecisionYear === undefined) {
    issues.push({
      path: ['otherUnitsTurnoverDecisionYear'],
      message:
        'Skal udfyldes for et tilbud i en økonomisk enhed: den takstbaserede omsætning i beslutningsåret for centrets øvrige tilbud',
    });
  }
  if (input.operatorType === 'municipal' && input.payers.length === 0) {
    issues.push({ path: ['payers'], message: 'Angiv mindst én betalingskommune (driftsherren medregnes for egne borgere)' });
  }
  if (input.operatorType === 'regional') {
    if (input.otherRegionalTilbud.length === 0) {
      issues.push({
        path: ['otherRegionalTilbud'],
        message: 'Angiv mindst ét andet regionalt tilbud, som resultatet kan fordeles på',
      });
    }
    const field = input.structure === 'standalone' ? 'costBudget' : 'turnover';
    const meaning = input.structure === 'standalone' ? 'omkostningsbudget' : 'takstbaserede omsætning';
    input.otherRegionalTilbud.forEach((t, i) => {
      if (t[field] === undefined) {
        issues.push({
          path: ['otherRegionalTilbud', i, field],
          message: `Skal udfyldes: resultatet fordeles efter tilbuddenes ${meaning}`,
        });
      }
    });
  }
  return issues;
}

function allMoneyValid(input: ParsedInput): boolean {
  const fields = [
    input.turnoverDecisionYear,
    input.income,
    input.costs,
    input.carriedForward,
    ...(input.otherUnitsTurnoverDecisionYear === undefined ? [] : [input.otherUnitsTurnoverDecisionYear]),
    ...input.payers.flatMap((p) => [p.turnoverYearMinus2, p.turnoverYearMinus1]),
    ...input.otherRegionalTilbud.flatMap((t) => [t.costBudget, t.turnover].filter((x) => x !== undefined)),
  ];
  return fields.every((f) => tryKroner(f) !== undefined);
}

/** Weights that are all zero cannot carry an amount that must be distributed. */
function distributionIssues(input: ParsedInput): Issue[] {
  if (input.closedByAuthority) return [];
  const toDistribute = accumulatedResult(input);
  const burden = toDistribute.negated();
  if (input.operatorType === 'municipal' && input.structure === 'economicUnit') {
    const excess = burden.minus(ownRiskOf(burden, unitTurnoverBase(input)));
    if (!excess.isZero() && unitTurnoverBase(input).isZero()) {
      return [
        {
          path: ['turnoverDecisionYear'],
          message:
            'Den takstbaserede omsætning er 0 for både tilbuddet og centrets øvrige tilbud, så resultatet kan ikke fordeles mellem dem',
        },
      ];
    }
  }
  const { settled } = amountsFor(input);
  if (settled.isZero()) return [];
  if (input.operatorType === 'municipal' && sum(input.payers.map(payerWeight)).isZero()) {
    return [
      {
        path: ['payers'],
        message: `Betalingskommunernes omsætning i de to år før beslutningsåret er 0 for alle, så ${kronerString(settled.abs())} kr. kan ikke fordeles`,
      },
    ];
  }
  if (input.operatorType === 'regional' && sum(input.otherRegionalTilbud.map((t) => regionalWeight(input, t))).isZero()) {
    const meaning = input.structure === 'standalone' ? 'omkostningsbudget' : 'takstbaserede omsætning';
    return [
      {
        path: ['otherRegionalTilbud'],
        message: `De øvrige regionale tilbuds ${meaning} er 0 for alle, så ${kronerString(settled.abs())} kr. kan ikke fordeles`,
      },
    ];
  }
  return [];
}

function checkCrossFieldRules(input: ParsedInput, ctx: z.RefinementCtx<ParsedInput>): void {
  const issues = [
    ...duplicateIdIssues(input.payers, 'payers', 'Betalingskommunen'),
    ...duplicateIdIssues(input.otherRegionalTilbud, 'otherRegionalTilbud', 'Tilbuddet'),
    ...operatorFlagIssues(input),
    ...structureIssues(input),
  ];
  // The amounts can only be computed from well-formed money and a complete structure; otherwise the field
  // messages above (or the format messages) already tell the user what to fix.
  if (issues.length === 0 && allMoneyValid(input)) issues.push(...distributionIssues(input));
  for (const issue of issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
}

// ---------------------------------------------------------------------------------------------------------------
// Presentation helpers (Danish labels as in the seed tables)
// ---------------------------------------------------------------------------------------------------------------

/** Input amounts are echoed exactly (øre kept) so the lines can be checked against the documents. */
function exactKroner(x: Decimal.Value): string {
  const d = new D(x);
  if (d.isZero()) return '0';
  return d.isInteger() ? d.toFixed(0) : d.toFixed(2);
}

/** "20.000.000" / "20.000.000,50", as in the seed labels. */
function danishKroner(x: Decimal): string {
  const [whole, frac] = exactKroner(x).replace('-', '').split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${x.lt(0) ? '-' : ''}${grouped}${frac ? `,${frac}` : ''}`;
}

/** "33 %" or "33,3 %": the operator's share of the pooled payer turnover. */
function danishPercent(part: Decimal, whole: Decimal): string {
  if (whole.isZero()) return '0 %';
  const pct = part.div(whole).times(100).toDecimalPlaces(1, D.ROUND_HALF_UP);
  return `${pct.isInteger() ? pct.toFixed(0) : pct.toFixed(1).replace('.', ',')} %`;
}

function line(label: string, amount: Decimal.Value, exact = false): SettlementLine {
  return { label, amount: exact ? exactKroner(amount) : kronerString(amount) };
}

function resultLines(input: ParsedInput, carriedLabel: string): SettlementLine[] {
  const yearResult = new D(input.income).minus(input.costs);
  return [
    line('Indtægter', input.income, true),
    line('Omkostninger', input.costs, true),
    line('Årsresultat', yearResult, true),
    line(carriedLabel, input.carriedForward, true),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Settlement per case
// ---------------------------------------------------------------------------------------------------------------

interface Settlement {
  shares: { id: string; amount: Decimal }[];
  operatorTotal: Decimal;
  lines: SettlementLine[];
  warnings: string[];
}

function settleByAuthority(input: ParsedInput, a: Amounts): Settlement {
  const ids = input.operatorType === 'municipal' ? input.payers : input.otherRegionalTilbud;
  const warnings: string[] = [];
  if (input.operatorType === 'regional') {
    // A-15: the rule is written under "Lukning af kommunalt tilbud" only.
    warnings.push(
      'Reglen om lukning ved Socialtilsynet eller anden myndighed står kun under kommunale tilbud; den er her også anvendt på et regionalt tilbud.',
    );
  }
  if (a.burden.lt(0)) {
    // A-15: only a deficit is mentioned ("et eventuelt underskud … alene driftsherren").
    warnings.push(
      'Rammeaftalen nævner kun underskud ved lukning af myndighed; her beholder driftsherren også overskuddet. Behandlingen af et overskud bør afklares.',
    );
  }
  return {
    shares: ids.map((x) => ({ id: x.id, amount: zero() })),
    operatorTotal: a.burden,
    lines: [
      line('Takstbaseret omsætning i året for beslutning', input.turnoverDecisionYear, true),
      ...resultLines(input, 'Overført fra tidligere år'),
      line('Til fordeling', a.toDistribute),
      line('Påhviler alene driftsherren (lukket af Socialtilsynet eller anden offentlig myndighed)', a.burden),
    ],
    warnings,
  };
}

function settleMunicipal(input: ParsedInput, a: Amounts): Settlement {
  const weights = input.payers.map(payerWeight);
  const amounts = allocateLargestRemainder(a.settled, weights);
  const operatorIndex = input.payers.findIndex((p) => p.isOperator);
  const operatorShare = operatorIndex >= 0 ? amounts[operatorIndex]! : zero();
  const operatorWeight = operatorIndex >= 0 ? weights[operatorIndex]! : zero();
  const pct = danishPercent(operatorWeight, sum(weights));
  const othersShare = a.settled.minus(operatorShare);
  const isUnit = input.structure === 'economicUnit';

  const warnings: string[] = [];
  if (operatorIndex < 0 && !a.settled.isZero()) {
    warnings.push('Ingen betalingskommune er markeret som driftsherre, så driftsherren har ingen andel for egne borgere.');
  }
  if (input.otherRegionalTilbud.length > 0) {
    warnings.push('Regionale tilbud (otherRegionalTilbud) bruges kun ved lukning af regionale tilbud og er ignoreret.');
  }
  if (!isUnit && input.otherUnitsTurnoverDecisionYear !== undefined) {
    warnings.push('Omsætningen for centrets øvrige tilbud bruges kun for en økonomisk enhed og er ignoreret.');
  }

  const lines: SettlementLine[] = isUnit
    ? [
        line('Takstbaseret omsætning i året for beslutning, tilbuddet', input.turnoverDecisionYear, true),
        line('Takstbaseret omsætning i året for beslutning, centrets øvrige tilbud', input.otherUnitsTurnoverDecisionYear ?? '0', true),
        line('Takstbaseret omsætning i året for beslutning, samlet', unitTurnoverBase(input), true),
        ...resultLines(input, 'Overført fra tidligere år'),
        line('Til fordeling', a.toDistribute),
        line('Selvrisiko (5 % af den takstbaserede omsætning)', a.ownRisk),
        line('Rest til fordeling', a.burden.minus(a.ownRisk)),
        line('Videreføres til centrets øvrige tilbud', a.toOtherUnits),
        line('Rest til fordeling', a.settled),
        line(`Driftsherres andel efter forbrugte antal pladser (${pct})`, operatorShare),
        line('Betalingskommuners andel efter forbrugte antal pladser', othersShare),
        line(
          'Samlet for driftsherre: selvrisiko + centrets øvrige tilbud + egne forbrugte pladser',
          a.ownRisk.plus(a.toOtherUnits).plus(operatorShare),
        ),
      ]
    : [
        line('Takstbaseret omsætning i året for beslutning', input.turnoverDecisionYear, true),
        ...resultLines(input, 'Overført fra tidligere år'),
        line('Til fordeling', a.toDistribute),
        line(`Selvrisiko (5 % af ${danishKroner(new D(input.turnoverDecisionYear))} kr.)`, a.ownRisk),
        line('Til fordeling', a.settled),
        line(`Driftsherres andel pba. forbrugte pladser (${pct})`, operatorShare),
        line('Betalingskommuners andel pba. forbrugte pladser', othersShare),
        line('Samlet for driftsherre (selvrisiko + egne forbrugte pladser)', a.ownRisk.plus(operatorShare)),
      ];

  return {
    shares: input.payers.map((p, i) => ({ id: p.id, amount: amounts[i]! })),
    operatorTotal: a.ownRisk.plus(a.toOtherUnits).plus(operatorShare),
    lines,
    warnings,
  };
}

function settleRegional(input: ParsedInput, a: Amounts): Settlement {
  const amounts = allocateLargestRemainder(
    a.settled,
    input.otherRegionalTilbud.map((t) => regionalWeight(input, t)),
  );
  const warnings: string[] = [];
  if (input.payers.length > 0) {
    warnings.push('Betalingskommuner (payers) bruges ikke ved lukning af regionale tilbud og er ignoreret.');
  }
  const isUnit = input.structure === 'economicUnit';
  if (!isUnit && a.settled.gt(0)) {
    // Footnote to Beregningseksempel 3 (002:1851-1852), stated for the stand-alone case only.
    warnings.push(
      'Hvis fordelingen giver et underskud over 5 % på et af regionens øvrige tilbud, efterreguleres den del i taksterne år +2.',
    );
  }
  if (!isUnit && input.otherUnitsTurnoverDecisionYear !== undefined) {
    warnings.push('Omsætningen for centrets øvrige tilbud bruges kun for en økonomisk enhed og er ignoreret.');
  }

  const lines: SettlementLine[] = isUnit
    ? [
        line('Takstbaserede omsætning i året for beslutningen, afdeling/tilbud 1', input.turnoverDecisionYear, true),
        line('Takstbaserede omsætning i året for beslutningen, øvrige afdelinger/tilbud', input.otherUnitsTurnoverDecisionYear ?? '0', true),
        line('Takstbaserede omsætning i året for beslutningen, i alt', unitTurnoverBase(input), true),
        ...resultLines(input, 'Den økonomiske enheds overførte overskud/underskud fra tidligere år'),
        line('Akkumuleret resultat for den økonomiske enhed', a.toDistribute),
        line('Selvrisiko (5 % af den takstbaserede omsætning) videreføres i driften år +1', a.ownRisk),
        line('Dækkes af andre økonomiske enheder (ud over 5 %)', a.settled),
        line('Samlet for driftsherre (Region Syddanmark)', a.burden),
      ]
    : [
        line('Takstbaseret omsætning i året for beslutningen', input.turnoverDecisionYear, true),
        ...resultLines(input, 'Det selvstændige tilbud overførte overskud/underskud fra tidligere år'),
        line('Akkumuleret resultat - fordeles forholdsmæssigt på de øvrige tilbud', a.toDistribute),
        line('Fordeles på regionens øvrige tilbud efter omkostningsbudget', a.settled),
        line('Samlet for driftsherre (Region Syddanmark)', a.burden),
      ];

  return {
    shares: input.otherRegionalTilbud.map((t, i) => ({ id: t.id, amount: amounts[i]! })),
    // The other regional tilbud are the Region's own, so the Region as driftsherre bears all of it.
    operatorTotal: a.burden,
    lines,
    warnings,
  };
}

/**
 * Validates the input (throws the ZodError of `closureSettlementInputSchema` if it is invalid) and computes the
 * settlement. Every total is rounded half away from zero to whole kroner and split among its parts by largest
 * remainder, ties to the earlier part in input order, so the parts always add up exactly.
 */
export function calculateClosureSettlement(raw: ClosureSettlementInput): ClosureSettlementResult {
  const input = closureSettlementInputSchema.parse(raw);
  const a = amountsFor(input);
  const s = input.closedByAuthority
    ? settleByAuthority(input, a)
    : input.operatorType === 'municipal'
      ? settleMunicipal(input, a)
      : settleRegional(input, a);
  return {
    toDistribute: kronerString(a.toDistribute),
    ownRisk: kronerString(a.ownRisk),
    toOtherUnits: kronerString(a.toOtherUnits),
    settled: kronerString(a.settled),
    shares: s.shares.map((x) => ({ id: x.id, amount: kronerString(x.amount) })),
    operatorTotal: kronerString(s.operatorTotal),
    lines: s.lines,
    warnings: s.warnings,
  };
}
