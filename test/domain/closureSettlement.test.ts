import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import {
  calculateClosureSettlement,
  closureSettlementInputSchema,
  type ClosureSettlementInput,
} from '../../domain/closureSettlement';

// "33 %" in Beregningseksempel 1 and 2 is applied as exactly 0.33 (rammeaftale.md §5.4, notes to Eks. 1),
// so the operator's pooled turnover is 33 and the others' 67 in some unit.
const payers33 = [
  { id: 'driftsherre', turnoverYearMinus2: '16', turnoverYearMinus1: '17', isOperator: true },
  { id: 'Kolding', turnoverYearMinus2: '40', turnoverYearMinus1: '0' },
  { id: 'Vejle', turnoverYearMinus2: '0', turnoverYearMinus1: '27' },
];

/** Beregningseksempel 1 (002:1786-1806). */
const example1: ClosureSettlementInput = {
  operatorType: 'municipal',
  structure: 'standalone',
  turnoverDecisionYear: '20000000',
  income: '10000000',
  costs: '14000000',
  carriedForward: '-1000000',
  payers: payers33,
};

/** Beregningseksempel 2 (002:1729-1764): income and costs are the whole centre's. */
const example2: ClosureSettlementInput = {
  operatorType: 'municipal',
  structure: 'economicUnit',
  turnoverDecisionYear: '20000000',
  otherUnitsTurnoverDecisionYear: '40000000',
  income: '50000000',
  costs: '54000000',
  carriedForward: '-1000000',
  payers: payers33,
};

/** Beregningseksempel 3 (002:1829-1852); the seeds give no key, so weights 1 : 3 (rammeaftale.md §5.5). */
const example3: ClosureSettlementInput = {
  operatorType: 'regional',
  structure: 'standalone',
  turnoverDecisionYear: '20000000',
  income: '10000000',
  costs: '12500000',
  carriedForward: '1000000',
  otherRegionalTilbud: [
    { id: 'Tilbud A', costBudget: '10000000' },
    { id: 'Tilbud B', costBudget: '30000000' },
  ],
};

/** Beregningseksempel 4 (002:1884-1924). */
const example4: ClosureSettlementInput = {
  operatorType: 'regional',
  structure: 'economicUnit',
  turnoverDecisionYear: '20000000',
  otherUnitsTurnoverDecisionYear: '40000000',
  income: '50000000',
  costs: '56000000',
  carriedForward: '2000000',
  otherRegionalTilbud: [
    { id: 'Enhed X', turnover: '25000000' },
    { id: 'Enhed Y', turnover: '75000000' },
  ],
};

/** The same case with a surplus of the same size: income and costs swapped and the transfer negated. */
function mirrored(input: ClosureSettlementInput): ClosureSettlementInput {
  const neg = (s: string) => (s.startsWith('-') ? s.slice(1) : s === '0' ? s : `-${s}`);
  return { ...input, income: input.costs, costs: input.income, carriedForward: neg(input.carriedForward ?? '0') };
}

function negate(s: string): string {
  return s === '0' ? '0' : s.startsWith('-') ? s.slice(1) : `-${s}`;
}

function lineAmount(result: { lines: { label: string; amount: string }[] }, label: string): string[] {
  return result.lines.filter((l) => l.label === label).map((l) => l.amount);
}

function issuesOf(input: unknown): { path: string; message: string }[] {
  const r = closureSettlementInputSchema.safeParse(input);
  if (r.success) return [];
  return r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('closure settlement: Beregningseksempel 1 (municipal, stand-alone)', () => {
  const r = calculateClosureSettlement(example1);

  it('reproduces the seed table', () => {
    expect(r.toDistribute).toBe('-5000000');
    expect(r.ownRisk).toBe('1000000');
    expect(r.toOtherUnits).toBe('0');
    expect(r.settled).toBe('4000000');
    expect(r.shares.find((s) => s.id === 'driftsherre')?.amount).toBe('1320000');
    expect(r.operatorTotal).toBe('2320000');
  });

  it('gives the betalingskommuner 2.680.000 together, split by pooled two-year turnover', () => {
    const others = r.shares.filter((s) => s.id !== 'driftsherre');
    expect(others).toEqual([
      { id: 'Kolding', amount: '1600000' },
      { id: 'Vejle', amount: '1080000' },
    ]);
    expect(lineAmount(r, 'Betalingskommuners andel pba. forbrugte pladser')).toEqual(['2680000']);
  });

  it('mirrors the seed table lines', () => {
    expect(lineAmount(r, 'Årsresultat')).toEqual(['-4000000']);
    expect(lineAmount(r, 'Til fordeling')).toEqual(['-5000000', '4000000']);
    expect(lineAmount(r, 'Selvrisiko (5 % af 20.000.000 kr.)')).toEqual(['1000000']);
    expect(lineAmount(r, 'Driftsherres andel pba. forbrugte pladser (33 %)')).toEqual(['1320000']);
    expect(lineAmount(r, 'Samlet for driftsherre (selvrisiko + egne forbrugte pladser)')).toEqual(['2320000']);
    expect(r.warnings).toEqual([]);
  });
});

describe('closure settlement: Beregningseksempel 2 (municipal, economic unit)', () => {
  const r = calculateClosureSettlement(example2);

  it('reproduces the seed table', () => {
    expect(r.toDistribute).toBe('-5000000');
    expect(r.ownRisk).toBe('3000000');
    expect(r.toOtherUnits).toBe('1333333');
    expect(r.settled).toBe('666667');
    expect(r.shares.find((s) => s.id === 'driftsherre')?.amount).toBe('220000');
    expect(lineAmount(r, 'Betalingskommuners andel efter forbrugte antal pladser')).toEqual(['446667']);
    expect(r.operatorTotal).toBe('4553333');
  });

  it('accounts for the whole deficit', () => {
    const others = r.shares.filter((s) => s.id !== 'driftsherre').reduce((a, s) => a + Number(s.amount), 0);
    expect(others).toBe(446667);
    expect(Number(r.operatorTotal) + others).toBe(5000000);
  });
});

describe('closure settlement: Beregningseksempel 3 (regional, stand-alone)', () => {
  const r = calculateClosureSettlement(example3);

  it('distributes the whole accumulated result by omkostningsbudget, with no own risk', () => {
    expect(r.toDistribute).toBe('-1500000');
    expect(r.ownRisk).toBe('0');
    expect(r.toOtherUnits).toBe('0');
    expect(r.settled).toBe('1500000');
    expect(r.shares).toEqual([
      { id: 'Tilbud A', amount: '375000' },
      { id: 'Tilbud B', amount: '1125000' },
    ]);
    expect(r.operatorTotal).toBe('1500000');
    expect(lineAmount(r, 'Akkumuleret resultat - fordeles forholdsmæssigt på de øvrige tilbud')).toEqual(['-1500000']);
  });

  it('ignores turnover of the other regional tilbud in the stand-alone case', () => {
    const withTurnover = {
      ...example3,
      otherRegionalTilbud: [
        { id: 'Tilbud A', costBudget: '10000000', turnover: '90000000' },
        { id: 'Tilbud B', costBudget: '30000000', turnover: '10000000' },
      ],
    };
    expect(calculateClosureSettlement(withTurnover).shares.map((s) => s.amount)).toEqual(['375000', '1125000']);
  });
});

describe('closure settlement: Beregningseksempel 4 (regional, economic unit)', () => {
  const r = calculateClosureSettlement(example4);

  it('keeps 3.000.000 in operations and sends 1.000.000 to the other regional tilbud', () => {
    expect(r.toDistribute).toBe('-4000000');
    expect(r.ownRisk).toBe('3000000');
    expect(r.toOtherUnits).toBe('0');
    expect(r.settled).toBe('1000000');
    expect(r.shares).toEqual([
      { id: 'Enhed X', amount: '250000' },
      { id: 'Enhed Y', amount: '750000' },
    ]);
    expect(r.operatorTotal).toBe('4000000');
    expect(lineAmount(r, 'Selvrisiko (5 % af den takstbaserede omsætning) videreføres i driften år +1')).toEqual(['3000000']);
    expect(lineAmount(r, 'Dækkes af andre økonomiske enheder (ud over 5 %)')).toEqual(['1000000']);
  });

  it('keys the regional economic unit by turnover, not by cost budget', () => {
    const withBudget = {
      ...example4,
      otherRegionalTilbud: [
        { id: 'Enhed X', turnover: '25000000', costBudget: '75000000' },
        { id: 'Enhed Y', turnover: '75000000', costBudget: '25000000' },
      ],
    };
    expect(calculateClosureSettlement(withBudget).shares.map((s) => s.amount)).toEqual(['250000', '750000']);
  });
});

describe('closure settlement: surplus mirrors deficit', () => {
  it.each([
    ['Eksempel 1', example1],
    ['Eksempel 2', example2],
    ['Eksempel 3', example3],
    ['Eksempel 4', example4],
  ])('%s with opposite sign gives opposite amounts', (_name, input) => {
    const deficit = calculateClosureSettlement(input);
    const surplus = calculateClosureSettlement(mirrored(input));
    expect(surplus.toDistribute).toBe(negate(deficit.toDistribute));
    expect(surplus.ownRisk).toBe(negate(deficit.ownRisk));
    expect(surplus.toOtherUnits).toBe(negate(deficit.toOtherUnits));
    expect(surplus.settled).toBe(negate(deficit.settled));
    expect(surplus.operatorTotal).toBe(negate(deficit.operatorTotal));
    expect(surplus.shares).toEqual(deficit.shares.map((s) => ({ id: s.id, amount: negate(s.amount) })));
  });

  it('lets the driftsherre keep the first 5 % of a surplus (Eks. 1 mirrored)', () => {
    const r = calculateClosureSettlement(mirrored(example1));
    expect(r.toDistribute).toBe('5000000');
    expect(r.ownRisk).toBe('-1000000');
    expect(r.shares.find((s) => s.id === 'driftsherre')?.amount).toBe('-1320000');
    expect(r.operatorTotal).toBe('-2320000');
  });
});

describe('closure settlement: own risk cap and small results', () => {
  it('lets the driftsherre bear a deficit below 5 % in full and settles nothing', () => {
    const r = calculateClosureSettlement({ ...example1, costs: '10400000', carriedForward: '0' });
    expect(r.toDistribute).toBe('-400000');
    expect(r.ownRisk).toBe('400000');
    expect(r.settled).toBe('0');
    expect(r.shares.map((s) => s.amount)).toEqual(['0', '0', '0']);
    expect(r.operatorTotal).toBe('400000');
  });

  it('accepts payers without turnover when nothing is to be settled', () => {
    const zeroPayers = [{ id: 'driftsherre', turnoverYearMinus2: '0', turnoverYearMinus1: '0', isOperator: true }];
    const r = calculateClosureSettlement({ ...example1, costs: '10400000', carriedForward: '0', payers: zeroPayers });
    expect(r.settled).toBe('0');
  });

  it('gives a result of exactly zero as zeros, never "-0"', () => {
    const r = calculateClosureSettlement({ ...example2, costs: '49000000' });
    expect([r.toDistribute, r.ownRisk, r.toOtherUnits, r.settled, r.operatorTotal]).toEqual(['0', '0', '0', '0', '0']);
  });

  it('gives no surplus or deficit warnings for a result of exactly zero', () => {
    expect(calculateClosureSettlement({ ...example3, costs: '11000000' }).warnings).toEqual([]);
    expect(calculateClosureSettlement({ ...example1, costs: '9000000', closedByAuthority: true }).warnings).toEqual([]);
  });

  it('uses the whole unit turnover as base in an economic unit (capped by the burden)', () => {
    const r = calculateClosureSettlement({ ...example2, carriedForward: '0' });
    expect(r.ownRisk).toBe('3000000');
    expect(r.toOtherUnits).toBe('666667');
    expect(r.settled).toBe('333333');
  });
});

describe('closure settlement: rounding', () => {
  it('rounds the accumulated result half away from zero', () => {
    // −4.999.999,50 → −5.000.000 (half-up towards +∞ would give −4.999.999).
    const input = { ...example1, income: '10000000.50', costs: '14000000', carriedForward: '-1000000' };
    expect(calculateClosureSettlement(input).toDistribute).toBe('-5000000');
    const input1 = { ...example1, income: '10000000.51', costs: '14000000', carriedForward: '-1000000' };
    expect(calculateClosureSettlement(input1).toDistribute).toBe('-4999999');
    const input2 = { ...example1, income: '10000000', costs: '14000000.50', carriedForward: '-1000000' };
    expect(calculateClosureSettlement(input2).toDistribute).toBe('-5000001');
  });

  it('rounds 5 % of a turnover with øre half away from zero', () => {
    // 5 % of 20.000.010 = 1.000.000,50 → 1.000.001.
    const r = calculateClosureSettlement({ ...example1, turnoverDecisionYear: '20000010' });
    expect(r.ownRisk).toBe('1000001');
    expect(r.settled).toBe('3999999');
  });

  it('gives an exact tie between payers to the earlier payer in input order', () => {
    // Settled 3 split 1 : 1 → 1.5 each; the earlier payer gets the extra krone.
    const tiny = {
      operatorType: 'municipal' as const,
      structure: 'standalone' as const,
      turnoverDecisionYear: '0',
      income: '0',
      costs: '3',
      payers: [
        { id: 'B', turnoverYearMinus2: '5', turnoverYearMinus1: '5' },
        { id: 'A', turnoverYearMinus2: '10', turnoverYearMinus1: '0' },
      ],
    };
    expect(calculateClosureSettlement(tiny).shares).toEqual([
      { id: 'B', amount: '2' },
      { id: 'A', amount: '1' },
    ]);
    const surplus = calculateClosureSettlement({ ...tiny, income: '3', costs: '0' });
    expect(surplus.shares).toEqual([
      { id: 'B', amount: '-2' },
      { id: 'A', amount: '-1' },
    ]);
  });

  it('gives an exact tie between the closing tilbud and the other units to the closing tilbud', () => {
    // Base 2 → own risk round(0.10) = 0; the burden 3 splits 1 : 1 → 1.5 each.
    const r = calculateClosureSettlement({
      ...example2,
      turnoverDecisionYear: '1',
      otherUnitsTurnoverDecisionYear: '1',
      income: '0',
      costs: '0',
      carriedForward: '-3',
    });
    expect(r.ownRisk).toBe('0');
    expect(r.settled).toBe('2');
    expect(r.toOtherUnits).toBe('1');
  });
});

describe('closure settlement: closure by an authority', () => {
  it('leaves the whole deficit with the driftsherre and distributes nothing', () => {
    const r = calculateClosureSettlement({ ...example1, closedByAuthority: true });
    expect(r.toDistribute).toBe('-5000000');
    expect(r.ownRisk).toBe('5000000');
    expect(r.toOtherUnits).toBe('0');
    expect(r.settled).toBe('0');
    expect(r.shares.map((s) => s.amount)).toEqual(['0', '0', '0']);
    expect(r.operatorTotal).toBe('5000000');
    expect(r.warnings).toEqual([]);
  });

  it('lets the driftsherre keep a surplus and warns that the rule only names deficits', () => {
    const r = calculateClosureSettlement({ ...mirrored(example2), closedByAuthority: true });
    expect(r.toDistribute).toBe('5000000');
    expect(r.operatorTotal).toBe('-5000000');
    expect(r.settled).toBe('0');
    expect(r.warnings.some((w) => w.includes('overskud'))).toBe(true);
  });

  it('does not need payers or other units when closed by an authority', () => {
    const r = calculateClosureSettlement({
      operatorType: 'municipal',
      structure: 'economicUnit',
      closedByAuthority: true,
      turnoverDecisionYear: '20000000',
      income: '1',
      costs: '2',
    });
    expect(r.operatorTotal).toBe('1');
    expect(r.shares).toEqual([]);
  });

  it('applies to regional tilbud too, with a warning', () => {
    const r = calculateClosureSettlement({ ...example4, closedByAuthority: true });
    expect(r.settled).toBe('0');
    expect(r.operatorTotal).toBe('4000000');
    expect(r.shares.map((s) => s.amount)).toEqual(['0', '0']);
    expect(r.warnings.length).toBeGreaterThan(0);
  });
});

describe('closure settlement: input validation (Danish messages with a path)', () => {
  it('accepts the four examples', () => {
    for (const input of [example1, example2, example3, example4]) expect(issuesOf(input)).toEqual([]);
  });

  it('rejects money that is not kroner as a string', () => {
    const issues = issuesOf({ ...example1, income: '10.000.000', costs: 14000000, turnoverDecisionYear: '20000000,50' });
    expect(issues).toContainEqual({ path: 'income', message: 'Skal være et beløb i kroner, fx 20000000 eller 20000000.50' });
    expect(issues).toContainEqual({
      path: 'turnoverDecisionYear',
      message: 'Skal være et beløb i kroner, fx 20000000 eller 20000000.50',
    });
    expect(issues.find((i) => i.path === 'costs')?.message).toMatch(/tekst/);
  });

  it('rejects three decimals, leading zeros and a negative turnover', () => {
    expect(issuesOf({ ...example1, income: '1.005' }).map((i) => i.path)).toEqual(['income']);
    expect(issuesOf({ ...example1, income: '0100' }).map((i) => i.path)).toEqual(['income']);
    expect(issuesOf({ ...example1, turnoverDecisionYear: '-5' })).toEqual([
      { path: 'turnoverDecisionYear', message: 'Beløbet må ikke være negativt' },
    ]);
  });

  it('accepts a signed carriedForward and rejects a malformed one', () => {
    expect(issuesOf({ ...example1, carriedForward: '-1000000.50' })).toEqual([]);
    expect(issuesOf({ ...example1, carriedForward: '+5' }).map((i) => i.path)).toEqual(['carriedForward']);
  });

  it('says which field is missing', () => {
    const { income: _income, ...withoutIncome } = example1;
    expect(issuesOf(withoutIncome)).toEqual([{ path: 'income', message: 'Skal udfyldes' }]);
    expect(issuesOf({ ...example1, operatorType: 'private' })[0]?.path).toBe('operatorType');
  });

  it('requires at least one payer for a municipal tilbud', () => {
    expect(issuesOf({ ...example1, payers: [] })).toEqual([
      { path: 'payers', message: 'Angiv mindst én betalingskommune (driftsherren medregnes for egne borgere)' },
    ]);
  });

  it('rejects duplicate payer ids and two operators', () => {
    const payers = [
      { id: 'Kolding', turnoverYearMinus2: '1', turnoverYearMinus1: '1', isOperator: true },
      { id: 'Kolding', turnoverYearMinus2: '1', turnoverYearMinus1: '1', isOperator: true },
    ];
    const issues = issuesOf({ ...example1, payers });
    expect(issues).toContainEqual({ path: 'payers.1.id', message: 'Betalingskommunen "Kolding" er angivet mere end én gang' });
    expect(issues).toContainEqual({
      path: 'payers.1.isOperator',
      message: 'Kun én betalingskommune kan være markeret som driftsherre',
    });
  });

  it('requires the other units turnover for an economic unit', () => {
    const { otherUnitsTurnoverDecisionYear: _o, ...input } = example2;
    expect(issuesOf(input).map((i) => i.path)).toEqual(['otherUnitsTurnoverDecisionYear']);
    const { otherUnitsTurnoverDecisionYear: _p, ...regional } = example4;
    expect(issuesOf(regional).map((i) => i.path)).toEqual(['otherUnitsTurnoverDecisionYear']);
  });

  it('requires other regional tilbud with the right key for a regional closure', () => {
    expect(issuesOf({ ...example3, otherRegionalTilbud: [] }).map((i) => i.path)).toEqual(['otherRegionalTilbud']);
    const missingBudget = { ...example3, otherRegionalTilbud: [{ id: 'A', turnover: '5' }] };
    expect(issuesOf(missingBudget).map((i) => i.path)).toEqual(['otherRegionalTilbud.0.costBudget']);
    const missingTurnover = { ...example4, otherRegionalTilbud: [{ id: 'A', costBudget: '5' }] };
    expect(issuesOf(missingTurnover).map((i) => i.path)).toEqual(['otherRegionalTilbud.0.turnover']);
    const duplicate = {
      ...example3,
      otherRegionalTilbud: [
        { id: 'A', costBudget: '5' },
        { id: 'A', costBudget: '6' },
      ],
    };
    expect(issuesOf(duplicate).map((i) => i.path)).toEqual(['otherRegionalTilbud.1.id']);
  });

  it('rejects all-zero weights when something must be distributed', () => {
    const zeroPayers = [{ id: 'A', turnoverYearMinus2: '0', turnoverYearMinus1: '0' }];
    const issues = issuesOf({ ...example1, payers: zeroPayers });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('payers');
    expect(issues[0]!.message).toContain('4000000 kr. kan ikke fordeles');

    const zeroBudgets = { ...example3, otherRegionalTilbud: [{ id: 'A', costBudget: '0' }] };
    expect(issuesOf(zeroBudgets).map((i) => i.path)).toEqual(['otherRegionalTilbud']);

    const zeroUnit = { ...example2, turnoverDecisionYear: '0', otherUnitsTurnoverDecisionYear: '0' };
    expect(issuesOf(zeroUnit).map((i) => i.path)).toEqual(['turnoverDecisionYear']);
  });

  it('throws the ZodError from calculateClosureSettlement on invalid input', () => {
    expect(() => calculateClosureSettlement({ ...example1, payers: [] })).toThrow(ZodError);
  });
});

describe('closure settlement: ignored fields are reported', () => {
  it('warns about payers on a regional closure and about a missing operator flag', () => {
    expect(calculateClosureSettlement({ ...example3, payers: payers33 }).warnings.join(' ')).toContain('payers');
    const noOperator = payers33.map((p) => ({ ...p, isOperator: false }));
    const r = calculateClosureSettlement({ ...example1, payers: noOperator });
    expect(r.operatorTotal).toBe('1000000');
    expect(r.warnings.join(' ')).toContain('driftsherre');
  });
});
