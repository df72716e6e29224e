import { describe, expect, it } from 'vitest';
import {
  calendarConfigSchema,
  createCalendar,
  danishCalendar,
  danishPublicHolidays,
  easterSunday,
  parsePlainDate,
} from '../../domain/calendar';
import { publicHolidaysFromDateHolidays } from '../../domain/calendar/dateHolidaysAdapter';

const P = parsePlainDate;
const YEARS = [2023, 2024, 2025, 2026, 2027, 2028, 2029, 2030];

describe('Easter computus', () => {
  it.each<[number, string]>([
    [2023, '2023-04-09'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2028, '2028-04-16'],
    [2029, '2029-04-01'],
    [2030, '2030-04-21'],
    [2038, '2038-04-25'], // latest possible Easter
    [2285, '2285-03-22'], // earliest possible Easter
  ])('Easter Sunday %i is %s', (year, date) => {
    expect(easterSunday(year)).toBe(date);
  });
});

describe('Danish public holidays', () => {
  it('2023 has 11 public holidays including store bededag on Friday 5 May 2023', () => {
    const h = danishPublicHolidays(2023);
    expect(h.map((x) => `${x.date} ${x.name}`)).toEqual([
      '2023-01-01 nytårsdag',
      '2023-04-06 skærtorsdag',
      '2023-04-07 langfredag',
      '2023-04-09 påskedag',
      '2023-04-10 2. påskedag',
      '2023-05-05 store bededag',
      '2023-05-18 Kristi himmelfartsdag',
      '2023-05-28 pinsedag',
      '2023-05-29 2. pinsedag',
      '2023-12-25 juledag',
      '2023-12-26 2. juledag',
    ]);
  });

  it('store bededag is abolished from 2024: 26 April 2024 (4th Friday after Easter) is a working day', () => {
    expect(danishPublicHolidays(2024).some((h) => h.key === 'storeBededag')).toBe(false);
    expect(danishCalendar.isWorkingDay(P('2024-04-26'))).toBe(true);
    expect(danishCalendar.isWorkingDay(P('2023-05-05'))).toBe(false);
    expect(danishCalendar.nonWorkingDay(P('2023-05-05'))?.name).toBe('store bededag');
  });

  it('the last year with store bededag is configurable (a hypothetical calendar keeping it in 2024)', () => {
    const cal = createCalendar({ storeBededagLastYear: 2030 });
    expect(cal.isWorkingDay(P('2024-04-26'))).toBe(false);
  });

  it.each(YEARS)('%i: our computus agrees with date-holidays ("DK", type public) date for date', (year) => {
    const ours = danishPublicHolidays(year).map((h) => h.date);
    const lib = publicHolidaysFromDateHolidays(year).map((h) => h.date);
    expect(ours).toEqual(lib);
  });

  it('påskedag and pinsedag are always Sundays; Kristi himmelfartsdag always a Thursday (2023–2030)', () => {
    for (const year of YEARS) {
      const byKey = new Map(danishPublicHolidays(year).map((h) => [h.key, h.date]));
      expect(danishCalendar.nonWorkingDay(byKey.get('paaskedag')!)?.alsoWeekend).toBe(true);
      expect(danishCalendar.nonWorkingDay(byKey.get('pinsedag')!)?.alsoWeekend).toBe(true);
      expect(danishCalendar.nonWorkingDay(byKey.get('kristiHimmelfartsdag')!)?.name).toBe('Kristi himmelfartsdag');
    }
  });
});

describe('closing days that are not public holidays', () => {
  it('Grundlovsdag, juleaftensdag and nytårsaftensdag are closed by default and named', () => {
    expect(danishCalendar.nonWorkingDay(P('2024-06-05'))).toMatchObject({ kind: 'closingDay', name: 'Grundlovsdag' });
    expect(danishCalendar.nonWorkingDay(P('2026-12-24'))).toMatchObject({ kind: 'closingDay', name: 'juleaftensdag' });
    expect(danishCalendar.nonWorkingDay(P('2025-12-31'))).toMatchObject({ kind: 'closingDay', name: 'nytårsaftensdag' });
  });

  it('each closing day can be switched off (e.g. a procedure that counts Grundlovsdag as a working day)', () => {
    const cal = createCalendar({ closingDays: { grundlovsdag: false } });
    expect(cal.isWorkingDay(P('2024-06-05'))).toBe(true);
    expect(cal.isWorkingDay(P('2026-12-24'))).toBe(false);
  });

  it('extra one-off closed dates are honoured and named', () => {
    const cal = createCalendar({ extraClosedDates: [{ date: P('2024-05-10'), name: 'kontoret er lukket' }] });
    expect(cal.nonWorkingDay(P('2024-05-10'))).toMatchObject({ kind: 'extraClosedDate', name: 'kontoret er lukket' });
    expect(danishCalendar.isWorkingDay(P('2024-05-10'))).toBe(true);
  });

  it('a holiday on a weekend is reported by its holiday name, not as "søndag" (2. juledag 2027 is a Sunday)', () => {
    expect(danishCalendar.nonWorkingDay(P('2027-12-26'))).toMatchObject({
      kind: 'publicHoliday',
      name: '2. juledag',
      alsoWeekend: true,
    });
  });

  it('lists the year’s non-working days other than weekends (2024: 10 holidays + 3 closing days)', () => {
    const days = danishCalendar.nonWorkingDaysInYear(2024);
    expect(days).toHaveLength(13);
    expect(days[0]!.date).toBe('2024-01-01');
    expect(days.at(-1)!.date).toBe('2024-12-31');
  });
});

describe('calendar configuration schema', () => {
  it('defaults to all closing days on and store bededag until 2023, and feeds createCalendar', () => {
    const cfg = calendarConfigSchema.parse({});
    expect(cfg).toEqual({
      closingDays: { grundlovsdag: true, juleaftensdag: true, nytaarsaftensdag: true },
      storeBededagLastYear: 2023,
      extraClosedDates: [],
    });
    const cal = createCalendar(
      calendarConfigSchema.parse({ closingDays: { nytaarsaftensdag: false }, extraClosedDates: [{ date: '2025-05-02', name: 'lukket' }] }),
    );
    expect(cal.isWorkingDay(P('2025-12-31'))).toBe(true);
    expect(cal.isWorkingDay(P('2025-05-02'))).toBe(false);
  });

  it('rejects unknown closing days and bad dates with Danish messages naming the field', () => {
    const r = calendarConfigSchema.safeParse({ closingDays: { fastelavn: true }, extraClosedDates: [{ date: '2025-02-30', name: 'x' }] });
    expect(r.success).toBe(false);
    const messages = r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
    expect(messages).toContain('extraClosedDates.date');
    expect(messages).toContain('closingDays');
  });
});
