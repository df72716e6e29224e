/**
 * Instants for "the end of a calendar day in Copenhagen".
 *
 * A deadline expires at midnight Danish time, so timers need the instant of 23:59:59.999 local time, whose UTC
 * offset is +01:00 in winter and +02:00 in summer. The offset comes from Intl (the runtime's IANA time-zone
 * data), as required for correctness if the rules ever change; if a runtime has no time-zone data, the
 * EU summer-time rule (in force since 1996) is used instead, and a test keeps the two in agreement.
 */
import { fromDayNumber, plainDate, toDayNumber, yearOf, type PlainDate } from './plainDate';

export const COPENHAGEN = 'Europe/Copenhagen';

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  if (!formatters.has(timeZone)) {
    let f: Intl.DateTimeFormat | null = null;
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      f = null;
    }
    formatters.set(timeZone, f);
  }
  return formatters.get(timeZone) ?? null;
}

function civilDayNumber(year: number, month: number, day: number): number {
  return toDayNumber(plainDate(year, month, day));
}

/** The last Sunday of a month, as a day number. */
function lastSunday(year: number, month: number): number {
  const nextFirst = month === 12 ? civilDayNumber(year + 1, 1, 1) : civilDayNumber(year, month + 1, 1);
  const last = nextFirst - 1;
  const isoWd = ((((last + 3) % 7) + 7) % 7) + 1;
  return last - (isoWd % 7);
}

/**
 * UTC offset in minutes of Central European (Summer) Time at an instant, by the EU rule: summer time from
 * 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October.
 */
export function euCentralOffsetMinutes(epochMs: number): number {
  // The transitions are months away from New Year, so the UTC calendar year is the right one.
  const y = yearOf(fromDayNumber(Math.floor(epochMs / MS_PER_DAY)));
  const start = lastSunday(y, 3) * MS_PER_DAY + 3_600_000;
  const end = lastSunday(y, 10) * MS_PER_DAY + 3_600_000;
  return epochMs >= start && epochMs < end ? 120 : 60;
}

/** UTC offset in minutes of `timeZone` at an instant (positive east of Greenwich). */
export function utcOffsetMinutes(epochMs: number, timeZone: string = COPENHAGEN): number {
  const f = formatterFor(timeZone);
  if (!f) {
    if (timeZone === COPENHAGEN) return euCentralOffsetMinutes(epochMs);
    throw new RangeError(`Ukendt tidszone: ${timeZone}`);
  }
  const wholeSecondMs = Math.floor(epochMs / 1000) * 1000;
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(wholeSecondMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const wallMs =
    civilDayNumber(parts.year!, parts.month!, parts.day!) * MS_PER_DAY +
    parts.hour! * 3_600_000 +
    parts.minute! * MS_PER_MINUTE +
    parts.second! * 1000;
  return Math.round((wallMs - wholeSecondMs) / MS_PER_MINUTE);
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export interface EndOfDay {
  /** ISO 8601 instant with the local offset, e.g. "2023-09-11T23:59:59.999+02:00". */
  readonly iso: string;
  readonly epochMs: number;
  readonly offsetMinutes: number;
}

/**
 * The instant of 23:59:59.999 local time on `date`. DST transitions in Denmark happen at 02:00/03:00 local
 * time, so the end of a day is never ambiguous or skipped; the offset is nevertheless re-checked at the
 * resulting instant rather than assumed.
 */
export function endOfDayInstant(date: PlainDate, timeZone: string = COPENHAGEN): EndOfDay {
  const wallMs = toDayNumber(date) * MS_PER_DAY + MS_PER_DAY - 1;
  let offset = utcOffsetMinutes(wallMs - 12 * 3_600_000, timeZone);
  let epochMs = wallMs - offset * MS_PER_MINUTE;
  const check = utcOffsetMinutes(epochMs, timeZone);
  if (check !== offset) {
    offset = check;
    epochMs = wallMs - offset * MS_PER_MINUTE;
  }
  return { iso: `${date}T23:59:59.999${formatOffset(offset)}`, epochMs, offsetMinutes: offset };
}

/** Today's date in Copenhagen, 'YYYY-MM-DD' (by the EU rule, so it is the same inside a workflow and outside). */
export function copenhagenToday(nowMs: number = Date.now()): string {
  return new Date(nowMs + euCentralOffsetMinutes(nowMs) * MS_PER_MINUTE).toISOString().slice(0, 10);
}
