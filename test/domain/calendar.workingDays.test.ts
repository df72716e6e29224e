import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { danishCalendar as cal, fromDayNumber, parsePlainDate, toDayNumber } from '../../domain/calendar';

const P = parsePlainDate;
const dateArb = fc
  .integer({ min: toDayNumber(P('2023-01-01')), max: toDayNumber(P('2030-12-31')) })
  .map((n) => fromDayNumber(n));

describe('working days', () => {
  it('next working day after Friday 22 December 2023 is Wednesday 27 December (weekend, 24–26 Dec)', () => {
    expect(cal.nextWorkingDay(P('2023-12-22'))).toBe('2023-12-27');
  });

  it('next working day after Friday 29 December 2023 is Tuesday 2 January 2024 (weekend, 31 Dec, nytårsdag)', () => {
    expect(cal.nextWorkingDay(P('2023-12-29'))).toBe('2024-01-02');
  });

  it('working day on or after skærtorsdag 2024 is Tuesday 2 April 2024 (the Easter range)', () => {
    expect(cal.workingDayOnOrAfter(P('2024-03-28'))).toBe('2024-04-02');
    expect(cal.workingDayOnOrBefore(P('2024-04-01'))).toBe('2024-03-27');
  });

  it('adding 5 working days to Wednesday 3 May 2023 skips store bededag: Thursday 11 May 2023', () => {
    expect(cal.addWorkingDays(P('2023-05-03'), 5)).toBe('2023-05-11');
  });

  it('adding 5 working days to Wednesday 24 April 2024 no longer skips store bededag: Wednesday 1 May 2024', () => {
    expect(cal.addWorkingDays(P('2024-04-24'), 5)).toBe('2024-05-01');
  });

  it('subtracting 10 working days from Monday 11 September 2023 gives Monday 28 August 2023', () => {
    expect(cal.subtractWorkingDays(P('2023-09-11'), 10)).toBe('2023-08-28');
  });

  it('counts from a non-working start: 1 working day after Sunday 10 September 2023 is Monday 11 September', () => {
    expect(cal.addWorkingDays(P('2023-09-10'), 1)).toBe('2023-09-11');
    expect(cal.addWorkingDays(P('2023-09-10'), 0)).toBe('2023-09-10');
  });

  it('working days between 1 and 31 January 2024 are 22 (1 January is nytårsdag)', () => {
    expect(cal.workingDaysBetween(P('2023-12-31'), P('2024-01-31'))).toBe(22);
  });

  describe('properties over 2023–2030', () => {
    it('addWorkingDays(d, n) is a working day for n ≠ 0, and moves in the direction of n', () => {
      fc.assert(
        fc.property(dateArb, fc.integer({ min: -40, max: 40 }).filter((n) => n !== 0), (d, n) => {
          const r = cal.addWorkingDays(d, n);
          expect(cal.isWorkingDay(r)).toBe(true);
          expect(n > 0 ? r > d : r < d).toBe(true);
        }),
      );
    });

    it('workingDaysBetween(d, addWorkingDays(d, n)) = n', () => {
      fc.assert(
        fc.property(dateArb, fc.integer({ min: -40, max: 40 }), (d, n) => {
          expect(cal.workingDaysBetween(d, cal.addWorkingDays(d, n))).toBe(n);
        }),
      );
    });

    it('adding then subtracting n working days from a working day returns it', () => {
      fc.assert(
        fc.property(dateArb.filter((d) => cal.isWorkingDay(d)), fc.integer({ min: 0, max: 40 }), (d, n) => {
          expect(cal.subtractWorkingDays(cal.addWorkingDays(d, n), n)).toBe(d);
        }),
      );
    });

    it('exhaustively for every day 2023–2030: nextWorkingDay is the first working day after d, at most 6 days on (Wednesday before Easter → Tuesday after)', () => {
      let longest = 0;
      for (let n = toDayNumber(P('2023-01-01')); n <= toDayNumber(P('2030-12-31')); n++) {
        const d = fromDayNumber(n);
        const next = cal.nextWorkingDay(d);
        expect(cal.isWorkingDay(next)).toBe(true);
        for (let x = n + 1; x < toDayNumber(next); x++) expect(cal.isWorkingDay(fromDayNumber(x))).toBe(false);
        longest = Math.max(longest, toDayNumber(next) - n);
      }
      expect(longest).toBe(6);
      expect(cal.nextWorkingDay(P('2023-04-05'))).toBe('2023-04-11');
    });
  });
});
