import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  calculateRateGrid,
  rateChangePercent,
  rateForOffer,
  reconcileRateGrid,
  sizeCategoryIndex,
  supplementaryRate,
} from '../../../domain/other/socialtilsyn-rates';

const rates = (baseRate: string) => calculateRateGrid({ baseRate }).rates.map((r) => r.rate);

// Printed grids, seed 001:1589-1594 (basistakst), 001:1614-1619 (nygodkendelser), 001:1623-1628 (væsentlige ændringer).
const PRINTED = {
  basis2023: ['39081', '46897', '78161', '117242'],
  basis2024: ['38158', '45790', '76317', '114475'],
  nyg2023: ['27035', '32441', '54069', '81104'],
  nyg2024: ['26183', '31419', '52365', '78548'],
  vaes2023: ['7712', '9254', '15425', '23137'],
  vaes2024: ['7506', '9008', '15013', '22519'],
};

describe('Socialtilsyn rate grid, weights 1 : 1,2 : 2 : 3 (A2; 001:1585)', () => {
  it('reproduces the printed 2024 grids from a single base, rounded half up', () => {
    expect(rates('38158.33')).toEqual(PRINTED.basis2024);
    expect(rates('39080.67')).toEqual(PRINTED.basis2023);
    expect(rates('26182.6')).toEqual(PRINTED.nyg2024);
    expect(rates('7506.4')).toEqual(PRINTED.vaes2024);
  });

  it('labels the four size categories', () => {
    expect(calculateRateGrid({ baseRate: '38158.33' }).rates.map((r) => [r.category, r.weight])).toEqual([
      ['1-7 pladser', '1'],
      ['8-24 pladser', '1.2'],
      ['25-49 pladser', '2'],
      ['50+ pladser', '3'],
    ]);
  });

  it('puts offers in the right category at the boundaries 7/8, 24/25, 49/50', () => {
    const r = (places: number) => rateForOffer({ baseRate: '38158.33', places });
    expect(r(1)).toEqual({ category: '1-7 pladser', rate: '38158', warnings: [] });
    expect(r(7)).toMatchObject({ category: '1-7 pladser', rate: '38158' });
    expect(r(8)).toMatchObject({ category: '8-24 pladser', rate: '45790' });
    expect(r(24).rate).toBe('45790');
    expect(r(25).rate).toBe('76317');
    expect(r(49)).toMatchObject({ category: '25-49 pladser', rate: '76317' });
    expect(r(50)).toMatchObject({ category: '50+ pladser', rate: '114475' });
    expect(r(350).rate).toBe('114475');
    expect(() => sizeCategoryIndex(0)).toThrow(/Antal pladser \(places\) skal være mindst 1/);
    expect(() => sizeCategoryIndex(7.5)).toThrow(/helt tal/);
  });

  it('tillægstakst: 10 hours × 577 kr. (2024, 001:1632) = 5.770 kr.', () => {
    expect(supplementaryRate({ hours: '10', hourlyRate: '577' })).toEqual({ amount: '5770', warnings: [] });
    expect(supplementaryRate({ hours: '2.5', hourlyRate: '577' })).toEqual({ amount: '1443', warnings: [] }); // 1.442,5 half up
  });

  it('rejects a base of 0 with a Danish message naming the field', () => {
    expect(() => calculateRateGrid({ baseRate: '0' })).toThrow(/Grundtakst \(vægt 1\) \(baseRate\) skal være større end 0/);
    expect(() => calculateRateGrid({ baseRate: '38.158,33' })).toThrow(/baseRate/);
  });
});

describe('Reconstructing the base from a printed grid', () => {
  it('finds a base interval for every printed grid except væsentlige ændringer 2023', () => {
    for (const key of ['basis2023', 'basis2024', 'nyg2023', 'nyg2024', 'vaes2024'] as const) {
      const r = reconcileRateGrid({ rates: PRINTED[key], source: '001' });
      expect(r.warnings, key).toEqual([]);
      expect(r.deviations, key).toEqual(['0', '0', '0', '0']);
      expect(rates(r.referenceBase), key).toEqual(PRINTED[key]);
    }
    // other-procedures.md §3.4: 2024 base ∈ [38.158,25 ; 38.158,50], 2023 base ∈ [39.080,50 ; 39.080,75].
    const b24 = reconcileRateGrid({ rates: PRINTED.basis2024, source: '001:1589-1594' });
    expect([b24.baseFrom, b24.baseTo]).toEqual(['38158.25', '38158.5']);
    const b23 = reconcileRateGrid({ rates: PRINTED.basis2023, source: '001:1589-1594' });
    expect([b23.baseFrom, b23.baseTo]).toEqual(['39080.5', '39080.75']);
  });

  it('væsentlige ændringer 2023 (001:1625-1628): no single base fits; 1 kr. off, with a warning', () => {
    const r = reconcileRateGrid({ rates: PRINTED.vaes2023, source: '001:1625-1628' });
    expect(r.baseFrom).toBeNull();
    expect(r.baseTo).toBeNull();
    expect(r.referenceBase).toBe('7712.3333');
    expect(r.recomputed).toEqual(['7712', '9255', '15425', '23137']);
    expect(r.deviations).toEqual(['0', '1', '0', '0']);
    expect(r.warnings).toEqual([
      'Ingen fælles grundtakst med vægtene 1 : 1,2 : 2 : 3 giver alle fire trykte takster (001:1625-1628). ' +
        'Med grundtakst 7.712,33 kr. (fra kategorien 50+ pladser) afviger: 8-24 pladser beregnet 9.255 kr., trykt 9.254 kr.',
    ]);
  });

  it('property: any grid computed from a base reconciles, and the interval contains that base', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100_000, max: 20_000_000 }), (hundredths) => {
        const base = (hundredths / 100).toFixed(2);
        const grid = rates(base);
        const r = reconcileRateGrid({ rates: grid, source: 'test' });
        expect(r.warnings).toEqual([]);
        expect(Number(r.baseFrom)).toBeLessThanOrEqual(Number(base) + 1e-9);
        expect(Number(base)).toBeLessThan(Number(r.baseTo) + 1e-4);
        // Larger offers never pay less (weights are increasing), and the grid is deterministic.
        const ns = grid.map(BigInt);
        expect(ns[0]! <= ns[1]! && ns[1]! <= ns[2]! && ns[2]! <= ns[3]!).toBe(true);
        expect(rates(base)).toEqual(grid);
      }),
      { numRuns: 200 },
    );
  });
});

describe('Stated percentage changes (001:1596, 001:1630)', () => {
  it('basistakst "falder 2,4%", nygodkendelser "3,2%", væsentlige ændringer "ca. 2,7%" all reconcile', () => {
    const cases: [string, string, string, string][] = [
      ['39081', '38158', '-2.4', '-2.36'],
      ['117242', '114475', '-2.4', '-2.36'],
      ['27035', '26183', '-3.2', '-3.15'],
      ['7712', '7506', '-2.7', '-2.67'],
    ];
    for (const [from, to, printed, pct] of cases) {
      const r = rateChangePercent({ from, to, printedPercent: { value: printed, source: '001:1596' } });
      expect(r).toEqual({ percent: pct, warnings: [] });
    }
  });

  it('warns when a printed change does not match', () => {
    const r = rateChangePercent({ from: '39081', to: '38158', printedPercent: { value: '-2.5', source: 'x' } });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toContain('trykt −2,5 %');
  });
});
