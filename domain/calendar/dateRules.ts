/**
 * Date rules found in the KKR Syddanmark documents that are rules rather than single dates: "løbende måned
 * plus N måneder", "inden/senest den X", "1. januar i valgperiodens 3. år", the Rammeaftale's annual
 * reporting dates, relative deadlines (30 dage, 1 måned, 3 måneder, 2 uger) and the Sundhedsdirektørkreds'
 * meeting rules. Notice periods (Bilag 6) are in `notice.ts`.
 *
 * Each rule that yields a deadline returns a Deadline value with the source wording, so the rule applied is
 * visible in the case; the working-day rule is a parameter with a documented default.
 */
import { makeDeadline, type Deadline, type DeadlineRule } from './deadline';
import {
  addDays,
  addMonths,
  endOfMonth,
  isLeapYear,
  lastDayOfMonth,
  plainDate,
  startOfMonth,
  yearOf,
  type PlainDate,
} from './plainDate';
import type { WorkingDayCalendar } from './workingDays';

export interface RuleOptions {
  readonly calendar?: WorkingDayCalendar;
  /** Overrides the rule's default working-day rule. */
  readonly rule?: DeadlineRule;
}

// ---------------------------------------------------------------------------------------------------------
// Month rules

/**
 * "Løbende måned plus N måneder": the rest of the month in which notice is given, plus N whole calendar
 * months, i.e. the last day of the N-th month after the month of `date` (rammeaftale.md §11.3, literal
 * reading ALT-A; 2024-01-14 with N = 2 → 2024-03-31). N = 0 is "løbende måned": the end of the current month.
 */
export function endOfRunningMonthPlus(date: PlainDate, months: number): PlainDate {
  if (!Number.isInteger(months) || months < 0) throw new RangeError(`endOfRunningMonthPlus: ${months} måneder`);
  return endOfMonth(addMonths(startOfMonth(date), months));
}

/** "Ultimo <måned>": the last day of the month (used for "senest ultimo august"). */
export function ultimo(year: number, month: number): PlainDate {
  return lastDayOfMonth(year, month);
}

/**
 * "Primo <måned>": the first day of the month. The documents use it for soft announcements ("Databasen vil
 * være tilgængelig primo september"), so it is an earliest expectation, never a deadline.
 */
export function primo(year: number, month: number): PlainDate {
  return plainDate(year, month, 1);
}

// ---------------------------------------------------------------------------------------------------------
// Municipal election periods

/** Municipal elections (kommunalvalg) are held in November every 4 years: 2017, 2021, 2025, 2029 … */
export const ELECTION_YEAR_ANCHOR = 2021;
export const ELECTION_PERIOD_YEARS = 4;

export interface ElectionPeriod {
  readonly electionYear: number;
  /** The period runs 1 January after the election year … 31 December four years later. */
  readonly startYear: number;
  readonly endYear: number;
  readonly start: PlainDate;
  readonly end: PlainDate;
}

function isElectionYear(year: number): boolean {
  return (((year - ELECTION_YEAR_ANCHOR) % ELECTION_PERIOD_YEARS) + ELECTION_PERIOD_YEARS) % ELECTION_PERIOD_YEARS === 0;
}

export function electionPeriodAfterElection(electionYear: number): ElectionPeriod {
  if (!Number.isInteger(electionYear) || !isElectionYear(electionYear)) {
    throw new RangeError(`${electionYear} er ikke et kommunalvalgsår (valg holdes hvert 4. år: 2021, 2025, 2029 …)`);
  }
  const startYear = electionYear + 1;
  const endYear = startYear + ELECTION_PERIOD_YEARS - 1;
  return { electionYear, startYear, endYear, start: plainDate(startYear, 1, 1), end: plainDate(endYear, 12, 31) };
}

export function electionPeriodStartingIn(startYear: number): ElectionPeriod {
  return electionPeriodAfterElection(startYear - 1);
}

export function electionPeriodContaining(date: PlainDate): ElectionPeriod {
  const year = yearOf(date);
  const offset = (((year - 1 - ELECTION_YEAR_ANCHOR) % ELECTION_PERIOD_YEARS) + ELECTION_PERIOD_YEARS) % ELECTION_PERIOD_YEARS;
  return electionPeriodAfterElection(year - 1 - offset);
}

/** Year k (1–4) of an election period: the 3rd year of 2022–2025 is 2024. */
export function yearOfElectionPeriod(period: ElectionPeriod, k: number): number {
  if (!Number.isInteger(k) || k < 1 || k > ELECTION_PERIOD_YEARS) {
    throw new RangeError(`Valgperioden har ${ELECTION_PERIOD_YEARS} år; år ${k} findes ikke`);
  }
  return period.startYear + k - 1;
}

/** "1. januar i valgperiodens k. år": 1 January in the 3rd year of 2022–2025 = 2024-01-01. */
export function firstOfJanuaryInYearOfElectionPeriod(period: ElectionPeriod, k: number): PlainDate {
  return plainDate(yearOfElectionPeriod(period, k), 1, 1);
}

const DANISH_ORDINAL_YEARS = ['første', 'andet', 'tredje', 'fjerde'] as const;

export interface TakeoverDeadlines {
  /** Kommunalbestyrelsen must notify the Regionsråd (002:934-940). */
  readonly notifyRegionsraad: Deadline;
  /** The takeover must have happened (002:940-944). */
  readonly takeoverBy: Deadline;
}

/**
 * Takeover of a regional tilbud (SEL § 186; rammeaftale.md §14.1). Both nominal dates are 1 January, which is
 * always nytårsdag:
 * - the notification is an act towards the Regionsråd, so by default the general rule applies and it moves
 *   to the first working day of January;
 * - the takeover date is the date from which the tilbud changes operator, not an act, so it is not moved.
 */
export function regionalTakeoverDeadlines(
  period: ElectionPeriod,
  options: { calendar?: WorkingDayCalendar; notifyRule?: DeadlineRule; takeoverRule?: DeadlineRule } = {},
): TakeoverDeadlines {
  const cal = options.calendar ? { calendar: options.calendar } : {};
  return {
    notifyRegionsraad: makeDeadline({
      wording: `senest den 1. januar i valgperiodens ${DANISH_ORDINAL_YEARS[2]} år`,
      rule: options.notifyRule ?? 'generalShift',
      nominalDate: firstOfJanuaryInYearOfElectionPeriod(period, 3),
      ...cal,
    }),
    takeoverBy: makeDeadline({
      wording: `Overtagelse skal ske senest den 1. januar i valgperiodens ${DANISH_ORDINAL_YEARS[3]} år`,
      rule: options.takeoverRule ?? 'noShift',
      nominalDate: firstOfJanuaryInYearOfElectionPeriod(period, 4),
      ...cal,
    }),
  };
}

/** "Rammeaftalerne udarbejdes 1. og 3. år i den kommunale valgperiode" (001:1810). */
export function rammeaftalePreparationYears(period: ElectionPeriod): [number, number] {
  return [yearOfElectionPeriod(period, 1), yearOfElectionPeriod(period, 3)];
}

// ---------------------------------------------------------------------------------------------------------
// Rammeaftale annual reporting dates. Deadlines for acts of the parties follow the general rule by default;
// dates a body sets for its own work (the secretariat's guidance) are not moved.

function worded(wording: string, nominalDate: PlainDate, defaultRule: DeadlineRule, options: RuleOptions): Deadline {
  return makeDeadline({
    wording,
    nominalDate,
    rule: options.rule ?? defaultRule,
    ...(options.calendar ? { calendar: options.calendar } : {}),
  });
}

/** Takster (and new tilbud) for `takstYear` must be reported by 15 November the year before (002:2178, 002:2428). */
export function takstReportingDeadline(takstYear: number, options: RuleOptions = {}): Deadline {
  return worded(
    'Taksterne skal være indberettet senest 15. november året før de træder i kraft',
    plainDate(takstYear - 1, 11, 15),
    'generalShift',
    options,
  );
}

/** The secretariat's guidance for reporting `takstYear` takster: "senest ultimo august" the year before (002:2429-2430). */
export function takstGuidanceDeadline(takstYear: number, options: RuleOptions = {}): Deadline {
  return worded(
    'der udsendes vejledning til indberetningen senest ultimo august',
    ultimo(takstYear - 1, 8),
    'noShift',
    options,
  );
}

/** The reporting database opens "primo september" the year before; an expectation, not a deadline. */
export function takstDatabaseOpens(takstYear: number): PlainDate {
  return primo(takstYear - 1, 9);
}

/** Average occupancy for the first half-year, reported by 20 August of the same year (002:1093-1101). */
export function occupancyReportDeadline(year: number, options: RuleOptions = {}): Deadline {
  return worded(`Indberetningen skal ske senest den 20. august ${year}`, plainDate(year, 8, 20), 'generalShift', options);
}

export interface InformationFormWindow {
  /** The handlekommune may ask for the forms from this day (002:3026-3027). */
  readonly requestableFrom: PlainDate;
  readonly deadline: Deadline;
}

/** Oplysningsskemaer for `budgetYear`: from 1 October, at the latest 1 November the year before (002:2831-2833). */
export function informationFormWindow(budgetYear: number, options: RuleOptions = {}): InformationFormWindow {
  return {
    requestableFrom: plainDate(budgetYear - 1, 10, 1),
    deadline: worded(
      'sender tilbuddet senest 1. november året før et oplysningsskema',
      plainDate(budgetYear - 1, 11, 1),
      'generalShift',
      options,
    ),
  };
}

/**
 * Oplysningsskema for a citizen enrolled after 1 November: "så vidt muligt … senest 2 uger inden
 * indskrivningsdagen" (002:2833-2834). Counted back from the enrolment, so a non-working day moves it earlier.
 */
export function informationFormForNewCitizen(enrolmentDate: PlainDate, options: RuleOptions = {}): Deadline {
  return worded(
    'så vidt muligt sendes til handlekommunen senest 2 uger inden indskrivningsdagen',
    addDays(enrolmentDate, -14),
    'backwardShift',
    options,
  );
}

/** "Køber skal hurtigst muligt og senest 30 dage efter godkende kontrakten" (002:3176); day 0 = receipt. */
export function contractApprovalDeadline(receivedDate: PlainDate, options: RuleOptions = {}): Deadline {
  return worded(
    'Køber skal hurtigst muligt og senest 30 dage efter godkende kontrakten eller vende tilbage til driftsherre',
    addDays(receivedDate, 30),
    'generalShift',
    options,
  );
}

/** "Fristen for betaling fastsættes til 1 måned" (002:3130), month-end clamped. */
export function invoicePaymentDeadline(invoiceDate: PlainDate, options: RuleOptions = {}): Deadline {
  return worded('Fristen for betaling fastsættes til 1 måned', addMonths(invoiceDate, 1), 'generalShift', options);
}

/** Disagreement on an invoice "helst inden for 14 dage" (002:3131-3133): a soft window. */
export function invoiceDisputeDeadline(invoiceDate: PlainDate, options: RuleOptions = {}): Deadline {
  return worded(
    'Såfremt der er uenighed om en regning, meddeles dette til udbyderen helst inden for 14 dage',
    addDays(invoiceDate, 14),
    'generalShift',
    options,
  );
}

/** The provisional closure account: "hurtigst muligt og senest 3 måneder efter beslutningen" (002:1942-1943). */
export function provisionalClosureAccountDeadline(decisionDate: PlainDate, options: RuleOptions = {}): Deadline {
  return worded(
    'Dette skal ske hurtigst muligt og senest 3 måneder efter beslutningen',
    addMonths(decisionDate, 3),
    'generalShift',
    options,
  );
}

export interface ResultCarryForward {
  /** A result beyond 5 % must be in the takst of this year at the latest ("senest 2 år efter", 002:2648-2667). */
  readonly takstYearAtLatest: number;
  /** A reserved surplus (≤ 5 %) must be used within 5 years after the year it concerns (002:2651-2655). */
  readonly reserveUseByYear: number;
  readonly reserveUseBy: PlainDate;
}

export function resultCarryForward(resultYear: number): ResultCarryForward {
  return {
    takstYearAtLatest: resultYear + 2,
    reserveUseByYear: resultYear + 5,
    reserveUseBy: plainDate(resultYear + 5, 12, 31),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Special-education billing year (002:2729-2735, 002:3135-3143)

export type SpecialEducationBilling = 'julyFree' | 'fullYear';

/** Billable days in a calendar year: 334/335 when July is free, else 365/366. */
export function specialEducationBillingDays(year: number, method: SpecialEducationBilling): number {
  const days = isLeapYear(year) ? 366 : 365;
  return method === 'julyFree' ? days - 31 : days;
}

/** A school year starts 1 August and ends 30 June (July free) or 31 July (internal schools). */
export function schoolYear(startYear: number, method: SpecialEducationBilling): { start: PlainDate; end: PlainDate } {
  return {
    start: plainDate(startYear, 8, 1),
    end: method === 'julyFree' ? plainDate(startYear + 1, 6, 30) : plainDate(startYear + 1, 7, 31),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Sundhedsdirektørkredsen's rules of procedure (004:1354-1376; other-procedures.md §1.5)

export interface MeetingDeadlines {
  /** "senest tre uger før et ordinært møde" */
  readonly agendaProposals: Deadline;
  /** "en uge før mødet" */
  readonly agendaDispatch: Deadline;
  /** "senest en uge efter mødets afholdelse" */
  readonly minutesDispatch: Deadline;
  /** Three days to comment after the minutes are sent; then they count as approved. Needs the dispatch date. */
  readonly minutesComments?: Deadline;
}

/**
 * Deadlines around an SDK meeting in calendar days. These are the body's own rules of procedure, so by
 * default nothing is moved (other-procedures.md §1.5 golden case: meeting 2023-10-05 → 09-14, 09-28, 10-12 and
 * approval 3 days after dispatch); the seeds do not say calendar or working days, so the rule is a parameter.
 */
export function sdkMeetingDeadlines(
  meetingDate: PlainDate,
  options: RuleOptions & { minutesSentOn?: PlainDate } = {},
): MeetingDeadlines {
  const base: MeetingDeadlines = {
    agendaProposals: worded(
      'Forslag til dagsordenspunkter skal være sekretariatet i hænde senest tre uger før et ordinært møde',
      addDays(meetingDate, -21),
      'noShift',
      options,
    ),
    agendaDispatch: worded(
      'Dagsorden for et ordinært møde udsendes til Sundhedsdirektørkredsens medlemmer en uge før mødet',
      addDays(meetingDate, -7),
      'noShift',
      options,
    ),
    minutesDispatch: worded(
      'Referatet udsendes senest en uge efter mødets afholdelse',
      addDays(meetingDate, 7),
      'noShift',
      options,
    ),
  };
  if (options.minutesSentOn === undefined) return base;
  return {
    ...base,
    minutesComments: worded(
      'har tre dage til at kommentere. Herefter betragtes referatet som godkendt',
      addDays(options.minutesSentOn, 3),
      'noShift',
      options,
    ),
  };
}
