import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calculateMealServiceTakst, type MealServiceInput } from '../../../domain/other/meal-service-takst';

// Footnote 20/21, seed 002:2913-2916: 98 % occupancy, 4,4 % overhead + 0,5 % development.
const seedRates = { occupancyPercent: '98', overheadPercent: '4.4', developmentPercent: '0.5' } as const;

describe('Madservice takst, Bilag 11 (G-M1, G-M2; 002:2900-2916)', () => {
  it('(b) 5.000 kr./month → 5.352 kr. (printed "5.35220" = 5.352 with footnote 20)', () => {
    const r = calculateMealServiceTakst({ ...seedRates, monthlyCost: '5000', printedTakst: { value: '5352', source: '002:2903' } });
    expect(r).toEqual({
      takst: '5352',
      takstUnrounded: '5352.04',
      costInMealTakst: '5000',
      costToResidentialTakst: '0',
      capped: false,
      warnings: [],
    });
  });

  it('(c) the 2022 maximum own payment 3.880 kr. → at most 4.153 kr.; the cost above goes into the døgntakst', () => {
    const atCap = calculateMealServiceTakst({ ...seedRates, monthlyCost: '3880', printedTakst: { value: '4153', source: '002:2908' } });
    expect([atCap.takst, atCap.takstUnrounded, atCap.warnings]).toEqual(['4153', '4153.18', []]);
    const capped = calculateMealServiceTakst({ ...seedRates, monthlyCost: '5000', maxOwnPayment: '3880' });
    expect(capped).toMatchObject({ takst: '4153', costInMealTakst: '3880', costToResidentialTakst: '1120', capped: true });
    const below = calculateMealServiceTakst({ ...seedRates, monthlyCost: '3000', maxOwnPayment: '3880' });
    expect(below).toMatchObject({ takst: '3211', capped: false, costToResidentialTakst: '0' });
  });

  it('adds the surcharges (1 + 4,4 % + 0,5 %) rather than compounding them, which would give 5.353', () => {
    // The compounded reading is what a reader might try; the seed's 5.352 rules it out.
    const r = calculateMealServiceTakst({ ...seedRates, monthlyCost: '5000', printedTakst: { value: '5353', source: 'x' } });
    expect(r.takst).toBe('5352');
    expect(r.warnings).toEqual(['Takst for madservice: beregnet 5.352,04 kr., men trykt 5.353 kr. (x); den beregnede værdi anvendes.']);
  });

  it('enforces the Bilag 10 limits with Danish messages, and warns on occupancy above 100 %', () => {
    expect(() => calculateMealServiceTakst({ ...seedRates, overheadPercent: '4.5', monthlyCost: '5000' })).toThrow(
      /Overhead i procent \(overheadPercent\) må ikke være større end 4,4\. Overheadprocenten har en maksimumgrænse på 4,4 %/,
    );
    expect(() => calculateMealServiceTakst({ ...seedRates, developmentPercent: '0.6', monthlyCost: '5000' })).toThrow(/developmentPercent/);
    expect(() => calculateMealServiceTakst({ ...seedRates, occupancyPercent: '0', monthlyCost: '5000' })).toThrow(
      /Belægningsprocent \(occupancyPercent\) skal være større end 0/,
    );
    const over = calculateMealServiceTakst({ ...seedRates, occupancyPercent: '102', monthlyCost: '5000' });
    expect(over.warnings).toEqual(['Belægningsprocenten 102 % er over 100 %; den bør maksimalt være 100 % (002:2727).']);
  });

  it('property: never above the cap’s takst, monotone in cost, within ½ kr. of the exact value, deterministic', () => {
    const capTakst = BigInt(calculateMealServiceTakst({ ...seedRates, monthlyCost: '3880' }).takst);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: 0, max: 100_000 }), (c1, extra) => {
        const cost = (n: number) => (n / 100).toFixed(2);
        const input = (n: number): MealServiceInput => ({ ...seedRates, monthlyCost: cost(n), maxOwnPayment: '3880' });
        const a = calculateMealServiceTakst(input(c1));
        const b = calculateMealServiceTakst(input(c1 + extra));
        expect(BigInt(a.takst) <= BigInt(b.takst)).toBe(true);
        expect(BigInt(b.takst) <= capTakst).toBe(true);
        // exact = min(cost, 3880) × 1,049 / 0,98, in hundredths: |takst·98000 − min(c,388000)·1049| ≤ 49000
        const hundredths = BigInt(Math.min(c1, 388_000));
        const diff = BigInt(a.takst) * 98000n - hundredths * 1049n;
        expect(diff <= 49000n && diff >= -49000n).toBe(true);
        expect(calculateMealServiceTakst(input(c1))).toEqual(a);
      }),
      { numRuns: 200 },
    );
  });
});
