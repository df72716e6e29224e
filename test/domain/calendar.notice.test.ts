import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  fromDayNumber,
  latestNoticeDate,
  latestNoticeDeadline,
  minimumNoticeEnd,
  NOTICE_ROWS,
  noticePaymentEnd,
  parsePlainDate,
  toDayNumber,
  type NoticeMeasure,
} from '../../domain/calendar';

const P = parsePlainDate;

describe('Bilag 6 notice periods (rammeaftale.md §11.3 golden cases)', () => {
  it('N1 botilbud: notice 14 January 2024, move-out 14 March → paid through 14 March 2024 (seed example, 2 months date to date)', () => {
    const r = noticePaymentEnd({ row: 'botilbud', noticeDate: P('2024-01-14'), requestedEndDate: P('2024-03-14') });
    expect(r.paidThrough).toBe('2024-03-14');
    expect(r.measure).toEqual({ kind: 'monthsDateToDate', months: 2 });
  });

  it('N2 botilbud: to end on 14 March 2024 notice must be given by 14 January 2024', () => {
    expect(latestNoticeDate(P('2024-03-14'), NOTICE_ROWS.botilbud.measure)).toBe('2024-01-14');
  });

  it('N2 as a deadline value: 14 January 2024 is a Sunday, so notice must go out by Friday 12 January (counted backwards)', () => {
    expect(latestNoticeDeadline('botilbud', P('2024-03-14'))).toMatchObject({
      rule: 'backwardShift',
      nominalDate: '2024-01-14',
      dueDate: '2024-01-12',
    });
  });

  it('N3 botilbud: notice 31 December 2023, requested end 15 January 2024 → paid through 29 February 2024 (clamped, leap year)', () => {
    expect(noticePaymentEnd({ row: 'botilbud', noticeDate: P('2023-12-31'), requestedEndDate: P('2024-01-15') }).paidThrough).toBe('2024-02-29');
  });

  it('N4 botilbud: the place is re-occupied on 1 February 2024, so payment stops on 31 January 2024', () => {
    const r = noticePaymentEnd({
      row: 'botilbud',
      noticeDate: P('2024-01-14'),
      requestedEndDate: P('2024-01-20'),
      reoccupiedOn: P('2024-02-01'),
    });
    expect(r.paidThrough).toBe('2024-01-31');
    expect(r.explanation).toContain('ny borger');
  });

  it('N5/N6 closure: "løbende måned plus to måneder" from 14 January 2024 → 31 March 2024; the alternative reading gives 14 April 2024', () => {
    const r = noticePaymentEnd({ row: 'lukning', noticeDate: P('2024-01-14') });
    expect(r.paidThrough).toBe('2024-03-31');
    expect(r.alternative).toMatchObject({ paidThrough: '2024-04-14', measure: { kind: 'monthsDateToDate', months: 3 } });
    expect(r.row.initiator).toBe('udbyder');
  });

  it('N7 marginal package change: 30 days from 14 January 2024 → 13 February 2024', () => {
    expect(noticePaymentEnd({ row: 'pakkeskiftMarginal', noticeDate: P('2024-01-14') }).paidThrough).toBe('2024-02-13');
  });

  it('dagtilbud "løbende måned": notice 10 May 2023 → paid through 31 May 2023', () => {
    expect(noticePaymentEnd({ row: 'dagtilbud', noticeDate: P('2023-05-10') }).paidThrough).toBe('2023-05-31');
  });

  it('a requested end later than the notice period is paid in full ("betales til og med ophørsdato")', () => {
    expect(noticePaymentEnd({ row: 'dagtilbud', noticeDate: P('2023-05-10'), requestedEndDate: P('2023-08-15') }).paidThrough).toBe('2023-08-15');
  });

  it('§ 109/110 and secure units have no notice: paid through the discharge day, which must be given', () => {
    expect(noticePaymentEnd({ row: 'krisecenterMidlertidigtBotilbud', noticeDate: P('2025-03-03'), requestedEndDate: P('2025-03-07') }).paidThrough).toBe('2025-03-07');
    expect(() => noticePaymentEnd({ row: 'sikretDoegninstitution', noticeDate: P('2025-03-03') })).toThrow(/udskrivningsdagen/);
  });

  it('enkeltmandsforanstaltning needs the agreed notice; with 3 months date to date from 15 May 2026 → 15 August 2026', () => {
    expect(() => noticePaymentEnd({ row: 'enkeltmandsforanstaltning', noticeDate: P('2026-05-15') })).toThrow(/aftales/);
    expect(
      noticePaymentEnd({ row: 'enkeltmandsforanstaltning', noticeDate: P('2026-05-15'), measure: { kind: 'monthsDateToDate', months: 3 } }).paidThrough,
    ).toBe('2026-08-15');
  });

  it('a row’s reading can be overridden (closure read date to date, A-22): notice 10 May 2023 → 10 August 2023, no alternative shown', () => {
    const r = noticePaymentEnd({ row: 'lukning', noticeDate: P('2023-05-10'), measure: { kind: 'monthsDateToDate', months: 3 } });
    expect(r.paidThrough).toBe('2023-08-10');
    expect(r.alternative).toBeUndefined();
  });

  it('rejects inconsistent input: re-occupied before the requested end, or an end before the notice', () => {
    expect(() =>
      noticePaymentEnd({ row: 'botilbud', noticeDate: P('2024-01-14'), requestedEndDate: P('2024-02-10'), reoccupiedOn: P('2024-02-01') }),
    ).toThrow();
    expect(() => noticePaymentEnd({ row: 'botilbud', noticeDate: P('2024-01-14'), requestedEndDate: P('2024-01-01') })).toThrow();
  });

  it('property: the latest notice date really is the latest one that reaches the desired end (2023–2030)', () => {
    const measures: NoticeMeasure[] = [
      { kind: 'runningMonthPlus', months: 0 },
      { kind: 'runningMonthPlus', months: 2 },
      { kind: 'monthsDateToDate', months: 2 },
      { kind: 'monthsDateToDate', months: 3 },
      { kind: 'days', days: 30 },
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: toDayNumber(P('2023-06-01')), max: toDayNumber(P('2030-12-31')) }).map(fromDayNumber),
        fc.constantFrom(...measures),
        (end, measure) => {
          const latest = latestNoticeDate(end, measure);
          expect(minimumNoticeEnd(latest, measure)! <= end).toBe(true);
          expect(minimumNoticeEnd(fromDayNumber(toDayNumber(latest) + 1), measure)! > end).toBe(true);
        },
      ),
    );
  });
});
