import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessOccupancyDeviation, selectOffersToReport } from '../../../domain/other/occupancy-report';

describe('Occupancy-report trigger, parameter 2 (G-B1; 002:1063-1101)', () => {
  it('budget 95 %, actual 90 % → −5 pp → report ("5 %-point eller mere")', () => {
    expect(assessOccupancyDeviation({ budgetedPercent: '95', actualPercent: '90' })).toEqual({
      deviationPp: '-5',
      direction: 'under',
      mustReport: true,
      warnings: [],
    });
  });

  it('budget 95 %, actual 90,1 % → −4,9 pp → no report', () => {
    expect(assessOccupancyDeviation({ budgetedPercent: '95', actualPercent: '90.1' })).toMatchObject({
      deviationPp: '-4.9',
      mustReport: false,
    });
  });

  it('counts deviations upwards too: budget 90 %, actual 95 % → report', () => {
    expect(assessOccupancyDeviation({ budgetedPercent: '90', actualPercent: '95' })).toMatchObject({ direction: 'over', mustReport: true });
  });

  it('is exact where binary floats are not: 64.02 − 59.02 is 4.999999999999993 as a float, but 5 pp here', () => {
    expect(64.02 - 59.02).toBeLessThan(5);
    expect(assessOccupancyDeviation({ budgetedPercent: '64.02', actualPercent: '59.02' })).toMatchObject({
      deviationPp: '-5',
      mustReport: true,
    });
  });

  it('gives the 20 August deadline and flags that 20 Aug 2023 is a Sunday and 2025 is outside the agreement', () => {
    const r23 = assessOccupancyDeviation({ budgetedPercent: '95', actualPercent: '90', year: 2023 });
    expect(r23.reportDeadline).toBe('2023-08-20');
    expect(r23.warnings).toEqual(['Fristen 2023-08-20 falder på en søndag; Rammeaftalen siger ikke, om fristen så flyttes.']);
    expect(assessOccupancyDeviation({ budgetedPercent: '95', actualPercent: '90', year: 2024 }).warnings).toEqual([]);
    const r25 = assessOccupancyDeviation({ budgetedPercent: '95', actualPercent: '90', year: 2025 });
    expect(r25.reportDeadline).toBe('2025-08-20');
    expect(r25.warnings).toHaveLength(1);
    expect(r25.warnings[0]).toContain('002:1099-1101');
  });

  it('warns on a budgeted occupancy above 100 % and rejects Danish decimal commas with a Danish message', () => {
    expect(assessOccupancyDeviation({ budgetedPercent: '101', actualPercent: '99' }).warnings[0]).toContain('bør maksimalt være 100 %');
    expect(() => assessOccupancyDeviation({ budgetedPercent: '95', actualPercent: '90,1' })).toThrow(
      /Faktisk gennemsnitlig belægningsprocent \(actualPercent\) skal være et tal skrevet med cifre/,
    );
  });

  it('selects the tilbud that must report in a half-year collection', () => {
    const r = selectOffersToReport({
      year: 2024,
      offers: [
        { tilbud: 'A', budgetedPercent: '95', actualPercent: '90' },
        { tilbud: 'B', budgetedPercent: '95', actualPercent: '90.1' },
        { tilbud: 'C', budgetedPercent: '92', actualPercent: '99.5' },
      ],
    });
    expect(r).toEqual({
      reportDeadline: '2024-08-20',
      toReport: [
        { tilbud: 'A', deviationPp: '-5', direction: 'under' },
        { tilbud: 'C', deviationPp: '7.5', direction: 'over' },
      ],
      warnings: [],
    });
  });

  it('property: report iff |actual − budget| ≥ 5 pp, checked in integer hundredths; symmetric; deterministic', () => {
    const hundredths = fc.integer({ min: 0, max: 15_000 });
    const asPct = (h: number) => `${Math.floor(h / 100)}.${String(h % 100).padStart(2, '0')}`;
    fc.assert(
      fc.property(hundredths, hundredths, (b, a) => {
        const r = assessOccupancyDeviation({ budgetedPercent: asPct(b), actualPercent: asPct(a) });
        expect(r.mustReport).toBe(Math.abs(a - b) >= 500);
        const swapped = assessOccupancyDeviation({ budgetedPercent: asPct(a), actualPercent: asPct(b) });
        expect(swapped.mustReport).toBe(r.mustReport);
        expect(assessOccupancyDeviation({ budgetedPercent: asPct(b), actualPercent: asPct(a) })).toEqual(r);
      }),
      { numRuns: 200 },
    );
  });
});
