/**
 * The dashboard's "Overskredet" and "Inden for 14 dage" filters against the read model, on a fixed clock: the
 * same rows read on a Friday, the Monday after, and the day after Easter. Every date comes from the working-day
 * calendar, so the test means the same on whatever day it runs.
 */
import { describe, expect, it } from 'vitest';
import { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { migratedPool } from '../support/database';
import { CaseService } from '../../api/caseService';
import { createReadModelActivities } from '../../activities/readModel';
import { danishCalendar, isoWeekday, parsePlainDate, type PlainDate } from '../../domain/calendar';

const db = migratedPool();

const cal = danishCalendar;
const d = (s: string) => parsePlainDate(s);
// A Friday and the Monday after it; Easter 2027: Maundy Thursday 25 March, Easter Monday 29 March.
const friday = d('2027-03-05');
const monday = cal.nextWorkingDay(friday);
const dayAfterEaster = cal.nextWorkingDay(d('2027-03-24'));

describe('overdue filter on a fixed clock', () => {
  it('the calendar gives the days the test means', () => {
    expect(isoWeekday(friday)).toBe(5);
    expect(isoWeekday(monday)).toBe(1);
    expect(dayAfterEaster).toBe('2027-03-30');
  });

  it('lists every open case with a passed deadline or a late party, whatever the weekday', async () => {
    const tag = randomUUID().slice(0, 8);
    const rm = createReadModelActivities(db());
    let n = 0;
    const put = async (name: string, o: { due: PlainDate | null; parties?: { state: string }[]; status?: 'open' | 'completed' }) => {
      const caseId = `OVERDUE-${tag}-${name}`;
      await rm.upsertCaseSummary({
        caseId,
        procedure: 'centralAnnouncement',
        title: `${tag} ${name}`,
        stage: 'Indsamling',
        status: o.status ?? 'open',
        nextDeadline: o.due ? { wording: 'senest', rule: 'fixed', dueDate: o.due, dueAt: `${o.due}T22:59:59Z` } : null,
        parties: (o.parties ?? []).map((p, i) => ({ partyId: String(461 + i), name: `Part ${i}`, state: p.state })),
        version: ++n,
      });
      return caseId;
    };
    // Due on the Friday itself: not overdue that day, overdue on the Monday.
    await put('dueFriday', { due: friday, parties: [{ state: 'afventer svar' }] });
    // The collection deadline has closed (its last notice sent): the next deadline lies ahead, but two parties
    // are late. This is the case the old filter missed.
    await put('lateParties', { due: cal.addWorkingDays(monday, 60), parties: [{ state: 'mangler svar (for sent)' }, { state: 'svaret' }, { state: 'mangler indberetning (for sent)' }] });
    // Answered late is history, not lateness; the next deadline is ahead.
    await put('answeredLate', { due: cal.addWorkingDays(monday, 60), parties: [{ state: 'svaret (for sent)' }] });
    // A deadline that fell on Good Friday and was moved to the first working day after Easter.
    await put('movedPastEaster', { due: cal.workingDayOnOrAfter(d('2027-03-26')), parties: [{ state: 'afventer svar' }] });
    // Closed cases are never overdue.
    await put('completed', { due: friday, status: 'completed', parties: [{ state: 'mangler svar (for sent)' }] });
    await put('noDeadline', { due: null });

    const listOn = async (today: PlainDate, due: 'overdue' | 'risk') => {
      const svc = new CaseService({ client: new Client(), pool: db(), taskQueue: 'unused', publicUrl: 'http://localhost', today: () => today });
      const { items } = await svc.list(svc.parseListFilter({ q: tag, due }));
      return items.map((c) => c.caseId.replace(`OVERDUE-${tag}-`, '')).sort();
    };

    expect(await listOn(friday, 'overdue')).toEqual(['lateParties']);
    expect(await listOn(monday, 'overdue')).toEqual(['dueFriday', 'lateParties']);
    // The moved deadline is met on the day after Easter and missed the day after that.
    expect(await listOn(dayAfterEaster, 'overdue')).toEqual(['dueFriday', 'lateParties']);
    expect(await listOn(cal.nextWorkingDay(dayAfterEaster), 'overdue')).toEqual(['dueFriday', 'lateParties', 'movedPastEaster']);
    // "Inden for 14 dage": due today or within 14 calendar days.
    expect(await listOn(friday, 'risk')).toEqual(['dueFriday']);
    expect(await listOn(dayAfterEaster, 'risk')).toEqual(['movedPastEaster']);
  });
});
