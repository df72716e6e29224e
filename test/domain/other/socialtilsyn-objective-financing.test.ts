import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocateObjectiveFinancing,
  reconcileObjectiveFinancingTable,
} from '../../../domain/other/socialtilsyn-objective-financing';

// Seed 001:1644-1667 (identical in 000:2525-2573): municipality, 2023, 2024.
const TABLE: [string, string, string][] = [
  ['Assens', '1061157', '1018029'],
  ['Kerteminde', '595874', '574123'],
  ['Langeland', '215357', '211123'],
  ['Middelfart', '1049898', '1017774'],
  ['Nordfyns', '753352', '729566'],
  ['Nyborg', '809377', '775945'],
  ['Odense', '4990561', '4840545'],
  ['Svendborg', '1521140', '1487546'],
  ['Ærø', '107017', '104606'],
  ['Billund', '734015', '709690'],
  ['Esbjerg', '2999105', '2882335'],
  ['Fanø', '77481', '73899'],
  ['Fredericia', '1334922', '1281137'],
  ['Haderslev', '1405251', '1360643'],
  ['Kolding', '2593423', '2508888'],
  ['Sønderborg', '1813979', '1759955'],
  ['Tønder', '905929', '877620'],
  ['Varde', '1320353', '1283303'],
  ['Vejen', '1181682', '1141747'],
  ['Vejle', '3371675', '3271582'],
  ['Aabenraa', '1519287', '1459643'],
  ['Frederiksberg', '2353829', '2252661'],
];
const rows = (col: 1 | 2) => TABLE.map((r) => ({ municipality: r[0], amount: r[col] }));

describe('Objective financing table (A3; 001:1644-1670)', () => {
  it('2024: rows sum to the printed 31.622.360; 31.622.360 / 1.450 = 21.808,52 is printed as 21.808', () => {
    const r = reconcileObjectiveFinancingTable({
      rows: rows(2),
      printedTotal: { value: '31622360', source: '001:1667' },
      fosterFamilies: 1450,
      printedPerFamily: { value: '21808', source: '001:1670' },
    });
    expect(r.total).toBe('31622360');
    expect(r.perFosterFamily).toBe('21809');
    expect(r.warnings).toEqual([
      'Objektiv finansiering pr. plejefamilie: beregnet 21.808,52 kr., men trykt 21.808 kr. (001:1670); ' +
        'den beregnede værdi anvendes. Det trykte tal svarer til afskæring, ikke afrunding.',
    ]);
    const share = (m: string) => r.allocations.find((a) => a.municipality === m)!;
    expect(share('Odense')).toEqual({ municipality: 'Odense', amount: '4840545', sharePercent: '15.307' });
    expect(share('Fanø').sharePercent).toBe('0.234');
    expect(share('Frederiksberg').sharePercent).toBe('7.124');
    expect(share('Assens').sharePercent).toBe('3.219');
    expect(r.allocations.map((a) => a.municipality)).not.toContain('Faaborg-Midtfyn');
  });

  it('2023: rows sum to 32.714.664, one more than the printed 32.714.663; per family 21.810 agrees', () => {
    const r = reconcileObjectiveFinancingTable({
      rows: rows(1),
      printedTotal: { value: '32714663', source: '001:1667' },
      fosterFamilies: 1500,
      printedPerFamily: { value: '21810', source: '001:1670' },
    });
    expect(r.total).toBe('32714664');
    expect(r.perFosterFamily).toBe('21810');
    expect(r.warnings).toEqual([
      'Sum af kommunernes bidrag: beregnet 32.714.664 kr., men trykt 32.714.663 kr. (001:1667); den beregnede værdi anvendes.',
    ]);
  });

  it('the need fell by about 1,1 mio. from 2023 to 2024 (001:1640)', () => {
    const t23 = BigInt(reconcileObjectiveFinancingTable({ rows: rows(1) }).total);
    const t24 = BigInt(reconcileObjectiveFinancingTable({ rows: rows(2) }).total);
    expect(t23 - t24).toBe(1092304n);
  });
});

describe('Allocating a total by 0-17-year-olds', () => {
  it('splits 31.622.360 back onto the 2024 shares exactly (weights proportional to the printed amounts)', () => {
    const r = allocateObjectiveFinancing({
      total: '31622360',
      payers: TABLE.map(([municipality, , y24]) => ({ municipality, children0to17: y24 })),
      fosterFamilies: 1450,
    });
    expect(r.allocations.map((a) => a.amount)).toEqual(TABLE.map((t) => t[2]));
    expect(r.total).toBe('31622360');
    expect(r.perFosterFamily).toBe('21809');
    expect(r.warnings).toEqual([]);
  });

  it('uses largest remainder so the invoices add up: 100 kr. over three equal payers', () => {
    const r = allocateObjectiveFinancing({
      total: '100',
      payers: [
        { municipality: 'A', children0to17: '1' },
        { municipality: 'B', children0to17: '1' },
        { municipality: 'C', children0to17: '1' },
      ],
    });
    expect(r.allocations.map((a) => a.amount)).toEqual(['34', '33', '33']);
  });

  it('rejects duplicates and all-zero weights with Danish messages', () => {
    expect(() =>
      allocateObjectiveFinancing({
        total: '100',
        payers: [
          { municipality: 'Odense', children0to17: '1' },
          { municipality: 'Odense', children0to17: '2' },
        ],
      }),
    ).toThrow(/Odense står der mere end én gang/);
    expect(() => allocateObjectiveFinancing({ total: '100', payers: [{ municipality: 'A', children0to17: '0' }] })).toThrow(
      /er 0 for alle kommuner/,
    );
    expect(() => allocateObjectiveFinancing({ total: '100.5', payers: [{ municipality: 'A', children0to17: '1' }] })).toThrow(
      /Samlet objektiv finansiering \(total\) skal være et helt tal/,
    );
  });

  it('property: invoices sum to the total, each within 1 kr. of its exact share, deterministic', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        fc.array(fc.integer({ min: 0, max: 200_000 }), { minLength: 1, maxLength: 25 }).filter((ws) => ws.some((w) => w > 0)),
        (total, ws) => {
          const input = {
            total: total.toString(),
            payers: ws.map((w, i) => ({ municipality: `K${i}`, children0to17: String(w) })),
          };
          const r = allocateObjectiveFinancing(input);
          const amounts = r.allocations.map((a) => BigInt(a.amount));
          expect(amounts.reduce((a, b) => a + b, 0n)).toBe(total);
          const sumW = BigInt(ws.reduce((a, b) => a + b, 0));
          amounts.forEach((a, i) => {
            // |a − total·w/sumW| < 1  ⇔  |a·sumW − total·w| < sumW
            const diff = a * sumW - total * BigInt(ws[i]!);
            expect(diff < sumW && -diff < sumW).toBe(true);
          });
          expect(allocateObjectiveFinancing(input)).toEqual(r);
        },
      ),
      { numRuns: 200 },
    );
  });
});
