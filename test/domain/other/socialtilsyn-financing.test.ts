import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import {
  calculateSocialtilsynFinancing,
  reconcileOffersRevenue,
  reconcilePrismeNet,
  type SocialtilsynFinancingInput,
} from '../../../domain/other/socialtilsyn-financing';

// Seed 001:1540-1565 (other-procedures.md §3.2, Appendix A1; rammeaftale.md §18.1, G-S1), in kroner.
const seed2024: SocialtilsynFinancingInput = {
  budgetYear: 2024,
  grossNeed: '56300000',
  accumulatedUnderspend: '7900000',
  deductions: [{ label: 'Flytteomkostninger 2022', amount: '3000000' }],
  carriedToNextYear: '2750000',
  reductionSchedule: [
    { year: 2024, amount: '1150000' },
    { year: 2025, amount: '1000000' },
  ],
  areaSplit: { fosterFamilies: '31600000', offers: '23500000' },
  printed: {
    rest: { value: '2.15', source: '001:1546' },
    netNeed: [
      { value: '55.1', source: '001:1558' },
      { value: '55.9', source: '001:1676' },
    ],
  },
};

describe('Socialtilsyn Syd financing need (A1, G-S1)', () => {
  it('reproduces the carry-over arithmetic of 001:1546-1558', () => {
    const r = calculateSocialtilsynFinancing(seed2024);
    expect(r.rest).toBe('2150000'); // 7,9 − 3,0 − 2,75
    expect(r.scheduledTotal).toBe('2150000'); // 1,15 + 1,0
    expect(r.reductionInBudgetYear).toBe('1150000');
    expect(r.netNeed).toBe('55150000'); // 56,3 − 1,15
    expect(r.areaSplitTotal).toBe('55100000'); // 31,6 + 23,5
  });

  it('warns that the printed 55,1 and 55,9 mio. and the area split do not match the computed 55,15 mio.', () => {
    const { warnings } = calculateSocialtilsynFinancing(seed2024);
    expect(warnings).toHaveLength(3);
    const printed551 = warnings.find((w) => w.includes('001:1558'))!;
    expect(printed551).toContain('beregnet 55,15 mio. kr., men trykt 55,1 mio. kr.');
    expect(printed551).toContain('afskæring');
    const printed559 = warnings.find((w) => w.includes('001:1676'))!;
    expect(printed559).toContain('trykt 55,9 mio. kr.');
    expect(printed559).not.toContain('afskæring');
    expect(warnings.some((w) => w.includes('summer til 55.100.000 kr.') && w.includes('55.150.000 kr.'))).toBe(true);
  });

  it('has no warnings when the inputs agree with each other', () => {
    const r = calculateSocialtilsynFinancing({
      ...seed2024,
      areaSplit: { fosterFamilies: '31650000', offers: '23500000' },
      printed: { rest: { value: '2.15', source: 'x' }, netNeed: [{ value: '55.15', source: 'x' }] },
    });
    expect(r.warnings).toEqual([]);
  });

  it('warns when the schedule does not return the whole rest, or skips the budget year', () => {
    const r = calculateSocialtilsynFinancing({ ...seed2024, areaSplit: undefined, printed: undefined, reductionSchedule: [{ year: 2025, amount: '1000000' }] });
    expect(r.netNeed).toBe('56300000');
    expect(r.warnings).toHaveLength(2);
    expect(r.warnings[0]).toContain('1.150.000 kr. er ikke fordelt');
    expect(r.warnings[1]).toContain('budgetåret 2024');
  });

  it('checks the carried amount against 5 pct. of a given base: 2,75 mio. is exactly 5 % of 55,0 mio.', () => {
    const base = { ...seed2024, areaSplit: undefined, printed: undefined };
    expect(calculateSocialtilsynFinancing({ ...base, carryCapBase: '55000000' }).warnings).toEqual([]);
    const w = calculateSocialtilsynFinancing({ ...base, carryCapBase: '54999999' }).warnings;
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('001:1542');
  });

  it('rejects malformed input with Danish messages naming the field', () => {
    expect(() => calculateSocialtilsynFinancing({ ...seed2024, grossNeed: '56.300.000' })).toThrow(ZodError);
    try {
      calculateSocialtilsynFinancing({ ...seed2024, grossNeed: '56,3' });
    } catch (e) {
      expect((e as ZodError).issues[0]!.message).toContain('Samlet finansieringsbehov før regulering (grossNeed)');
    }
    const dup = () =>
      calculateSocialtilsynFinancing({ ...seed2024, reductionSchedule: [{ year: 2024, amount: '1' }, { year: 2024, amount: '2' }] });
    expect(dup).toThrow(/nævner år 2024 mere end én gang/);
  });

  it('property: rest + deductions + carried = underspend, and net need = gross − this year’s reduction', () => {
    const kr = fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }).map(String);
    fc.assert(
      fc.property(kr, kr, kr, kr, kr, kr, (gross, under, ded, carried, r1, r2) => {
        const grossNeed = (BigInt(gross) < 0n ? -BigInt(gross) : BigInt(gross)).toString();
        const input: SocialtilsynFinancingInput = {
          budgetYear: 2030,
          grossNeed,
          accumulatedUnderspend: under,
          deductions: [{ label: 'd', amount: ded }],
          carriedToNextYear: carried,
          reductionSchedule: [
            { year: 2030, amount: r1 },
            { year: 2031, amount: r2 },
          ],
        };
        const r = calculateSocialtilsynFinancing(input);
        expect(BigInt(r.rest) + BigInt(ded) + BigInt(carried)).toBe(BigInt(under));
        expect(BigInt(r.netNeed)).toBe(BigInt(grossNeed) - BigInt(r1));
        expect(BigInt(r.scheduledTotal)).toBe(BigInt(r1) + BigInt(r2));
        expect(calculateSocialtilsynFinancing(input)).toEqual(r);
      }),
      { numRuns: 200 },
    );
  });
});

describe('Offers-area revenue composition (001:1569-1575)', () => {
  const parts = (a: string, b: string, c?: string) => [
    { label: 'Samlede basistakster', amount: a },
    { label: 'Takstopkrævning fra nygodkendelse og væsentlige ændringer', amount: b },
    ...(c ? [{ label: 'Tillægstakster, forventede', amount: c }] : []),
  ];

  it('2024: rows sum to 23.491.155, not the printed 24.038.074, and match the 23,5 mio. need', () => {
    const r = reconcileOffersRevenue({
      parts: parts('20552069', '1939086', '1000000'),
      printedTotal: { value: '24038074', source: '001:1575' },
      printedNeed: { value: '23.5', source: '001:1587' },
    });
    expect(r.total).toBe('23491155');
    expect(r.warnings).toEqual([
      'Sum af takstindtægter: beregnet 23.491.155 kr., men trykt 24.038.074 kr. (001:1575); den beregnede værdi anvendes.',
    ]);
  });

  it('2022 and 2023 printed sums reconcile', () => {
    expect(reconcileOffersRevenue({ parts: parts('23846859', '3727246'), printedTotal: { value: '27574105', source: '001:1575' } })).toEqual({
      total: '27574105',
      warnings: [],
    });
    expect(
      reconcileOffersRevenue({ parts: parts('20566848', '2217557', '1000000'), printedTotal: { value: '23784405', source: '001:1575' } }),
    ).toEqual({ total: '23784405', warnings: [] });
  });

  it('property: the total is the sum of the parts and a correct printed total never warns', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -(10n ** 10n), max: 10n ** 10n }), { minLength: 1, maxLength: 8 }), (xs) => {
        const sum = xs.reduce((a, b) => a + b, 0n).toString();
        const r = reconcileOffersRevenue({
          parts: xs.map((x, i) => ({ label: `p${i}`, amount: x.toString() })),
          printedTotal: { value: sum, source: 's' },
        });
        expect(r.total).toBe(sum === '-0' ? '0' : sum);
        expect(r.warnings).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('R22 Prisme printout (A4; 001:1701-1729)', () => {
  it('nets U + I per column and shows that the "7,9 mio." underspend is the truncated 7.968.425', () => {
    const r = reconcilePrismeNet({
      columns: [
        { label: 'Forbrug', expenses: '55375487', income: '-57556048', printedNet: { value: '-2180561', source: '001:1729' } },
        { label: 'Korr. budget', expenses: '59875168', income: '-54087304', printedNet: { value: '5787864', source: '001:1729' } },
        {
          label: 'Restkorr. budget',
          expenses: '4499681',
          income: '3468744',
          printedNet: { value: '7968425', source: '001:1729' },
          printedNetMio: { value: '7.9', source: '001:1546' },
        },
      ],
    });
    expect(r.columns).toEqual([
      { label: 'Forbrug', net: '-2180561' },
      { label: 'Korr. budget', net: '5787864' },
      { label: 'Restkorr. budget', net: '7968425' },
    ]);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toContain('beregnet 7,968 mio. kr., men trykt 7,9 mio. kr. (001:1546)');
    expect(r.warnings[0]).toContain('afskæring');
  });

  it('the 2022 surplus of 2.180.561 kr. is the "2,2 mio." of 001:1683', () => {
    const r = reconcilePrismeNet({
      columns: [{ label: 'Forbrug', expenses: '55375487', income: '-57556048', printedNetMio: { value: '-2.2', source: '001:1683' } }],
    });
    expect(r.warnings).toEqual([]);
  });
});
