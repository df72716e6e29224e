import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type Decimal from 'decimal.js';
import { D } from '../../domain/money';
import {
  calculateClosureSettlement,
  closureSettlementInputSchema,
  type ClosureSettlementInput,
  type ClosureSettlementResult,
} from '../../domain/closureSettlement';

const RUNS = { numRuns: 200 };

// ---------------------------------------------------------------------------------------------------------------
// Generators: money as API strings, sometimes with øre, in ranges where the 5 % cap is sometimes and sometimes
// not binding; weights sometimes tiny so that exact ties in the largest-remainder step actually occur.
// ---------------------------------------------------------------------------------------------------------------

function kroner(maxWhole: bigint): fc.Arbitrary<string> {
  return fc
    .tuple(fc.bigInt({ min: 0n, max: maxWhole }), fc.option(fc.integer({ min: 0, max: 99 }), { freq: 3 }))
    .map(([k, ore]) => (ore === null ? k.toString() : `${k}.${String(ore).padStart(2, '0')}`));
}

const amount = fc.oneof(kroner(1_000n), kroner(100_000_000n), kroner(10_000_000_000n));
const signedAmount = fc.tuple(fc.boolean(), amount).map(([neg, a]) => (neg && new D(a).gt(0) ? `-${a}` : a));
const weight = fc.oneof(fc.bigInt({ min: 0n, max: 3n }).map(String), kroner(50_000_000n));

const payers = fc
  .uniqueArray(
    fc.record({
      id: fc.string({ minLength: 1, maxLength: 6 }),
      turnoverYearMinus2: weight,
      turnoverYearMinus1: weight,
    }),
    { selector: (p) => p.id, minLength: 1, maxLength: 8 },
  )
  .chain((ps) =>
    fc.option(fc.nat({ max: ps.length - 1 })).map((op) => ps.map((p, i) => ({ ...p, isOperator: i === op }))),
  );

const regionalTilbud = fc.uniqueArray(
  fc.record({ id: fc.string({ minLength: 1, maxLength: 6 }), costBudget: weight, turnover: weight }),
  { selector: (t) => t.id, minLength: 1, maxLength: 8 },
);

const common = {
  structure: fc.constantFrom('standalone' as const, 'economicUnit' as const),
  turnoverDecisionYear: amount,
  otherUnitsTurnoverDecisionYear: amount,
  income: amount,
  costs: amount,
  carriedForward: signedAmount,
};

const municipalInput: fc.Arbitrary<ClosureSettlementInput> = fc.record({
  operatorType: fc.constant('municipal' as const),
  ...common,
  payers,
});

const regionalInput: fc.Arbitrary<ClosureSettlementInput> = fc.record({
  operatorType: fc.constant('regional' as const),
  ...common,
  otherRegionalTilbud: regionalTilbud,
});

const anyInput = fc
  .tuple(fc.oneof(municipalInput, regionalInput), fc.boolean(), fc.boolean())
  .map(([input, authority, setAuthority]) => (setAuthority ? { ...input, closedByAuthority: authority } : input));

/** Only inputs the schema accepts are settled; all-zero weights are a validation error, tested elsewhere. */
function valid(input: ClosureSettlementInput): boolean {
  return closureSettlementInputSchema.safeParse(input).success;
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

const dec = (s: string): Decimal => new D(s);
const total = (xs: readonly string[]): Decimal => xs.reduce((a, x) => a.plus(x), new D(0));

function signOk(amount: string, expectedSign: number): boolean {
  const a = dec(amount);
  return a.isZero() || a.s === expectedSign;
}

function negated(s: string): string {
  return s.startsWith('-') ? s.slice(1) : s === '0' ? s : `-${s}`;
}

function mirrored(input: ClosureSettlementInput): ClosureSettlementInput {
  return { ...input, income: input.costs, costs: input.income, carriedForward: negated(input.carriedForward ?? '0') };
}

function amountsById(r: ClosureSettlementResult): Map<string, string> {
  return new Map(r.shares.map((s) => [s.id, s.amount]));
}

function payerWeight(p: { turnoverYearMinus2: string; turnoverYearMinus1: string }): Decimal {
  return dec(p.turnoverYearMinus2).plus(p.turnoverYearMinus1);
}

// ---------------------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------------------

describe('closure settlement properties', () => {
  it('toDistribute is income − costs + carriedForward rounded half away from zero', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        fc.pre(valid(input));
        const exact = dec(input.income).minus(input.costs).plus(input.carriedForward ?? '0');
        const expected = exact.abs().toDecimalPlaces(0, D.ROUND_HALF_UP).times(exact.isNegative() ? -1 : 1);
        expect(dec(calculateClosureSettlement(input).toDistribute).eq(expected)).toBe(true);
      }),
      RUNS,
    );
  });

  it('municipal: parts add up to the burden and the shares add up to the settled amount', () => {
    fc.assert(
      fc.property(municipalInput, (input) => {
        fc.pre(valid(input));
        const r = calculateClosureSettlement(input);
        const burden = dec(r.toDistribute).negated();
        expect(total([r.ownRisk, r.toOtherUnits, r.settled]).eq(burden)).toBe(true);
        expect(total(r.shares.map((s) => s.amount)).eq(dec(r.settled))).toBe(true);
        const operator = input.payers!.findIndex((p) => p.isOperator);
        const operatorShare = operator >= 0 ? r.shares[operator]!.amount : '0';
        expect(total([r.ownRisk, r.toOtherUnits, operatorShare]).eq(dec(r.operatorTotal))).toBe(true);
        if (input.structure === 'standalone') expect(r.toOtherUnits).toBe('0');
      }),
      RUNS,
    );
  });

  it('municipal: own risk is 5 % of the turnover base (rounded), capped by the burden', () => {
    fc.assert(
      fc.property(municipalInput, (input) => {
        fc.pre(valid(input));
        const r = calculateClosureSettlement(input);
        const base =
          input.structure === 'economicUnit'
            ? dec(input.turnoverDecisionYear).plus(input.otherUnitsTurnoverDecisionYear!)
            : dec(input.turnoverDecisionYear);
        const cap = base.times('0.05').toDecimalPlaces(0, D.ROUND_HALF_UP);
        expect(dec(r.ownRisk).abs().eq(D.min(cap, dec(r.toDistribute).abs()))).toBe(true);
      }),
      RUNS,
    );
  });

  it('regional: own risk and settled add up to the burden; stand-alone has no own risk', () => {
    fc.assert(
      fc.property(regionalInput, (input) => {
        fc.pre(valid(input) && !input.closedByAuthority);
        const r = calculateClosureSettlement(input);
        const burden = dec(r.toDistribute).negated();
        expect(r.toOtherUnits).toBe('0');
        expect(dec(r.ownRisk).plus(r.settled).eq(burden)).toBe(true);
        expect(total(r.shares.map((s) => s.amount)).eq(dec(r.settled))).toBe(true);
        expect(dec(r.operatorTotal).eq(burden)).toBe(true);
        if (input.structure === 'standalone') expect(r.ownRisk).toBe('0');
      }),
      RUNS,
    );
  });

  it('every amount has the sign of the burden (deficit positive, surplus negative)', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        fc.pre(valid(input));
        const r = calculateClosureSettlement(input);
        const sign = -dec(r.toDistribute).s;
        for (const a of [r.ownRisk, r.toOtherUnits, r.settled, r.operatorTotal, ...r.shares.map((s) => s.amount)]) {
          expect(signOk(a, sign)).toBe(true);
          expect(a).toMatch(/^-?(0|[1-9]\d*)$/);
        }
      }),
      RUNS,
    );
  });

  it('each share is its exact proportional part rounded down or up (largest remainder)', () => {
    fc.assert(
      fc.property(fc.oneof(municipalInput, regionalInput), (input) => {
        fc.pre(valid(input) && !input.closedByAuthority);
        const r = calculateClosureSettlement(input);
        const weights =
          input.operatorType === 'municipal'
            ? input.payers!.map(payerWeight)
            : input.otherRegionalTilbud!.map((t) => dec(input.structure === 'standalone' ? t.costBudget! : t.turnover!));
        const sum = total(weights.map(String));
        r.shares.forEach((s, i) => {
          const ideal = sum.isZero() ? new D(0) : dec(r.settled).abs().times(weights[i]!).div(sum);
          const got = dec(s.amount).abs();
          expect(got.gte(ideal.floor()) && got.lte(ideal.ceil())).toBe(true);
        });
      }),
      RUNS,
    );
  });

  it('a surplus is settled exactly like a deficit of the same size, with the opposite sign', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        fc.pre(valid(input));
        const a = calculateClosureSettlement(input);
        const b = calculateClosureSettlement(mirrored(input));
        expect(b.toDistribute).toBe(negated(a.toDistribute));
        expect(b.ownRisk).toBe(negated(a.ownRisk));
        expect(b.toOtherUnits).toBe(negated(a.toOtherUnits));
        expect(b.settled).toBe(negated(a.settled));
        expect(b.operatorTotal).toBe(negated(a.operatorTotal));
        expect(b.shares).toEqual(a.shares.map((s) => ({ id: s.id, amount: negated(s.amount) })));
      }),
      RUNS,
    );
  });

  it('an authority closure leaves everything with the driftsherre', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const authority = { ...input, closedByAuthority: true };
        fc.pre(valid(authority));
        const r = calculateClosureSettlement(authority);
        expect(r.settled).toBe('0');
        expect(r.toOtherUnits).toBe('0');
        expect(r.shares.every((s) => s.amount === '0')).toBe(true);
        expect(r.operatorTotal).toBe(negated(r.toDistribute));
      }),
      RUNS,
    );
  });

  it('reordering payers only reorders the result (an exact tie goes to the earlier payer)', () => {
    const withPermutation = municipalInput.chain((input) =>
      fc
        .shuffledSubarray(input.payers!, { minLength: input.payers!.length, maxLength: input.payers!.length })
        .map((shuffled) => ({ input, shuffled })),
    );
    fc.assert(
      fc.property(withPermutation, ({ input, shuffled }) => {
        fc.pre(valid(input));
        const a = calculateClosureSettlement(input);
        const b = calculateClosureSettlement({ ...input, payers: shuffled });
        // The operator's own share is in operatorTotal and in the lines, so those follow the shares (below).
        const { shares: _sa, lines: _la, operatorTotal: _oa, ...restA } = a;
        const { shares: _sb, lines: _lb, operatorTotal: _ob, ...restB } = b;
        expect(restB).toEqual(restA);
        expect(b.shares.map((s) => s.id)).toEqual(shuffled.map((p) => p.id));

        // Payers whose fractional remainder is unique get the same amount whatever the order; within a group of
        // equal remainders only who gets the extra krone may change, so the group's total is the same.
        const sum = total(input.payers!.map((p) => payerWeight(p).toString()));
        const remainderOf = (p: (typeof shuffled)[number]) =>
          dec(a.settled).abs().times(payerWeight(p)).div(sum).mod(1).toString();
        const groups = new Map<string, string[]>();
        for (const p of input.payers!) groups.set(remainderOf(p), [...(groups.get(remainderOf(p)) ?? []), p.id]);
        const amountsA = amountsById(a);
        const amountsB = amountsById(b);
        for (const ids of groups.values()) {
          const groupA = total(ids.map((id) => amountsA.get(id)!));
          const groupB = total(ids.map((id) => amountsB.get(id)!));
          expect(groupB.eq(groupA)).toBe(true);
          if (ids.length === 1) expect(amountsB.get(ids[0]!)).toBe(amountsA.get(ids[0]!));
        }
        const operator = input.payers!.find((p) => p.isOperator);
        if (!operator || groups.get(remainderOf(operator))!.length === 1) expect(b.operatorTotal).toBe(a.operatorTotal);
      }),
      RUNS,
    );
  });

  it('is deterministic and does not modify its input', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        fc.pre(valid(input));
        const before = structuredClone(input);
        const a = calculateClosureSettlement(input);
        const b = calculateClosureSettlement(structuredClone(input));
        expect(b).toEqual(a);
        expect(input).toEqual(before);
      }),
      RUNS,
    );
  });
});
