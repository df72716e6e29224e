import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  danishCalendar as cal,
  fromDayNumber,
  makeDeadline,
  parsePlainDate,
  planReminders,
  toDayNumber,
} from '../../domain/calendar';

const P = parsePlainDate;
const dateArb = fc
  .integer({ min: toDayNumber(P('2023-01-01')), max: toDayNumber(P('2030-12-31')) })
  .map((n) => fromDayNumber(n));
const ladderArb = fc.record({
  workingDaysBefore: fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 6 }),
  onTheDay: fc.boolean(),
  escalateWorkingDaysAfter: fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }),
});

describe('deadline properties over 2023–2030', () => {
  it('a generalShift deadline is always a working day, never earlier than the nominal date, and the first working day from it', () => {
    fc.assert(
      fc.property(dateArb, (nominalDate) => {
        const d = makeDeadline({ wording: 'senest den X', rule: 'generalShift', nominalDate });
        expect(cal.isWorkingDay(d.dueDate)).toBe(true);
        expect(d.dueDate >= nominalDate).toBe(true);
        expect(d.dueDate).toBe(cal.workingDayOnOrAfter(nominalDate));
        expect(d.shiftedFrom === undefined).toBe(d.dueDate === nominalDate);
      }),
    );
  });

  it('a backwardShift deadline is always a working day and never later than the nominal date', () => {
    fc.assert(
      fc.property(dateArb, (nominalDate) => {
        const d = makeDeadline({ wording: 'senest 3 måneder før', rule: 'backwardShift', nominalDate });
        expect(cal.isWorkingDay(d.dueDate)).toBe(true);
        expect(d.dueDate <= nominalDate).toBe(true);
      }),
    );
  });

  it('a noShift deadline always keeps its date and never has shiftedFrom', () => {
    fc.assert(
      fc.property(dateArb, (nominalDate) => {
        const d = makeDeadline({ wording: 'inden den X', rule: 'noShift', nominalDate });
        expect(d.dueDate).toBe(nominalDate);
        expect(d.shiftedFrom).toBeUndefined();
      }),
    );
  });

  it('planReminders: strictly increasing working days; reminders before the due date, escalations after; none before `from`', () => {
    fc.assert(
      fc.property(
        dateArb,
        fc.constantFrom('generalShift', 'noShift') as fc.Arbitrary<'generalShift' | 'noShift'>,
        ladderArb,
        fc.option(dateArb, { nil: undefined }),
        (nominalDate, rule, ladder, from) => {
          const d = makeDeadline({ wording: 'senest den X', rule, nominalDate });
          const plan = planReminders(d, ladder, from ? { from } : {});
          for (let i = 0; i < plan.length; i++) {
            const s = plan[i]!;
            expect(cal.isWorkingDay(s.date)).toBe(true);
            if (i > 0) expect(s.date > plan[i - 1]!.date).toBe(true);
            if (from) expect(s.date >= from).toBe(true);
            if (s.kind === 'reminder') expect(s.date < d.dueDate).toBe(true);
            if (s.kind === 'due') expect(s.date <= d.dueDate).toBe(true);
            if (s.kind === 'escalation') expect(s.date > d.dueDate).toBe(true);
          }
          const reminders = plan.filter((s) => s.kind === 'reminder');
          expect(new Set(reminders.map((s) => s.workingDaysBefore)).size).toBe(reminders.length);
          if (!from && ladder.onTheDay) expect(plan.some((s) => s.kind === 'due')).toBe(true);
        },
      ),
    );
  });
});
