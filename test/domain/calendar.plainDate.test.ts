import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  addMonths,
  diffDays,
  endOfMonth,
  fromDayNumber,
  isoWeekday,
  isPlainDate,
  parsePlainDate,
  plainDate,
  subtractMonths,
  toDayNumber,
  type PlainDate,
} from '../../domain/calendar';

const P = parsePlainDate;

/** Any date 2023-01-01 … 2030-12-31. */
const dateArb = fc
  .integer({ min: toDayNumber(P('2023-01-01')), max: toDayNumber(P('2030-12-31')) })
  .map((n) => fromDayNumber(n));

describe('plain dates', () => {
  it('accepts only real ISO dates (2024-02-29 exists, 2023-02-29 and 2023-04-31 do not)', () => {
    expect(isPlainDate('2024-02-29')).toBe(true);
    expect(isPlainDate('2023-02-29')).toBe(false);
    expect(isPlainDate('2023-04-31')).toBe(false);
    expect(isPlainDate('2023-9-10')).toBe(false);
    expect(isPlainDate('2023-09-10T00:00:00Z')).toBe(false);
    expect(() => parsePlainDate('2023-13-01')).toThrow(/Ugyldig dato/);
    expect(() => plainDate(2023, 4, 31)).toThrow(RangeError);
  });

  it('knows the weekdays of the documented deadlines (10 Sept 2023 is a Sunday, 30 Sept 2023 a Saturday, 20 Aug 2023 a Sunday)', () => {
    expect(isoWeekday(P('2023-09-10'))).toBe(7);
    expect(isoWeekday(P('2023-09-30'))).toBe(6);
    expect(isoWeekday(P('2023-08-20'))).toBe(7);
    expect(isoWeekday(P('2023-06-20'))).toBe(2); // KKR meeting, a Tuesday
    expect(isoWeekday(P('2024-01-01'))).toBe(1);
  });

  it('day numbers agree with Date.UTC for every day 2023–2030 (integer civil-date conversion is exact)', () => {
    fc.assert(
      fc.property(dateArb, (d) => {
        const [y, m, day] = d.split('-').map(Number) as [number, number, number];
        expect(toDayNumber(d)).toBe(Date.UTC(y, m - 1, day) / 86_400_000);
        expect(isoWeekday(d)).toBe(((new Date(Date.UTC(y, m - 1, day)).getUTCDay() + 6) % 7) + 1);
      }),
    );
  });

  it('addDays and diffDays are inverse', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: -1000, max: 1000 }), (d, n) => {
        expect(diffDays(d, addDays(d, n))).toBe(n);
      }),
    );
  });

  describe('month arithmetic clamps to the end of the month', () => {
    it.each<[string, number, string, string]>([
      ['2024-05-31', -3, '2024-02-29', '31 May 2024 − 3 months = 29 February 2024 (leap year)'],
      ['2023-05-31', -3, '2023-02-28', '31 May 2023 − 3 months = 28 February 2023'],
      ['2023-01-31', 1, '2023-02-28', '31 January 2023 + 1 month = 28 February 2023'],
      ['2024-01-31', 1, '2024-02-29', '31 January 2024 + 1 month = 29 February 2024'],
      ['2023-03-31', 1, '2023-04-30', 'an invoice dated 31 March 2023 is due 30 April 2023'],
      ['2023-12-31', 2, '2024-02-29', 'a notice on 31 December 2023 + 2 months = 29 February 2024 (rammeaftale.md N3)'],
      ['2024-09-01', -3, '2024-06-01', 'effective 1 September 2024 − 3 months = 1 June 2024'],
      ['2030-12-15', 1, '2031-01-15', 'crossing a year boundary'],
      ['2023-01-15', -1, '2022-12-15', 'crossing a year boundary backwards'],
    ])('%s %+d months = %s (%s)', (from, months, expected) => {
      expect(addMonths(P(from), months)).toBe(expected);
    });

    it('is not reversible: 28 February 2023 + 3 months = 28 May, not 31 May', () => {
      expect(addMonths(subtractMonths(P('2023-05-31'), 3), 3)).toBe('2023-05-28');
    });

    it('property: the result is in the target month and keeps the day or is that month’s last day', () => {
      fc.assert(
        fc.property(dateArb, fc.integer({ min: -36, max: 36 }), (d, n) => {
          const r = addMonths(d, n);
          const [y, m, day] = d.split('-').map(Number) as [number, number, number];
          const idx = y * 12 + m - 1 + n;
          expect(Number(r.slice(0, 4)) * 12 + Number(r.slice(5, 7)) - 1).toBe(idx);
          const rd = Number(r.slice(8, 10));
          expect(rd === day || (rd < day && r === endOfMonth(r))).toBe(true);
        }),
      );
    });
  });

  it('PlainDate values compare chronologically as strings', () => {
    fc.assert(
      fc.property(dateArb, dateArb, (a: PlainDate, b: PlainDate) => {
        expect(a < b).toBe(toDayNumber(a) < toDayNumber(b));
      }),
    );
  });
});
