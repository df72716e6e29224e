import { describe, expect, it } from 'vitest';
import {
  contractApprovalDeadline,
  electionPeriodAfterElection,
  electionPeriodContaining,
  electionPeriodStartingIn,
  endOfRunningMonthPlus,
  firstOfJanuaryInYearOfElectionPeriod,
  informationFormForNewCitizen,
  informationFormWindow,
  interpretationForWording,
  invoiceDisputeDeadline,
  invoicePaymentDeadline,
  makeDeadline,
  occupancyReportDeadline,
  parsePlainDate,
  provisionalClosureAccountDeadline,
  rammeaftalePreparationYears,
  regionalTakeoverDeadlines,
  resultCarryForward,
  schoolYear,
  sdkMeetingDeadlines,
  specialEducationBillingDays,
  takstDatabaseOpens,
  takstGuidanceDeadline,
  takstReportingDeadline,
} from '../../domain/calendar';

const P = parsePlainDate;

describe('"løbende måned plus N måneder" (end of the N-th month after the month of notice)', () => {
  it.each<[string, number, string, string]>([
    ['2024-01-14', 2, '2024-03-31', 'closure notice 14 January 2024 → 31 March 2024 (rammeaftale.md N5)'],
    ['2023-05-10', 2, '2023-07-31', 'closure notice 10 May 2023 → 31 July 2023 (other-procedures.md A9)'],
    ['2023-05-10', 0, '2023-05-31', '"løbende måned" (dagtilbud): notice 10 May 2023 → 31 May 2023'],
    ['2023-12-01', 2, '2024-02-29', 'notice on 1 December 2023 → end of February 2024, a leap year'],
    ['2024-12-31', 2, '2025-02-28', 'notice on the last day of the month still runs the whole month'],
    ['2030-11-15', 1, '2030-12-31', '"løbende måned plus en måned", literal reading'],
  ])('%s + %i → %s (%s)', (notice, n, expected) => {
    expect(endOfRunningMonthPlus(P(notice), n)).toBe(expected);
  });
});

describe('"inden den X" vs "senest den X"', () => {
  it('"senest" is on or before, even in "senest 3 måneder før" where "før" is part of the offset', () => {
    expect(interpretationForWording('senest den 1. maj').interpretation).toBe('onOrBefore');
    expect(interpretationForWording('dog senest 3 måneder før, ændringerne konkret sker').interpretation).toBe('onOrBefore');
  });

  it('"inden den 10. september" is on or before by default (careful reading) and strictly before when configured', () => {
    expect(interpretationForWording('inden den 10. september 2023').interpretation).toBe('onOrBefore');
    expect(interpretationForWording('Aftalen skal meddeles Udlændingestyrelsen inden den 10. september 2023.', { indenMeans: 'strictlyBefore' }).interpretation).toBe('strictlyBefore');
  });

  it('a bare "før den X" is strictly before X', () => {
    expect(interpretationForWording('før den 1. juli 2023').interpretation).toBe('strictlyBefore');
  });

  it('the strict reading of "inden den 30. september 2023" makes Friday 29 September the last day, nothing to shift', () => {
    const d = makeDeadline({ wording: 'inden den 30. september 2023', rule: 'generalShift', nominalDate: P('2023-09-30'), indenMeans: 'strictlyBefore' });
    expect(d).toMatchObject({ interpretation: 'strictlyBefore', dueDate: '2023-09-29' });
    expect(d.shiftedFrom).toBeUndefined();
    expect(d.reason).toContain('sidste rettidige dag er fredag 29. september 2023');
  });
});

describe('municipal election periods and "1. januar i valgperiodens k. år"', () => {
  it('elections 2021, 2025, 2029 → periods 2022–2025, 2026–2029, 2030–2033', () => {
    expect(electionPeriodAfterElection(2021)).toMatchObject({ startYear: 2022, endYear: 2025, start: '2022-01-01', end: '2025-12-31' });
    expect(electionPeriodAfterElection(2025)).toMatchObject({ startYear: 2026, endYear: 2029 });
    expect(electionPeriodAfterElection(2029)).toMatchObject({ startYear: 2030, endYear: 2033 });
    expect(() => electionPeriodAfterElection(2023)).toThrow(/kommunalvalgsår/);
    expect(() => electionPeriodStartingIn(2024)).toThrow();
  });

  it('the period containing a date: 2025-12-31 is in 2022–2025, 2026-01-01 in 2026–2029', () => {
    expect(electionPeriodContaining(P('2025-12-31')).startYear).toBe(2022);
    expect(electionPeriodContaining(P('2026-01-01')).startYear).toBe(2026);
    expect(electionPeriodContaining(P('2023-06-20')).electionYear).toBe(2021);
  });

  it('1 January in the 3rd year of 2022–2025 is 2024-01-01; in the 4th year 2025-01-01', () => {
    const p = electionPeriodStartingIn(2022);
    expect(firstOfJanuaryInYearOfElectionPeriod(p, 3)).toBe('2024-01-01');
    expect(firstOfJanuaryInYearOfElectionPeriod(p, 4)).toBe('2025-01-01');
    expect(() => firstOfJanuaryInYearOfElectionPeriod(p, 5)).toThrow();
  });

  it('takeover of a regional tilbud, period 2026–2029: notify by 1 Jan 2028 (nytårsdag → Monday 3 Jan 2028 under the general rule), take over by 1 Jan 2029 (not moved)', () => {
    const t = regionalTakeoverDeadlines(electionPeriodStartingIn(2026));
    expect(t.notifyRegionsraad).toMatchObject({ nominalDate: '2028-01-01', dueDate: '2028-01-03', shiftedFrom: '2028-01-01' });
    expect(t.notifyRegionsraad.reason).toContain('nytårsdag');
    expect(t.takeoverBy).toMatchObject({ nominalDate: '2029-01-01', dueDate: '2029-01-01', rule: 'noShift' });
  });

  it('the Rammeaftale is prepared in years 1 and 3 of the period (2022 and 2024 for 2022–2025)', () => {
    expect(rammeaftalePreparationYears(electionPeriodStartingIn(2022))).toEqual([2022, 2024]);
  });
});

describe('Rammeaftale annual and relative dates (other-procedures.md Appendix A9)', () => {
  it('takster for 2025 are due 15 November 2024 (a Friday); for 2026, 15 November 2025 is a Saturday → Monday 17 November', () => {
    expect(takstReportingDeadline(2025).dueDate).toBe('2024-11-15');
    expect(takstReportingDeadline(2026)).toMatchObject({ nominalDate: '2025-11-15', dueDate: '2025-11-17' });
  });

  it('guidance "senest ultimo august" 2024 is 31 August 2024 (the secretariat’s own date, not moved); database opens primo September', () => {
    expect(takstGuidanceDeadline(2025)).toMatchObject({ dueDate: '2024-08-31', rule: 'noShift' });
    expect(takstDatabaseOpens(2025)).toBe('2024-09-01');
  });

  it('occupancy for H1 2023 is due 20 August 2023, a Sunday → Monday 21 August; 2024: Tuesday 20 August', () => {
    expect(occupancyReportDeadline(2023)).toMatchObject({ nominalDate: '2023-08-20', dueDate: '2023-08-21' });
    expect(occupancyReportDeadline(2024).dueDate).toBe('2024-08-20');
  });

  it('oplysningsskemaer for 2025: requestable from 1 October 2024, due 1 November 2024', () => {
    const w = informationFormWindow(2025);
    expect(w.requestableFrom).toBe('2024-10-01');
    expect(w.deadline.dueDate).toBe('2024-11-01');
  });

  it('a new citizen enrolled 20 November 2023 → oplysningsskema by Monday 6 November 2023 (2 weeks before)', () => {
    expect(informationFormForNewCitizen(P('2023-11-20')).dueDate).toBe('2023-11-06');
  });

  it('two weeks before an enrolment on Monday 8 January 2024 is 25 December (juledag) → moved back to Friday 22 December 2023', () => {
    expect(informationFormForNewCitizen(P('2024-01-08'))).toMatchObject({ nominalDate: '2023-12-25', dueDate: '2023-12-22' });
  });

  it('contract received 1 March 2023 → approve by Friday 31 March 2023 (30 days)', () => {
    expect(contractApprovalDeadline(P('2023-03-01')).dueDate).toBe('2023-03-31');
  });

  it('invoice 31 March 2023 → due 30 April 2023 (a Sunday) → Monday 1 May 2023; dispute preferably by 14 April 2023', () => {
    expect(invoicePaymentDeadline(P('2023-03-31'))).toMatchObject({ nominalDate: '2023-04-30', dueDate: '2023-05-01' });
    expect(invoiceDisputeDeadline(P('2023-03-31')).dueDate).toBe('2023-04-14');
  });

  it('provisional closure account within 3 months: decision 30 November 2023 → 29 February 2024 (clamped)', () => {
    expect(provisionalClosureAccountDeadline(P('2023-11-30')).dueDate).toBe('2024-02-29');
  });

  it('a 2024 result beyond 5 % must be in the 2026 takst; a reserved 2024 surplus must be used by end of 2029', () => {
    expect(resultCarryForward(2024)).toEqual({ takstYearAtLatest: 2026, reserveUseByYear: 2029, reserveUseBy: '2029-12-31' });
  });

  it('special-education billing: 334 days (335 in a leap year) with July free, else 365/366', () => {
    expect(specialEducationBillingDays(2023, 'julyFree')).toBe(334);
    expect(specialEducationBillingDays(2024, 'julyFree')).toBe(335);
    expect(specialEducationBillingDays(2028, 'fullYear')).toBe(366);
    expect(schoolYear(2024, 'julyFree')).toEqual({ start: '2024-08-01', end: '2025-06-30' });
    expect(schoolYear(2024, 'fullYear').end).toBe('2025-07-31');
  });
});

describe('Sundhedsdirektørkredsen meeting rules (other-procedures.md §1.5)', () => {
  it('meeting 5 October 2023 → proposals 14 Sept, agenda 28 Sept, minutes 12 Oct, approved after 15 Oct when sent 12 Oct', () => {
    const m = sdkMeetingDeadlines(P('2023-10-05'), { minutesSentOn: P('2023-10-12') });
    expect(m.agendaProposals.dueDate).toBe('2023-09-14');
    expect(m.agendaDispatch.dueDate).toBe('2023-09-28');
    expect(m.minutesDispatch.dueDate).toBe('2023-10-12');
    expect(m.minutesComments?.dueDate).toBe('2023-10-15');
  });

  it('the comment period can be read under the general rule instead: 15 October 2023 is a Sunday → Monday 16 October', () => {
    const m = sdkMeetingDeadlines(P('2023-10-05'), { minutesSentOn: P('2023-10-12'), rule: 'generalShift' });
    expect(m.minutesComments?.dueDate).toBe('2023-10-16');
  });
});
