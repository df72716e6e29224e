/**
 * Notice periods and the end of payment (Rammeaftale Bilag 6, Opsigelsesvarsler, 002:1972-2175;
 * rammeaftale.md §11).
 *
 * "Ved ophør fra handlekommunen betales til og med ophørsdato, dog minimum efter nedenstående
 * opsigelsesfrister" — payment runs to the requested end date but at least to the end of the notice period,
 * and stops when a new citizen takes over the place (002:2173).
 *
 * The phrase "løbende måned (+ N måneder)" has two readings (ambiguity A-22):
 * - runningMonthPlus: to the end of the N-th month after the month of notice (the literal reading);
 * - monthsDateToDate: N+1 months from the notice date, date to date.
 * The seed defines the phrase once, for botilbud: "Løbende måned + 1 måned. 2 måneder ved opsigelse en
 * vilkårlig dag i måneden. Hvis f.eks. borger skal flytte ud pr. 14. marts, skal handlekommunen senest opsige
 * borgeren den 14. januar." Rows using that same phrase ("løbende måned + 1 måned") default to that
 * definition; rows with other phrases ("løbende måned", "løbende måned plus to måneder") have no definition
 * and default to the literal reading. Every result also carries the other reading, so the user sees both
 * until the reading is decided, and any row's measure can be overridden.
 */
import { formatDanishDate } from './format';
import { makeDeadline, type Deadline } from './deadline';
import { endOfRunningMonthPlus } from './dateRules';
import { addDays, addMonths, maxDate, type PlainDate } from './plainDate';
import type { WorkingDayCalendar } from './workingDays';

export type NoticeMeasure =
  | { readonly kind: 'runningMonthPlus'; readonly months: number }
  | { readonly kind: 'monthsDateToDate'; readonly months: number }
  | { readonly kind: 'days'; readonly days: number }
  /** No notice: payment to and including the discharge day / last commenced day. */
  | { readonly kind: 'untilEndDate' }
  /** The parties agree the notice (enkeltmandsforanstaltning); a measure must be supplied. */
  | { readonly kind: 'agreed' };

export type NoticeRowKey =
  | 'botilbud'
  | 'dagtilbud'
  | 'krisecenterMidlertidigtBotilbud'
  | 'stofmisbrugsbehandling'
  | 'sikretDoegninstitution'
  | 'pakkeskiftMarginal'
  | 'pakkeskiftBotilbud'
  | 'pakkeskiftDagtilbud'
  | 'saerforanstaltning'
  | 'enkeltmandsforanstaltning'
  | 'lukning'
  | 'revisiteringUenighed';

export type NoticeInitiator = 'handlekommunen' | 'udbyder' | 'tilbuddet' | 'tilbuddet/kommunen';

export interface NoticeRow {
  readonly key: NoticeRowKey;
  /** Danish label of the row. */
  readonly label: string;
  /** The notice text quoted from Tabel 6.1/6.2. */
  readonly wording: string;
  readonly initiator: NoticeInitiator;
  readonly source: string;
  readonly measure: NoticeMeasure;
  /** The other reading of an ambiguous phrase, reported next to the default. */
  readonly alternative?: NoticeMeasure;
  /** True when the parties may agree a longer notice ("Der kan dog aftales et længere opsigelsesvarsel"). */
  readonly longerMayBeAgreed?: boolean;
}

const runningMonthPlus = (months: number): NoticeMeasure => ({ kind: 'runningMonthPlus', months });
const dateToDate = (months: number): NoticeMeasure => ({ kind: 'monthsDateToDate', months });

export const NOTICE_ROWS: Readonly<Record<NoticeRowKey, NoticeRow>> = {
  botilbud: {
    key: 'botilbud',
    label: 'Botilbud (SEL §§ 107, 108, ABL § 105, SEL § 66 nr. 6 og nr. 7 undtagen sikrede)',
    wording:
      'Løbende måned + 1 måned. 2 måneder ved opsigelse en vilkårlig dag i måneden. Hvis f.eks. borger skal flytte ud pr. 14. marts, skal handlekommunen senest opsige borgeren den 14. januar. Der betales til og med den 14. marts.',
    initiator: 'handlekommunen',
    source: '002:1984-2024',
    measure: dateToDate(2),
    alternative: runningMonthPlus(1),
  },
  dagtilbud: {
    key: 'dagtilbud',
    label: 'Dagtilbud (SEL §§ 32, 36, 103, 104, FSL § 20, stk. 2 og 3, LSV § 1, stk. 2 og 3)',
    wording: 'Løbende måned.',
    initiator: 'handlekommunen',
    source: '002:2026-2074',
    measure: runningMonthPlus(0),
    alternative: dateToDate(1),
  },
  krisecenterMidlertidigtBotilbud: {
    key: 'krisecenterMidlertidigtBotilbud',
    label: 'Kvindekrisecentre (SEL § 109) og midlertidige botilbud (SEL § 110)',
    wording: 'Afregnes til og med udskrivningsdagen.',
    initiator: 'tilbuddet',
    source: '002:2076-2086',
    measure: { kind: 'untilEndDate' },
  },
  stofmisbrugsbehandling: {
    key: 'stofmisbrugsbehandling',
    label: 'Stofmisbrugsbehandling (SEL § 101)',
    wording: 'Afregnes til og med udskrivningsdagen.',
    initiator: 'tilbuddet/kommunen',
    source: '002:2088-2096',
    measure: { kind: 'untilEndDate' },
  },
  sikretDoegninstitution: {
    key: 'sikretDoegninstitution',
    label: 'Sikret døgninstitution (SEL § 66 nr. 7)',
    wording: 'Betaling til og med sidste påbegyndte opholdsdag.',
    initiator: 'tilbuddet/kommunen',
    source: '002:2098-2106',
    measure: { kind: 'untilEndDate' },
  },
  pakkeskiftMarginal: {
    key: 'pakkeskiftMarginal',
    label: 'Pakkeskift til én over- eller underliggende pakke',
    wording: '30 dage medmindre andet aftales.',
    initiator: 'handlekommunen',
    source: '002:2113-2122',
    measure: { kind: 'days', days: 30 },
  },
  pakkeskiftBotilbud: {
    key: 'pakkeskiftBotilbud',
    label: 'Pakkeskift til mere end én over- eller underliggende pakke, botilbud',
    wording: 'Botilbud: løbende måned + 1 måned. Andre frister kan dog aftales.',
    initiator: 'handlekommunen',
    source: '002:2124-2136',
    measure: dateToDate(2),
    alternative: runningMonthPlus(1),
  },
  pakkeskiftDagtilbud: {
    key: 'pakkeskiftDagtilbud',
    label: 'Pakkeskift til mere end én over- eller underliggende pakke, dagtilbud',
    wording: 'Dagtilbud: løbende måned. Andre frister kan dog aftales.',
    initiator: 'handlekommunen',
    source: '002:2124-2136',
    measure: runningMonthPlus(0),
    alternative: dateToDate(1),
  },
  saerforanstaltning: {
    key: 'saerforanstaltning',
    label: 'Særforanstaltning',
    wording:
      'Løbende måned plus en måned. Der kan dog aftales et længere opsigelsesvarsel mellem udbyder og handlekommune.',
    initiator: 'handlekommunen',
    source: '002:2138-2148',
    measure: dateToDate(2),
    alternative: runningMonthPlus(1),
    longerMayBeAgreed: true,
  },
  enkeltmandsforanstaltning: {
    key: 'enkeltmandsforanstaltning',
    label: 'Enkeltmandsforanstaltning',
    wording: 'Opsigelsesvarsel aftales mellem leverandør og handlekommune.',
    initiator: 'handlekommunen',
    source: '002:2150-2153',
    measure: { kind: 'agreed' },
  },
  lukning: {
    key: 'lukning',
    label: 'Lukning af tilbud',
    wording: 'Udbyder meddeler handlekommunerne når tilbuddet besluttes lukket. Dog gælder løbende måned plus to måneder.',
    initiator: 'udbyder',
    source: '002:2155-2160',
    measure: runningMonthPlus(2),
    alternative: dateToDate(3),
  },
  revisiteringUenighed: {
    key: 'revisiteringUenighed',
    label: 'Uenighed mellem udbyder og handlekommune om revisitering',
    wording: 'Løbende måned plus to måneder.',
    initiator: 'udbyder',
    source: '002:2162-2165',
    measure: runningMonthPlus(2),
    alternative: dateToDate(3),
  },
};

/** The earliest day payment may end for notice given on `noticeDate` (null for untilEndDate rows). */
export function minimumNoticeEnd(noticeDate: PlainDate, measure: NoticeMeasure): PlainDate | null {
  switch (measure.kind) {
    case 'runningMonthPlus':
      return endOfRunningMonthPlus(noticeDate, measure.months);
    case 'monthsDateToDate':
      return addMonths(noticeDate, measure.months);
    case 'days':
      // Counted from the day after notice: notice 14 January + 30 days = 13 February.
      return addDays(noticeDate, measure.days);
    case 'untilEndDate':
      return null;
    case 'agreed':
      throw new RangeError('Opsigelsesvarslet aftales mellem parterne; angiv det aftalte varsel');
  }
}

/** Danish description of a measure, e.g. "løbende måned plus 2 måneder (til udgangen af …)". */
export function describeNoticeMeasure(measure: NoticeMeasure): string {
  switch (measure.kind) {
    case 'runningMonthPlus':
      return measure.months === 0
        ? 'løbende måned (til udgangen af opsigelsesmåneden)'
        : `løbende måned plus ${measure.months} ${measure.months === 1 ? 'måned' : 'måneder'} (til udgangen af den ${measure.months}. måned efter opsigelsesmåneden)`;
    case 'monthsDateToDate':
      return `${measure.months} ${measure.months === 1 ? 'måned' : 'måneder'} fra dato til dato`;
    case 'days':
      return `${measure.days} dage fra dagen efter opsigelsen`;
    case 'untilEndDate':
      return 'intet varsel; betaling til og med udskrivnings-/sidste opholdsdag';
    case 'agreed':
      return 'aftalt varsel';
  }
}

export interface NoticeInput {
  readonly row: NoticeRowKey;
  /** The day written notice was given ("Der skal varsles skriftligt"). */
  readonly noticeDate: PlainDate;
  /** The end date asked for (ophørsdato / udskrivningsdag); required for rows without a notice period. */
  readonly requestedEndDate?: PlainDate;
  /** The day a new citizen takes over the place; payment stops the day before (002:2173). */
  readonly reoccupiedOn?: PlainDate;
  /** Overrides the row's default reading, or gives the agreed notice for enkeltmandsforanstaltning. */
  readonly measure?: NoticeMeasure;
}

export interface NoticeReading {
  readonly measure: NoticeMeasure;
  /** The earliest end the notice allows (null when the row has no notice period). */
  readonly minimumEnd: PlainDate | null;
  /** The last day paid for under this reading. */
  readonly paidThrough: PlainDate;
}

export interface NoticeResult extends NoticeReading {
  readonly row: NoticeRow;
  /** The same computation under the row's other reading, when the phrase is ambiguous. */
  readonly alternative?: NoticeReading;
  /** Danish explanation for the case journal. */
  readonly explanation: string;
}

function reading(input: NoticeInput, measure: NoticeMeasure): NoticeReading {
  const minimumEnd = minimumNoticeEnd(input.noticeDate, measure);
  let paidThrough: PlainDate;
  if (minimumEnd === null) {
    if (input.requestedEndDate === undefined) {
      throw new RangeError('Udskrivningsdagen (requestedEndDate) skal angives, når der afregnes til og med udskrivningsdagen');
    }
    paidThrough = input.requestedEndDate;
  } else {
    paidThrough = input.requestedEndDate !== undefined ? maxDate(minimumEnd, input.requestedEndDate) : minimumEnd;
  }
  if (input.reoccupiedOn !== undefined) {
    const lastDayBefore = addDays(input.reoccupiedOn, -1);
    if (lastDayBefore < paidThrough) paidThrough = lastDayBefore;
  }
  return { measure, minimumEnd, paidThrough };
}

/**
 * The payment end after notice on a row of Bilag 6, under the row's default reading and (for ambiguous
 * phrases) the alternative reading.
 */
export function noticePaymentEnd(input: NoticeInput): NoticeResult {
  const row = NOTICE_ROWS[input.row];
  if (row.measure.kind === 'agreed' && input.measure === undefined) {
    throw new RangeError(`${row.label}: opsigelsesvarslet aftales mellem parterne; angiv det aftalte varsel`);
  }
  if (input.reoccupiedOn !== undefined) {
    const floor = input.requestedEndDate ?? input.noticeDate;
    if (input.reoccupiedOn <= floor) {
      throw new RangeError(
        `Pladsen kan ikke være overtaget af en ny borger (${input.reoccupiedOn}) før eller samme dag som ${floor}`,
      );
    }
  }
  if (input.requestedEndDate !== undefined && input.requestedEndDate < input.noticeDate) {
    throw new RangeError(`Ophørsdatoen ${input.requestedEndDate} ligger før opsigelsen ${input.noticeDate}`);
  }
  const measure = input.measure ?? row.measure;
  const main = reading(input, measure);
  const altMeasure = input.measure === undefined ? row.alternative : undefined;
  const alternative = altMeasure ? reading(input, altMeasure) : undefined;

  const parts = [
    `${row.label}: opsigelse givet ${formatDanishDate(input.noticeDate)}`,
    `varsel: ${describeNoticeMeasure(measure)}`,
    main.minimumEnd ? `tidligst ophør ${formatDanishDate(main.minimumEnd)}` : undefined,
    `betaling til og med ${formatDanishDate(main.paidThrough)}`,
    input.reoccupiedOn !== undefined && main.paidThrough === addDays(input.reoccupiedOn, -1)
      ? `betalingen stopper dagen før pladsen blev overtaget af en ny borger (${formatDanishDate(input.reoccupiedOn)})`
      : undefined,
    alternative
      ? `ved den anden læsning (${describeNoticeMeasure(alternative.measure)}) betales til og med ${formatDanishDate(alternative.paidThrough)}`
      : undefined,
  ].filter((p): p is string => p !== undefined);

  return { row, ...main, ...(alternative ? { alternative } : {}), explanation: `${parts.join('; ')}.` };
}

/**
 * The latest notice date that still lets payment end on `desiredEnd`, e.g. botilbud, move-out 14 March →
 * notice by 14 January (002:2008-2022). minimumNoticeEnd is non-decreasing in the notice date, so the answer
 * is found by stepping back from `desiredEnd`.
 */
export function latestNoticeDate(desiredEnd: PlainDate, measure: NoticeMeasure): PlainDate {
  if (measure.kind === 'untilEndDate') return desiredEnd;
  if (measure.kind === 'agreed') throw new RangeError('Opsigelsesvarslet aftales mellem parterne; angiv det aftalte varsel');
  let d = desiredEnd;
  while ((minimumNoticeEnd(d, measure) as PlainDate) > desiredEnd) d = addDays(d, -1);
  return d;
}

/**
 * The latest notice date as a deadline value. It is counted back from the end date, so a non-working day
 * moves it to the previous working day (notice on the following Monday would be too late).
 */
export function latestNoticeDeadline(
  row: NoticeRowKey,
  desiredEnd: PlainDate,
  options: { measure?: NoticeMeasure; calendar?: WorkingDayCalendar } = {},
): Deadline {
  const r = NOTICE_ROWS[row];
  const measure = options.measure ?? r.measure;
  return makeDeadline({
    wording: `senest opsigelse for ophør ${formatDanishDate(desiredEnd)} (${r.label}: ${describeNoticeMeasure(measure)})`,
    rule: 'backwardShift',
    nominalDate: latestNoticeDate(desiredEnd, measure),
    ...(options.calendar ? { calendar: options.calendar } : {}),
  });
}
