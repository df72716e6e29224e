/**
 * The Danish working-day calendar: which days a deadline may expire on, and counting in working days.
 *
 * A working day (hverdag) is Monday–Friday that is neither a public holiday nor one of the configured closing
 * days (Grundlovsdag, juleaftensdag, nytårsaftensdag). Those three are not public holidays, but the general
 * deadline rule (forældelsesloven § 27, stk. 2 and the corresponding rules elsewhere) treats them like one, and
 * public offices are closed; each is configurable because a particular procedure may count one of them.
 */
import {
  danishClosingDays,
  danishPublicHolidays,
  STORE_BEDEDAG_LAST_YEAR,
  type ClosingDayKey,
  type PublicHolidayKey,
} from './holidays';
import { addDays, isoWeekday, isPlainDate, yearOf, type PlainDate } from './plainDate';

export interface ExtraClosedDate {
  readonly date: PlainDate;
  /** Danish name used in reasons, e.g. "kontoret er lukket (flytning)". */
  readonly name: string;
}

export interface CalendarConfig {
  /** Which non-holiday closing days count as non-working days. All three by default. */
  readonly closingDays: Readonly<Record<ClosingDayKey, boolean>>;
  /** Last year with store bededag as a public holiday (2023; abolished from 2024). */
  readonly storeBededagLastYear: number;
  /** One-off closed dates on top of the statutory ones. */
  readonly extraClosedDates: readonly ExtraClosedDate[];
}

export interface CalendarConfigInput {
  readonly closingDays?: Partial<Record<ClosingDayKey, boolean>>;
  readonly storeBededagLastYear?: number;
  readonly extraClosedDates?: readonly ExtraClosedDate[];
}

export type NonWorkingKind = 'weekend' | 'publicHoliday' | 'closingDay' | 'extraClosedDate';

export interface NonWorkingDay {
  readonly date: PlainDate;
  readonly kind: NonWorkingKind;
  /** Holiday or closing-day key; absent for a plain weekend and for extra closed dates. */
  readonly key?: PublicHolidayKey | ClosingDayKey;
  /** Danish: "lørdag", "søndag", "skærtorsdag", "Grundlovsdag" … */
  readonly name: string;
  /** True when the date is also a Saturday or Sunday (påskedag is always one). */
  readonly alsoWeekend: boolean;
}

export interface WorkingDayCalendar {
  readonly config: CalendarConfig;
  /** Why the date is not a working day, or null when it is one. Holiday names win over "lørdag"/"søndag". */
  nonWorkingDay(date: PlainDate): NonWorkingDay | null;
  isWorkingDay(date: PlainDate): boolean;
  /** The first working day strictly after `date`. */
  nextWorkingDay(date: PlainDate): PlainDate;
  /** The last working day strictly before `date`. */
  previousWorkingDay(date: PlainDate): PlainDate;
  /** `date` itself when it is a working day, else the next one. */
  workingDayOnOrAfter(date: PlainDate): PlainDate;
  /** `date` itself when it is a working day, else the previous one. */
  workingDayOnOrBefore(date: PlainDate): PlainDate;
  /**
   * Moves `n` working days forward (n > 0) or backward (n < 0), counting only working days after (before)
   * `date`; `date` itself need not be a working day. n = 0 returns `date` unchanged.
   */
  addWorkingDays(date: PlainDate, n: number): PlainDate;
  subtractWorkingDays(date: PlainDate, n: number): PlainDate;
  /** Working days in (from, to]; negative (−count of [to, from)) when `to` is before `from`. */
  workingDaysBetween(from: PlainDate, to: PlainDate): number;
  /** Public holidays and enabled closing days (not ordinary weekends) in a year, in date order. */
  nonWorkingDaysInYear(year: number): NonWorkingDay[];
}

export const DEFAULT_CALENDAR_CONFIG: CalendarConfig = {
  closingDays: { grundlovsdag: true, juleaftensdag: true, nytaarsaftensdag: true },
  storeBededagLastYear: STORE_BEDEDAG_LAST_YEAR,
  extraClosedDates: [],
};

export function resolveCalendarConfig(input: CalendarConfigInput = {}): CalendarConfig {
  for (const d of input.extraClosedDates ?? []) {
    if (!isPlainDate(d.date)) throw new RangeError(`Ugyldig lukkedag: "${String(d.date)}"`);
  }
  return {
    closingDays: { ...DEFAULT_CALENDAR_CONFIG.closingDays, ...input.closingDays },
    storeBededagLastYear: input.storeBededagLastYear ?? DEFAULT_CALENDAR_CONFIG.storeBededagLastYear,
    extraClosedDates: [...(input.extraClosedDates ?? [])],
  };
}

const WEEKEND_NAMES: Record<6 | 7, string> = { 6: 'lørdag', 7: 'søndag' };

// Deadlines never span more than a few years, so a per-year table keeps lookups O(1) without a global cache
// that different configurations could pollute.
export function createCalendar(input: CalendarConfigInput = {}): WorkingDayCalendar {
  const config = resolveCalendarConfig(input);
  const byYear = new Map<number, Map<string, Omit<NonWorkingDay, 'alsoWeekend'>>>();

  function table(year: number): Map<string, Omit<NonWorkingDay, 'alsoWeekend'>> {
    let t = byYear.get(year);
    if (t) return t;
    t = new Map();
    for (const d of config.extraClosedDates) {
      if (yearOf(d.date) === year) t.set(d.date, { date: d.date, kind: 'extraClosedDate', name: d.name });
    }
    for (const d of danishClosingDays(year)) {
      if (config.closingDays[d.key]) t.set(d.date, { date: d.date, kind: 'closingDay', key: d.key, name: d.name });
    }
    // Public holidays last so they win if a configured extra date coincides with one.
    for (const h of danishPublicHolidays(year, { storeBededagLastYear: config.storeBededagLastYear })) {
      t.set(h.date, { date: h.date, kind: 'publicHoliday', key: h.key, name: h.name });
    }
    byYear.set(year, t);
    return t;
  }

  function nonWorkingDay(date: PlainDate): NonWorkingDay | null {
    const wd = isoWeekday(date);
    const weekend = wd === 6 || wd === 7;
    const special = table(yearOf(date)).get(date);
    if (special) return { ...special, alsoWeekend: weekend };
    if (weekend) return { date, kind: 'weekend', name: WEEKEND_NAMES[wd], alsoWeekend: true };
    return null;
  }

  const isWorkingDay = (date: PlainDate): boolean => nonWorkingDay(date) === null;

  function step(date: PlainDate, direction: 1 | -1): PlainDate {
    let d = addDays(date, direction);
    while (!isWorkingDay(d)) d = addDays(d, direction);
    return d;
  }

  function addWorkingDays(date: PlainDate, n: number): PlainDate {
    if (!Number.isInteger(n)) throw new RangeError(`addWorkingDays: ${n} is not an integer`);
    const direction = n >= 0 ? 1 : -1;
    let d = date;
    for (let i = 0; i < Math.abs(n); i++) d = step(d, direction);
    return d;
  }

  function workingDaysBetween(from: PlainDate, to: PlainDate): number {
    if (to < from) return -workingDaysBetweenInclusiveExclusive(to, from);
    let count = 0;
    for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d)) count++;
    return count;
  }

  // Counts [a, b) so that workingDaysBetween(x, y) = −workingDaysBetween(y, x) and add/subtract round-trip.
  function workingDaysBetweenInclusiveExclusive(a: PlainDate, b: PlainDate): number {
    let count = 0;
    for (let d = a; d < b; d = addDays(d, 1)) if (isWorkingDay(d)) count++;
    return count;
  }

  return {
    config,
    nonWorkingDay,
    isWorkingDay,
    nextWorkingDay: (date) => step(date, 1),
    previousWorkingDay: (date) => step(date, -1),
    workingDayOnOrAfter: (date) => (isWorkingDay(date) ? date : step(date, 1)),
    workingDayOnOrBefore: (date) => (isWorkingDay(date) ? date : step(date, -1)),
    addWorkingDays,
    subtractWorkingDays: (date, n) => addWorkingDays(date, -n),
    workingDaysBetween,
    nonWorkingDaysInYear: (year) =>
      [...table(year).values()]
        .map((d) => ({ ...d, alsoWeekend: isoWeekday(d.date) >= 6 }))
        .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
  };
}

/** The default Danish calendar: public holidays plus Grundlovsdag, 24 and 31 December. */
export const danishCalendar: WorkingDayCalendar = createCalendar();
