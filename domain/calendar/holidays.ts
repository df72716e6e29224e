/**
 * Danish public holidays (helligdage) and the further days on which public offices are closed.
 *
 * Computed from our own Easter computus rather than from the `date-holidays` package, so that the result is
 * deterministic, has no data files, and can run in a Temporal workflow sandbox. The package is used only in a
 * test (and through `dateHolidaysAdapter.ts`) to cross-check this table.
 */
import { addDays, plainDate, type PlainDate } from './plainDate';

export type PublicHolidayKey =
  | 'nytaarsdag'
  | 'skaertorsdag'
  | 'langfredag'
  | 'paaskedag'
  | 'andenPaaskedag'
  | 'storeBededag'
  | 'kristiHimmelfartsdag'
  | 'pinsedag'
  | 'andenPinsedag'
  | 'juledag'
  | 'andenJuledag';

/** Days that are not public holidays but on which deadlines are still extended (forældelsesloven § 27, stk. 2). */
export type ClosingDayKey = 'grundlovsdag' | 'juleaftensdag' | 'nytaarsaftensdag';

export interface NamedDay<K extends string = string> {
  readonly key: K;
  readonly date: PlainDate;
  /** Danish name as used in user-facing text, e.g. "skærtorsdag". */
  readonly name: string;
}

export interface HolidayOptions {
  /**
   * Last year in which store bededag is a public holiday. The 2023 law abolishing it as a public holiday took
   * effect from 2024, so 2023 is the last year; kept configurable for historical or hypothetical runs.
   */
  readonly storeBededagLastYear?: number;
}

export const STORE_BEDEDAG_LAST_YEAR = 2023;

export const PUBLIC_HOLIDAY_NAMES: Readonly<Record<PublicHolidayKey, string>> = {
  nytaarsdag: 'nytårsdag',
  skaertorsdag: 'skærtorsdag',
  langfredag: 'langfredag',
  paaskedag: 'påskedag',
  andenPaaskedag: '2. påskedag',
  storeBededag: 'store bededag',
  kristiHimmelfartsdag: 'Kristi himmelfartsdag',
  pinsedag: 'pinsedag',
  andenPinsedag: '2. pinsedag',
  juledag: 'juledag',
  andenJuledag: '2. juledag',
};

export const CLOSING_DAY_NAMES: Readonly<Record<ClosingDayKey, string>> = {
  grundlovsdag: 'Grundlovsdag',
  juleaftensdag: 'juleaftensdag',
  nytaarsaftensdag: 'nytårsaftensdag',
};

/**
 * Gregorian Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). Valid for every
 * Gregorian year, which is all that plainDate accepts.
 */
export function easterSunday(year: number): PlainDate {
  if (!Number.isInteger(year)) throw new RangeError(`easterSunday: ${year} is not an integer year`);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return plainDate(year, month, day);
}

/** The Danish public holidays of a year in date order. */
export function danishPublicHolidays(year: number, options: HolidayOptions = {}): NamedDay<PublicHolidayKey>[] {
  const lastBededag = options.storeBededagLastYear ?? STORE_BEDEDAG_LAST_YEAR;
  const easter = easterSunday(year);
  const entries: [PublicHolidayKey, PlainDate][] = [
    ['nytaarsdag', plainDate(year, 1, 1)],
    ['skaertorsdag', addDays(easter, -3)],
    ['langfredag', addDays(easter, -2)],
    ['paaskedag', easter],
    ['andenPaaskedag', addDays(easter, 1)],
  ];
  // Store bededag is the 4th Friday after Easter (Easter + 26 days).
  if (year <= lastBededag) entries.push(['storeBededag', addDays(easter, 26)]);
  entries.push(
    ['kristiHimmelfartsdag', addDays(easter, 39)],
    ['pinsedag', addDays(easter, 49)],
    ['andenPinsedag', addDays(easter, 50)],
    ['juledag', plainDate(year, 12, 25)],
    ['andenJuledag', plainDate(year, 12, 26)],
  );
  return entries
    .map(([key, date]) => ({ key, date, name: PUBLIC_HOLIDAY_NAMES[key] }))
    .sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

/** Grundlovsdag (5 June), juleaftensdag (24 December) and nytårsaftensdag (31 December) of a year. */
export function danishClosingDays(year: number): NamedDay<ClosingDayKey>[] {
  return [
    { key: 'grundlovsdag', date: plainDate(year, 6, 5), name: CLOSING_DAY_NAMES.grundlovsdag },
    { key: 'juleaftensdag', date: plainDate(year, 12, 24), name: CLOSING_DAY_NAMES.juleaftensdag },
    { key: 'nytaarsaftensdag', date: plainDate(year, 12, 31), name: CLOSING_DAY_NAMES.nytaarsaftensdag },
  ];
}
