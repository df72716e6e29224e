import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calculateYearEndRegulation, reserveStatus } from '../../../domain/other/surplus-carry-forward';

describe('Annual over-/underskud, Bilag 10 (002:2640-2675; rammeaftale.md §6; other-procedures.md §10.5, A9)', () => {
  it('cost budget 20.000.000, surplus 1.500.000 (7,5 %) in 2024 → reserve 1.000.000 to 2029, 500.000 off the 2026 rate', () => {
    expect(
      calculateYearEndRegulation({ result: '1500000', resultSign: 'positiveIsSurplus', base: '20000000', resultYear: 2024 }),
    ).toEqual({
      kind: 'overskud',
      amount: '1500000',
      percentOfBase: '7.50',
      cap: '1000000',
      withinCap: '1000000',
      beyondCap: '500000',
      withinTreatment: 'hensaettelse',
      beyondTreatment: 'takstreduktion',
      reserveUseByYear: 2029,
      latestTakstYear: 2026,
      warnings: [],
    });
  });

  it('base 100.000.000, deficit 6.000.000 → 5.000.000 covered locally, 1.000.000 surcharge by year +2', () => {
    const r = calculateYearEndRegulation({ result: '-6000000', resultSign: 'positiveIsSurplus', base: '100000000', resultYear: 2023 });
    expect(r).toMatchObject({
      kind: 'underskud',
      withinCap: '5000000',
      beyondCap: '1000000',
      withinTreatment: 'daekkesLokalt',
      beyondTreatment: 'taksttillaeg',
      latestTakstYear: 2025,
    });
    expect(r.reserveUseByYear).toBeUndefined();
  });

  it('base 100.000.000, surplus 3.000.000 → all reserve, nothing into the rate', () => {
    const r = calculateYearEndRegulation({ result: '3000000', resultSign: 'positiveIsSurplus', base: '100000000', resultYear: 2023 });
    expect(r).toMatchObject({ withinCap: '3000000', beyondCap: '0', beyondTreatment: null, reserveUseByYear: 2028 });
    expect(r.latestTakstYear).toBeUndefined();
  });

  it('reads Bilag 14’s convention (positive = deficit) when told so', () => {
    // Bilag 14 Eksempel 1, Enhed 3: accumulated 4.500 on a budget of 40.000 (11,25 %).
    const r = calculateYearEndRegulation({ result: '4500', resultSign: 'positiveIsDeficit', base: '40000', resultYear: 2024 });
    expect(r).toMatchObject({ kind: 'underskud', percentOfBase: '11.25', withinCap: '2000', beyondCap: '2500' });
  });

  it('requires the sign convention explicitly, with a Danish message', () => {
    // @ts-expect-error the field is required on purpose
    expect(() => calculateYearEndRegulation({ result: '1', base: '100', resultYear: 2024 })).toThrow(
      /Fortegnskonvention for resultatet \(resultSign\)/,
    );
  });

  it('warns when the threshold departs from 5 pct. (only KKR can recommend another model)', () => {
    const r = calculateYearEndRegulation({
      result: '1500000',
      resultSign: 'positiveIsSurplus',
      base: '20000000',
      resultYear: 2024,
      thresholdPercent: '6',
    });
    expect(r.beyondCap).toBe('300000');
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toContain('002:2674-2675');
  });

  it('property: within + beyond = |result|, within ≤ cap, and the two sign conventions mirror each other', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 10n), max: 10n ** 10n }),
        fc.bigInt({ min: 1n, max: 10n ** 11n }),
        fc.integer({ min: 2000, max: 2090 }),
        (result, base, year) => {
          const r = calculateYearEndRegulation({ result: result.toString(), resultSign: 'positiveIsSurplus', base: base.toString(), resultYear: year });
          const abs = result < 0n ? -result : result;
          expect(BigInt(r.withinCap) + BigInt(r.beyondCap)).toBe(abs);
          expect(BigInt(r.withinCap) <= BigInt(r.cap)).toBe(true);
          // The cap is 5 % of the base to the krone: |cap·20 − base| ≤ 10.
          const capErr = BigInt(r.cap) * 20n - base;
          expect(capErr <= 10n && capErr >= -10n).toBe(true);
          const mirrored = calculateYearEndRegulation({
            result: (-result).toString(),
            resultSign: 'positiveIsDeficit',
            base: base.toString(),
            resultYear: year,
          });
          expect(mirrored).toEqual(r);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('Set-aside surpluses expire after 5 years (002:2654-2655)', () => {
  it('a 2018 reserve is usable through 2023 and due for the rate in 2024', () => {
    const r = reserveStatus({
      asOfYear: 2024,
      reserves: [
        { resultYear: 2018, amount: '400000', used: '100000' },
        { resultYear: 2019, amount: '250000' },
        { resultYear: 2023, amount: '1000000', used: '1000000' },
      ],
    });
    expect(r.reserves).toEqual([
      { resultYear: 2018, remaining: '300000', useByYear: 2023, expired: true },
      { resultYear: 2019, remaining: '250000', useByYear: 2024, expired: false },
      { resultYear: 2023, remaining: '0', useByYear: 2028, expired: false },
    ]);
    expect(r.dueForTakst).toBe('300000');
    expect(r.available).toBe('250000');
  });

  it('rejects using more than was set aside', () => {
    expect(() => reserveStatus({ asOfYear: 2024, reserves: [{ resultYear: 2020, amount: '1', used: '2' }] })).toThrow(
      /Anvendt af det hensatte \(reserves\[\]\.used\) må ikke være større end det hensatte beløb/,
    );
  });

  it('property: due + available = total unused', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ year: fc.integer({ min: 2000, max: 2040 }), amount: fc.nat(10_000_000), usedPct: fc.integer({ min: 0, max: 100 }) }), {
          maxLength: 10,
        }),
        fc.integer({ min: 2000, max: 2050 }),
        (rs, asOf) => {
          const reserves = rs.map((x) => ({
            resultYear: x.year,
            amount: String(x.amount),
            used: String(Math.floor((x.amount * x.usedPct) / 100)),
          }));
          const r = reserveStatus({ asOfYear: asOf, reserves });
          const unused = reserves.reduce((a, x) => a + BigInt(x.amount) - BigInt(x.used), 0n);
          expect(BigInt(r.dueForTakst) + BigInt(r.available)).toBe(unused);
        },
      ),
      { numRuns: 200 },
    );
  });
});
