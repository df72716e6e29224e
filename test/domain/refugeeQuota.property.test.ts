import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type Decimal from 'decimal.js';
import { D } from '../../domain/money';
import {
  calculateRefugeeQuotas,
  refugeeQuotaInputSchema,
  type RefugeeQuotaInput,
} from '../../domain/refugeeQuota';

const RUNS = { numRuns: 200 };
const REGIONS = ['Region A', 'Region B', 'Region C', 'Region D'] as const;

const municipality = fc.record({
  kommunenr: fc.integer({ min: 1, max: 999 }),
  region: fc.constantFrom(...REGIONS),
  population: fc.integer({ min: 0, max: 700_000 }),
  nonWesternForeigners: fc.integer({ min: 0, max: 60_000 }),
  familyReunified: fc.integer({ min: 0, max: 30 }),
});

const quotaInput: fc.Arbitrary<RefugeeQuotaInput> = fc
  .record({
    landstal: fc.integer({ min: 0, max: 3_000 }),
    municipalities: fc.uniqueArray(municipality, { selector: (m) => m.kommunenr, minLength: 1, maxLength: 25 }),
    quotas: fc.array(fc.integer({ min: 0, max: 200 }), { minLength: REGIONS.length, maxLength: REGIONS.length }),
  })
  .map(({ landstal, municipalities, quotas }) => {
    const present = REGIONS.filter((r) => municipalities.some((m) => m.region === r));
    const regionQuotas = Object.fromEntries(present.map((r) => [r, quotas[REGIONS.indexOf(r)]!]));
    return { landstal, regionQuotas, municipalities };
  });

/** Inputs the schema rejects (zero totals, a quota nobody can take) are covered by the unit tests. */
function valid(input: RefugeeQuotaInput): boolean {
  return refugeeQuotaInputSchema.safeParse(input).success;
}

function regionSums(quotas: readonly { region: string; quota: number }[]): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const q of quotas) sums[q.region] = (sums[q.region] ?? 0) + q.quota;
  return sums;
}

/** The formula of refugee-quota.md §2.5 written out directly, as an independent check of the module. */
function expectedIdeals(input: RefugeeQuotaInput): Map<number, { weight: Decimal; ideal: Decimal }> {
  const ms = input.municipalities;
  const P = ms.reduce((a, m) => a.plus(m.population), new D(0));
  const I = ms.reduce((a, m) => a.plus(m.nonWesternForeigners), new D(0));
  const F = ms.reduce((a, m) => a.plus(m.familyReunified), new D(0));
  const w = new Map(
    ms.map((m) => {
      const andel = new D(2).times(m.population).div(P).minus(new D(m.nonWesternForeigners).div(I));
      return [m.kommunenr, D.max(0, andel.times(F.plus(input.landstal)).minus(m.familyReunified))];
    }),
  );
  const out = new Map<number, { weight: Decimal; ideal: Decimal }>();
  for (const m of ms) {
    const regionWeight = ms.filter((x) => x.region === m.region).reduce((a, x) => a.plus(w.get(x.kommunenr)!), new D(0));
    const q = input.regionQuotas[m.region]!;
    const ideal = regionWeight.isZero() ? new D(0) : w.get(m.kommunenr)!.times(q).div(regionWeight);
    out.set(m.kommunenr, { weight: w.get(m.kommunenr)!, ideal });
  }
  return out;
}

describe('refugee quota properties', () => {
  it("each region's quotas are whole numbers ≥ 0 that add up to its regionskvote", () => {
    fc.assert(
      fc.property(quotaInput, (input) => {
        fc.pre(valid(input));
        const { quotas } = calculateRefugeeQuotas(input);
        expect(quotas).toHaveLength(input.municipalities.length);
        for (const q of quotas) expect(Number.isInteger(q.quota) && q.quota >= 0).toBe(true);
        expect(regionSums(quotas)).toEqual(input.regionQuotas);
      }),
      RUNS,
    );
  });

  it('weights and ideals follow the formula, and each quota is its ideal rounded down or up', () => {
    fc.assert(
      fc.property(quotaInput, (input) => {
        fc.pre(valid(input));
        const expected = expectedIdeals(input);
        for (const q of calculateRefugeeQuotas(input).quotas) {
          const e = expected.get(q.kommunenr)!;
          expect(q.weight).toBe(e.weight.toFixed(6, D.ROUND_HALF_UP));
          expect(q.ideal).toBe(e.ideal.toFixed(6, D.ROUND_HALF_UP));
          expect(q.quota === e.ideal.floor().toNumber() || q.quota === e.ideal.ceil().toNumber()).toBe(true);
          if (e.weight.isZero()) expect(q.quota).toBe(0);
        }
      }),
      RUNS,
    );
  });

  it('does not depend on the order of municipalities or regions in the input', () => {
    const withShuffle = quotaInput.chain((input) =>
      fc
        .tuple(
          fc.shuffledSubarray(input.municipalities, {
            minLength: input.municipalities.length,
            maxLength: input.municipalities.length,
          }),
          fc.shuffledSubarray(Object.entries(input.regionQuotas), {
            minLength: Object.keys(input.regionQuotas).length,
            maxLength: Object.keys(input.regionQuotas).length,
          }),
        )
        .map(([municipalities, quotas]) => ({
          input,
          shuffled: { ...input, municipalities, regionQuotas: Object.fromEntries(quotas) },
        })),
    );
    fc.assert(
      fc.property(withShuffle, ({ input, shuffled }) => {
        fc.pre(valid(input));
        expect(calculateRefugeeQuotas(shuffled)).toEqual(calculateRefugeeQuotas(input));
      }),
      RUNS,
    );
  });

  it('is deterministic and does not modify its input', () => {
    fc.assert(
      fc.property(quotaInput, (input) => {
        fc.pre(valid(input));
        const before = structuredClone(input);
        expect(calculateRefugeeQuotas(structuredClone(input))).toEqual(calculateRefugeeQuotas(input));
        expect(input).toEqual(before);
      }),
      RUNS,
    );
  });

  it('a changed landstal changes the split but never the region sums', () => {
    fc.assert(
      fc.property(quotaInput, fc.integer({ min: 0, max: 3_000 }), (input, landstal) => {
        const changed = { ...input, landstal };
        fc.pre(valid(input) && valid(changed));
        expect(regionSums(calculateRefugeeQuotas(changed).quotas)).toEqual(
          regionSums(calculateRefugeeQuotas(input).quotas),
        );
      }),
      RUNS,
    );
  });
});
