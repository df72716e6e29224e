import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitSecretariatCost } from '../../../domain/other/secretariat-population-split';

// Bilag A, population 1 January 2023 of the 22 Syddanske municipalities, seed 001:940-961.
const POP_2023: [string, string][] = [
  ['Middelfart', '39961'],
  ['Assens', '40944'],
  ['Faaborg-Midtfyn', '52253'],
  ['Kerteminde', '23991'],
  ['Nyborg', '32262'],
  ['Odense', '207762'],
  ['Svendborg', '59735'],
  ['Nordfyns', '29726'],
  ['Langeland', '12384'],
  ['Ærø', '6008'],
  ['Haderslev', '55353'],
  ['Billund', '27021'],
  ['Sønderborg', '74380'],
  ['Tønder', '36878'],
  ['Esbjerg', '115758'],
  ['Fanø', '3426'],
  ['Varde', '49995'],
  ['Vejen', '42924'],
  ['Aabenraa', '59002'],
  ['Fredericia', '52173'],
  ['Kolding', '94528'],
  ['Vejle', '120949'],
];
const populations = POP_2023.map(([municipality, population]) => ({ municipality, population }));
const amountOf = (r: { allocations: { municipality: string; amount: string }[] }, m: string) =>
  r.allocations.find((a) => a.municipality === m)!.amount;

describe('Socialsekretariat: 1,64 kr. pr. borger (A8; 003:1240-1242, 001:1763)', () => {
  it('1,64 × 1.237.413 = 2.029.357,32 kr., which does not match the budget’s 2.498.901 kr.', () => {
    const r = splitSecretariatCost({
      mode: 'perCapita',
      ratePerCapita: '1.64',
      populations,
      printedPopulationTotal: { value: '1237413', source: '001:939' },
      budgetedTotal: { value: '2498901', source: '001:1763' },
    });
    expect(r.populationTotal).toBe('1237413');
    expect(r.exactTotal).toBe('2029357.32');
    expect(amountOf(r, 'Odense')).toBe('340730'); // 340.729,68
    expect(amountOf(r, 'Fanø')).toBe('5619'); // 5.618,64
    expect(amountOf(r, 'Vejle')).toBe('198356'); // 198.356,36
    expect(r.total).toBe(r.allocations.reduce((a, x) => a + BigInt(x.amount), 0n).toString());
    expect(r.warnings).toEqual([
      'Kommunebetaling ved 1,64 kr. pr. borger: beregnet 2.029.357,32 kr., men trykt 2.498.901 kr. (001:1763); ' +
        'den beregnede værdi anvendes. Den budgetterede kommunebetaling svarer til 2,019 kr. pr. borger.',
    ]);
  });

  it('flags population counted on another date than 1 January of the budget year', () => {
    const r = splitSecretariatCost({ mode: 'perCapita', ratePerCapita: '1.64', populations, populationDate: '2023-01-01', budgetYear: 2024 });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toContain('2024-01-01');
    expect(
      splitSecretariatCost({ mode: 'perCapita', ratePerCapita: '1.64', populations, populationDate: '2024-01-01', budgetYear: 2024 }).warnings,
    ).toEqual([]);
  });
});

describe('Fixed total pro rata to population (illustrative, other-procedures.md §4.3 table; A8)', () => {
  it('Socialsekretariat 2.498.901 kr.: Odense 419.566, Fanø 6.919, Vejle 244.251', () => {
    const r = splitSecretariatCost({ mode: 'fixedTotal', total: '2498901', populations });
    expect(amountOf(r, 'Odense')).toBe('419566');
    expect(amountOf(r, 'Fanø')).toBe('6919');
    expect(amountOf(r, 'Vejle')).toBe('244251');
    expect(amountOf(r, 'Faaborg-Midtfyn')).toBe('105523');
    expect(r.total).toBe('2498901');
    expect(r.ratePerCapita).toBe('2.019');
  });

  it('Sundhedssekretariat 1.824.713 kr.: Odense 306.370, Fanø 5.052, Vejle 178.354; 1,475 kr. per inhabitant', () => {
    const r = splitSecretariatCost({ mode: 'fixedTotal', total: '1824713', populations });
    expect(amountOf(r, 'Odense')).toBe('306370');
    expect(amountOf(r, 'Fanø')).toBe('5052');
    expect(amountOf(r, 'Vejle')).toBe('178354');
    expect(r.ratePerCapita).toBe('1.475');
    expect(r.allocations.reduce((a, x) => a + BigInt(x.amount), 0n)).toBe(1824713n);
  });

  it('price and wage indexation (from 2024, 003:1417-1427) is applied to the total before the split', () => {
    const r = splitSecretariatCost({ mode: 'fixedTotal', total: '1824713', indexationPercent: '3.1', populations });
    expect(r.indexedTotal).toBe('1881279'); // 1.824.713 × 1,031 = 1.881.279,10
    expect(r.total).toBe('1881279');
  });

  it('rejects an unknown mode and duplicate municipalities in Danish', () => {
    // @ts-expect-error deliberately wrong mode
    expect(() => splitSecretariatCost({ mode: 'x', populations })).toThrow(/Fordelingsmetode \(mode\)/);
    expect(() =>
      splitSecretariatCost({ mode: 'fixedTotal', total: '1', populations: [...populations, { municipality: 'Odense', population: '1' }] }),
    ).toThrow(/Odense står der mere end én gang/);
  });

  it('property: the split adds up, follows population order, and per-capita amounts are rate × population rounded', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 8n }),
        fc.array(fc.integer({ min: 1, max: 300_000 }), { minLength: 1, maxLength: 22 }),
        fc.integer({ min: 0, max: 1000 }),
        (total, pops, rateHundredths) => {
          const ps = pops.map((p, i) => ({ municipality: `K${i}`, population: String(p) }));
          const fixed = splitSecretariatCost({ mode: 'fixedTotal', total: total.toString(), populations: ps });
          const amounts = fixed.allocations.map((a) => BigInt(a.amount));
          expect(amounts.reduce((a, b) => a + b, 0n)).toBe(total);
          for (let i = 0; i < pops.length; i++) {
            for (let j = 0; j < pops.length; j++) {
              // A larger municipality never pays less: a larger ideal share has a floor at least as large and, on an
              // equal floor, the larger remainder, so it is served first.
              if (pops[i]! > pops[j]!) expect(amounts[i]! >= amounts[j]!).toBe(true);
            }
          }
          const rate = (rateHundredths / 100).toFixed(2);
          const pc = splitSecretariatCost({ mode: 'perCapita', ratePerCapita: rate, populations: ps });
          pc.allocations.forEach((a, i) => {
            // round half up of pop × rateHundredths / 100, in integers
            const x = BigInt(pops[i]!) * BigInt(rateHundredths);
            expect(BigInt(a.amount)).toBe((x + 50n) / 100n);
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
