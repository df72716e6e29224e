import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ZodError } from 'zod';
import { calculateTakeover, takeoverDeadlines, type TakeoverInput } from '../../../domain/other/regional-takeover';

// Bilag 14, seed 002:3207-3246 (Eksempel 1) and 002:3247-3287 (Eksempel 2); rammeaftale.md §14.2, G-T1/G-T2.
function example(enhed3Income: string, enhed3Carried: string, printedSign: 1 | -1): TakeoverInput {
  const s = (x: string) => (printedSign < 0 ? `-${x}` : x);
  const line = printedSign < 0 ? 3283 : 3242;
  return {
    unit: 'mio. kr.',
    units: [
      { name: 'Enhed 1', costBudget: '20000', income: '-20000', costs: '20500', carriedFromPriorYears: '500' },
      { name: 'Enhed 2', costBudget: '20000', income: '-20500', costs: '20000', carriedFromPriorYears: '-500' },
      { name: 'Enhed 3', costBudget: '40000', income: enhed3Income, costs: '40000', carriedFromPriorYears: enhed3Carried },
    ],
    transferred: ['Enhed 1'],
    printed: {
      annualResult: { value: s('2000'), source: `002:${line - 12}` },
      accumulatedResult: { value: s('4500'), source: `002:${line - 6}` },
      percentOfBudget: { value: s('5.6'), source: `002:${line - 4}` },
      carriedYearPlus1: { value: s('3375'), source: `002:${line}` },
      regulatedYearPlus2: { value: '0', source: `002:${line + 2}` },
      transferred: { value: s('1125'), source: `002:${line + 4}` },
    },
  };
}
const ex1 = example('-38000', '2500', 1);
const ex2 = example('-42000', '-2500', -1);

describe('Takeover of a regional tilbud, Bilag 14', () => {
  it('Eksempel 1 (accumulated deficit): reproduces every printed line and transfers 1.125, keeps 3.375', () => {
    const r = calculateTakeover(ex1);
    expect(r.units.map((u) => [u.annualResult, u.accumulatedResult, u.percentOfBudget])).toEqual([
      ['500', '1000', '5.0'],
      ['-500', '-1000', '-5.0'],
      ['2000', '4500', '11.3'],
    ]);
    expect(r.total).toEqual({
      costBudget: '80000',
      income: '-78500',
      costs: '80500',
      annualResult: '2000',
      carriedFromPriorYears: '2500',
      accumulatedResult: '4500',
      percentOfBudget: '5.6',
    });
    expect(r.kind).toBe('underskud');
    expect(r.transferred).toBe('1125'); // 4.500 × 20.000 / 80.000, of the unit total, not Enhed 1's own 1.000
    expect(r.remaining).toBe('3375');
  });

  it('Eksempel 2 (accumulated surplus): the mirror image, −1.125 and −3.375', () => {
    const r = calculateTakeover(ex2);
    expect(r.units.map((u) => u.percentOfBudget)).toEqual(['5.0', '-5.0', '-11.3']);
    expect(r.total.income).toBe('-82500');
    expect(r.total.annualResult).toBe('-2000');
    expect(r.total.accumulatedResult).toBe('-4500');
    expect(r.total.percentOfBudget).toBe('-5.6');
    expect(r.kind).toBe('overskud');
    expect(r.transferred).toBe('-1125');
    expect(r.remaining).toBe('-3375');
  });

  it('A-27: by Bilag 10 the remainder is 5,6 % of the remaining budget, yet the example regulates 0 in year +2', () => {
    const r = calculateTakeover(ex1);
    expect(r.carriedYearPlus1).toBe('3000'); // 5 % of the remaining 60.000
    expect(r.regulatedYearPlus2).toBe('375');
    const warnings = r.warnings.filter((w) => !w.startsWith('Beløbene er angivet i mio. kr.'));
    expect(warnings).toEqual([
      'Videreføres i driften år +1: beregnet 3.000, men trykt 3.375 (002:3242); den beregnede værdi anvendes.',
      'Efterreguleres i taksterne år +2: beregnet 375, men trykt 0 (002:3244); den beregnede værdi anvendes.',
      'Resten efter overdragelsen (3.375) er 5,6 % af grundlaget, dvs. over 5 pct., men eksemplet efterregulerer 0 i ' +
        'taksterne (002:3244); efter bilag 10 skal den del, der overstiger grænsen, indregnes senest år +2 (002:2648-2667).',
    ]);
    const r2 = calculateTakeover(ex2);
    expect([r2.carriedYearPlus1, r2.regulatedYearPlus2]).toEqual(['-3000', '-375']);
  });

  it('measuring the 5 pct. against the whole unit before the takeover reproduces the printed 3.375 / 0', () => {
    for (const ex of [ex1, ex2]) {
      const r = calculateTakeover({ ...ex, thresholdBase: 'totalBudgetBeforeTakeover' });
      expect(r.regulatedYearPlus2).toBe('0');
      expect(r.carriedYearPlus1).toBe(r.remaining);
      expect(r.warnings.filter((w) => !w.startsWith('Beløbene er angivet i mio. kr.'))).toEqual([]);
    }
  });

  it('A-26: flags the "Mio. kr." header as implausible, and the result does not depend on the unit', () => {
    const r = calculateTakeover(ex1);
    expect(r.warnings[0]).toContain('40.000 mio. kr. for én enhed er ikke realistisk');
    expect(r.warnings[0]).toContain('002:3216');
    const inThousands = calculateTakeover({ ...ex1, unit: '1.000 kr.' });
    expect(inThousands.warnings.some((w) => w.includes('ikke realistisk'))).toBe(false);
    expect([inThousands.transferred, inThousands.remaining]).toEqual(['1125', '3375']);
  });

  it('enforces the sign convention: income must be entered as a negative amount', () => {
    const bad = { ...ex1, units: ex1.units.map((u) => ({ ...u, income: u.income.replace('-', '') })) };
    expect(() => calculateTakeover(bad)).toThrow(/Indtægter \(units\[\]\.income\) må ikke være større end 0\. Indtægter angives med negativt fortegn/);
    try {
      calculateTakeover({ ...ex1, transferred: ['Enhed 9'] });
      expect.unreachable();
    } catch (e) {
      expect((e as ZodError).issues.map((i) => i.message)).toEqual(['Overdragne enheder (transferred): "Enhed 9" er ikke en af enhederne.']);
    }
  });

  it('property: transferred + remaining = accumulated total; carried + regulated = remaining; sign symmetric', () => {
    const amount = fc.integer({ min: -5_000_000, max: 5_000_000 });
    const unitArb = fc.record({
      budget: fc.integer({ min: 1, max: 100_000_000 }),
      income: fc.integer({ min: 0, max: 100_000_000 }),
      costs: fc.integer({ min: 0, max: 100_000_000 }),
      carried: amount,
    });
    fc.assert(
      fc.property(fc.array(unitArb, { minLength: 1, maxLength: 6 }), fc.nat(), (us, pick) => {
        const mk = (flip: boolean): TakeoverInput => ({
          units: us.map((u, i) => ({
            name: `E${i}`,
            costBudget: String(u.budget),
            // Swapping income and costs and negating the carry-over negates every result.
            income: String(-(flip ? u.costs : u.income)),
            costs: String(flip ? u.income : u.costs),
            carriedFromPriorYears: String(flip ? -u.carried : u.carried),
          })),
          transferred: [`E${pick % us.length}`],
        });
        const r = calculateTakeover(mk(false));
        const acc = BigInt(r.total.accumulatedResult);
        expect(BigInt(r.transferred) + BigInt(r.remaining)).toBe(acc);
        expect(BigInt(r.carriedYearPlus1) + BigInt(r.regulatedYearPlus2)).toBe(BigInt(r.remaining));
        expect(r.units.reduce((a, u) => a + BigInt(u.accumulatedResult), 0n)).toBe(acc);
        const m = calculateTakeover(mk(true));
        const neg = (s: string) => (s === '0' ? '0' : s.startsWith('-') ? s.slice(1) : `-${s}`);
        expect(m.total.accumulatedResult).toBe(neg(r.total.accumulatedResult));
        // Largest remainder breaks ties by order, so the mirrored split may differ by 1 kr. at most.
        const d = BigInt(m.transferred) + BigInt(r.transferred);
        expect(d >= -1n && d <= 1n).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('Takeover deadlines (A9; 002:3191-3194)', () => {
  it('electoral period 2022-25: notify the region by 2024-01-01, take over by 2025-01-01', () => {
    expect(takeoverDeadlines({ electionPeriodStartYear: 2022 })).toEqual({
      notifyRegionBy: '2024-01-01',
      takeoverBy: '2025-01-01',
      warnings: [],
    });
    expect(takeoverDeadlines({ electionPeriodStartYear: 2026 }).takeoverBy).toBe('2029-01-01');
  });

  it('warns on a start year that does not begin a municipal electoral period', () => {
    expect(takeoverDeadlines({ electionPeriodStartYear: 2023 }).warnings).toHaveLength(1);
  });
});
