/**
 * Public holidays according to the `date-holidays` package (`new Holidays('DK')`).
 *
 * Kept out of `index.ts` on purpose: the engine's calendar uses the self-contained computus in `holidays.ts`
 * (deterministic, no data files, safe in workflow sandboxes). This adapter exists so that tests and
 * operational tooling can cross-check our table against an independent, maintained source, and so that a
 * future change in Danish law shows up as a disagreement rather than going unnoticed.
 */
import Holidays from 'date-holidays';
import { parsePlainDate, type PlainDate } from './plainDate';

export interface LibraryHoliday {
  readonly date: PlainDate;
  readonly name: string;
}

let instance: Holidays | undefined;

/** Holidays of type "public" for Denmark in `year`, in date order. */
export function publicHolidaysFromDateHolidays(year: number): LibraryHoliday[] {
  instance ??= new Holidays('DK');
  return instance
    .getHolidays(year)
    .filter((h) => h.type === 'public')
    .map((h) => ({ date: parsePlainDate(h.date.slice(0, 10)), name: h.name }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
