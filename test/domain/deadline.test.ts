import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  createCalendar,
  deadlineSchema,
  deadlineSpecSchema,
  describeDeadline,
  endOfDayInstant,
  euCentralOffsetMinutes,
  formatDanishDate,
  fromDayNumber,
  makeDeadline,
  parseDanishDate,
  parsePlainDate,
  toDayNumber,
  utcOffsetMinutes,
} from '../../domain/calendar';

const P = parsePlainDate;
const general = (wording: string, nominal: string) =>
  makeDeadline({ wording, rule: 'generalShift', nominalDate: P(nominal) });

describe('Danish date format', () => {
  it('formats 2023-09-10 as "søndag 10. september 2023"', () => {
    expect(formatDanishDate(P('2023-09-10'))).toBe('søndag 10. september 2023');
    expect(formatDanishDate(P('2024-03-28'))).toBe('torsdag 28. marts 2024');
    expect(formatDanishDate(P('2030-01-01'))).toBe('tirsdag 1. januar 2030');
  });

  it('parses a Danish date out of legal wording, and refuses to guess a missing year', () => {
    expect(parseDanishDate('Aftalen skal meddeles inden den 10. september 2023.')).toBe('2023-09-10');
    expect(parseDanishDate('senest den 1. maj', 2024)).toBe('2024-05-01');
    expect(parseDanishDate('senest den 1. maj')).toBeNull();
    expect(parseDanishDate('den 31. april 2024')).toBeNull();
  });
});

describe('makeDeadline with the general shift rule (forældelsesloven § 27, stk. 2)', () => {
  it('10 September 2023 is a Sunday → Monday 11 September 2023, with the reason in Danish', () => {
    const d = general('inden den 10. september 2023', '2023-09-10');
    expect(d).toMatchObject({ dueDate: '2023-09-11', shiftedFrom: '2023-09-10', rule: 'generalShift', interpretation: 'onOrBefore' });
    expect(d.reason).toBe(
      'søndag 10. september 2023 → mandag 11. september 2023 (fristen udløb på en søndag og forlænges til næste hverdag, jf. den almindelige fristregel)',
    );
  });

  it('30 September 2023 is a Saturday → Monday 2 October 2023', () => {
    const d = general('inden den 30. september 2023', '2023-09-30');
    expect(d).toMatchObject({ dueDate: '2023-10-02', shiftedFrom: '2023-09-30' });
    expect(d.reason).toContain('på en lørdag');
  });

  it('Grundlovsdag, Wednesday 5 June 2024 → Thursday 6 June 2024, naming Grundlovsdag', () => {
    const d = general('senest den 5. juni 2024', '2024-06-05');
    expect(d.dueDate).toBe('2024-06-06');
    expect(d.reason).toContain('Grundlovsdag');
  });

  it('skærtorsdag 28 March 2024 → Tuesday 2 April 2024, across the whole Easter range', () => {
    const d = general('senest den 28. marts 2024', '2024-03-28');
    expect(d.dueDate).toBe('2024-04-02');
    expect(d.reason).toContain('skærtorsdag (helligdag)');
    expect(d.reason).toContain('langfredag, lørdag, påskedag og 2. påskedag er heller ikke hverdage');
  });

  it('store bededag, Friday 5 May 2023 → Monday 8 May 2023; but Friday 26 April 2024 is a working day and stays', () => {
    expect(general('senest den 5. maj 2023', '2023-05-05').dueDate).toBe('2023-05-08');
    const d2024 = general('senest den 26. april 2024', '2024-04-26');
    expect(d2024.dueDate).toBe('2024-04-26');
    expect(d2024.shiftedFrom).toBeUndefined();
    expect(d2024.reason).toBeUndefined();
  });

  it('juleaftensdag, Thursday 24 December 2026 → Monday 28 December 2026 (25, 26 and 27 December are closed)', () => {
    const d = general('senest den 24. december 2026', '2026-12-24');
    expect(d.dueDate).toBe('2026-12-28');
    expect(d.reason).toContain('juleaftensdag');
  });

  it('nytårsaftensdag, Thursday 31 December 2026 → Monday 4 January 2027 (nytårsdag and the weekend follow)', () => {
    expect(general('senest den 31. december 2026', '2026-12-31').dueDate).toBe('2027-01-04');
  });

  it('with Grundlovsdag switched off in the calendar, 5 June 2024 stays', () => {
    const calendar = createCalendar({ closingDays: { grundlovsdag: false } });
    expect(makeDeadline({ wording: 'senest den 5. juni 2024', rule: 'generalShift', nominalDate: P('2024-06-05'), calendar }).dueDate).toBe('2024-06-05');
  });
});

describe('noShift and backwardShift', () => {
  it('noShift keeps a Sunday date and sets no shiftedFrom, but explains why', () => {
    const d = makeDeadline({ wording: 'inden den 10. september 2023', rule: 'noShift', nominalDate: P('2023-09-10') });
    expect(d.dueDate).toBe('2023-09-10');
    expect(d.shiftedFrom).toBeUndefined();
    expect(d.reason).toContain('flyttes ikke');
  });

  it('backwardShift moves a Saturday to the previous Friday (1 June 2024 → 31 May 2024)', () => {
    const d = makeDeadline({ wording: 'senest 3 måneder før ændringen træder i kraft', rule: 'backwardShift', nominalDate: P('2024-06-01') });
    expect(d).toMatchObject({ dueDate: '2024-05-31', shiftedFrom: '2024-06-01' });
    expect(d.reason).toContain('forudgående hverdag');
  });
});

describe('dueAt is the end of the day in Europe/Copenhagen, correct across DST', () => {
  it('a date in July is +02:00 (summer time): 2024-07-15T23:59:59.999+02:00', () => {
    expect(general('senest den 15. juli 2024', '2024-07-15').dueAt).toBe('2024-07-15T23:59:59.999+02:00');
  });

  it('a date in January is +01:00 (winter time): 2025-01-15T23:59:59.999+01:00', () => {
    expect(general('senest den 15. januar 2025', '2025-01-15').dueAt).toBe('2025-01-15T23:59:59.999+01:00');
  });

  it('the DST change days: 31 March 2024 (spring forward) ends at +02:00, 27 October 2024 (fall back) at +01:00', () => {
    expect(endOfDayInstant(P('2024-03-31')).iso).toBe('2024-03-31T23:59:59.999+02:00');
    expect(endOfDayInstant(P('2024-03-30')).iso).toBe('2024-03-30T23:59:59.999+01:00');
    expect(endOfDayInstant(P('2024-10-27')).iso).toBe('2024-10-27T23:59:59.999+01:00');
    expect(endOfDayInstant(P('2024-10-26')).iso).toBe('2024-10-26T23:59:59.999+02:00');
  });

  it('dueAt is the same instant as Date.parse of the ISO string, and is 1 ms before local midnight', () => {
    const e = endOfDayInstant(P('2023-09-11'));
    expect(Date.parse(e.iso)).toBe(e.epochMs);
    expect(new Date(e.epochMs + 1).toISOString()).toBe('2023-09-11T22:00:00.000Z');
  });

  it('property: Intl’s offset agrees with the EU summer-time rule for every end of day 2023–2030', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: toDayNumber(P('2023-01-01')), max: toDayNumber(P('2030-12-31')) }).map(fromDayNumber),
        (d) => {
          const e = endOfDayInstant(d);
          expect(utcOffsetMinutes(e.epochMs)).toBe(euCentralOffsetMinutes(e.epochMs));
          expect(e.iso.startsWith(`${d}T23:59:59.999+0`)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('describeDeadline', () => {
  const d = general('inden den 10. september 2023', '2023-09-10');

  it('ui: one line with the shift', () => {
    expect(describeDeadline(d, 'ui')).toBe('mandag 11. september 2023 (forlænget fra søndag 10. september 2023)');
    expect(describeDeadline(general('senest den 26. april 2024', '2024-04-26'), 'ui')).toBe('fredag 26. april 2024');
  });

  it('email: full sentences with the wording, the due time and the reason', () => {
    expect(describeDeadline(d, 'email')).toBe(
      'Frist: inden den 10. september 2023. Fristen udløber mandag 11. september 2023 kl. 23.59 (dansk tid). ' +
        'Søndag 10. september 2023 → mandag 11. september 2023 (fristen udløb på en søndag og forlænges til næste hverdag, jf. den almindelige fristregel).',
    );
  });

  it('journal: ISO values and the rule, so the entry can be checked later', () => {
    const j = describeDeadline(d, 'journal');
    expect(j).toContain('nominel dato: 2023-09-10');
    expect(j).toContain('gældende dato: 2023-09-11');
    expect(j).toContain('udløber: 2023-09-11T23:59:59.999+02:00');
    expect(j).toContain('den almindelige fristregel');
  });

  it('ui: a backward shift reads "fremrykket"', () => {
    const b = makeDeadline({ wording: 'senest 3 måneder før', rule: 'backwardShift', nominalDate: P('2024-06-01') });
    expect(describeDeadline(b, 'ui')).toBe('fredag 31. maj 2024 (fremrykket fra lørdag 1. juni 2024)');
  });
});

describe('zod schemas with Danish messages naming the field', () => {
  it('a deadline spec defaults the rule to generalShift and brands the date', () => {
    const spec = deadlineSpecSchema.parse({ wording: 'inden den 10. september 2023', nominalDate: '2023-09-10' });
    expect(spec.rule).toBe('generalShift');
    expect(makeDeadline(spec).dueDate).toBe('2023-09-11');
  });

  it('rejects a spec with an impossible date, naming "nominalDate"', () => {
    const r = deadlineSpecSchema.safeParse({ wording: 'x', nominalDate: '2023-02-29' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toContain('"nominalDate"');
    expect(r.error!.issues[0]!.path).toEqual(['nominalDate']);
  });

  it('rejects an empty wording and an unknown rule, naming the fields', () => {
    const r = deadlineSpecSchema.safeParse({ wording: ' ', rule: 'shift', nominalDate: '2023-09-10' });
    expect(r.success).toBe(false);
    const messages = r.error!.issues.map((i) => i.message).join('\n');
    expect(messages).toContain('Feltet "wording"');
    expect(messages).toContain('Feltet "rule"');
  });

  it('every deadline makeDeadline produces passes deadlineSchema (2023–2030, all rules)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: toDayNumber(P('2023-01-01')), max: toDayNumber(P('2030-12-31')) }).map(fromDayNumber),
        fc.constantFrom('generalShift', 'noShift', 'backwardShift') as fc.Arbitrary<'generalShift' | 'noShift' | 'backwardShift'>,
        fc.constantFrom('onOrBefore', 'strictlyBefore') as fc.Arbitrary<'onOrBefore' | 'strictlyBefore'>,
        (nominalDate, rule, interpretation) => {
          const d = makeDeadline({ wording: 'inden den X', rule, nominalDate, interpretation });
          expect(deadlineSchema.safeParse(d).success).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects a stored deadline whose dueAt is on another day, or a noShift with shiftedFrom', () => {
    const d = general('inden den 10. september 2023', '2023-09-10');
    const bad1 = deadlineSchema.safeParse({ ...d, dueAt: '2023-09-12T23:59:59.999+02:00' });
    expect(bad1.error!.issues[0]!.message).toContain('"dueAt"');
    const bad2 = deadlineSchema.safeParse({ ...d, rule: 'noShift' });
    expect(bad2.error!.issues[0]!.message).toContain('"shiftedFrom"');
  });
});

describe('describeDeadline for e-mails, given the time now', () => {
  it('says a passed deadline has passed, and a coming one that it expires', async () => {
    const { makeDeadline, describeDeadline } = await import('../../domain/calendar');
    const d = makeDeadline({ wording: 'senest 1. december 2026', nominalDate: '2026-12-01' as never, rule: 'generalShift' });
    const before = Date.parse('2026-11-30T12:00:00Z');
    const after = Date.parse('2026-12-02T12:00:00Z');
    expect(describeDeadline(d, 'email', before)).toContain('Fristen udløber tirsdag 1. december 2026 kl. 23.59 (dansk tid).');
    expect(describeDeadline(d, 'email', after)).toContain('Fristen udløb tirsdag 1. december 2026 kl. 23.59 (dansk tid) og er overskredet.');
    // Without the time, the text is as before (documents rendered for the record).
    expect(describeDeadline(d, 'email')).toContain('Fristen udløber');
  });
});

describe('a deadline someone else sets for us: the prudent reading by default', () => {
  it('reads "inden den 10. september 2023" as before that day and moves a weekend to the working day before', async () => {
    const { authorityDeadlineSpecSchema } = await import('../../domain/calendar/schemas');
    const { planDeadlinePure } = await import('../../activities/deadlines');
    const spec = authorityDeadlineSpecSchema.parse({ wording: 'inden den 10. september 2023', nominalDate: '2023-09-10' });
    expect(spec).toMatchObject({ rule: 'backwardShift', indenMeans: 'strictlyBefore' });
    const { deadline } = planDeadlinePure({ spec });
    // 10 September is a Sunday; before it is Saturday 9 September; the working day before is Friday 8 September.
    expect(deadline).toMatchObject({ interpretation: 'strictlyBefore', dueDate: '2023-09-08', shiftedFrom: '2023-09-09' });
    expect(deadline.reason).toContain('læses som før søndag 10. september 2023');
    // The general forward rule stays available where the law gives it.
    const forward = planDeadlinePure({ spec: { ...spec, rule: 'generalShift', indenMeans: 'onOrBefore' } });
    expect(forward.deadline.dueDate).toBe('2023-09-11');
  });

  it('"senest 1. januar" (always a holiday) falls in December', async () => {
    const { authorityDeadlineSpecSchema } = await import('../../domain/calendar/schemas');
    const { planDeadlinePure } = await import('../../activities/deadlines');
    const { deadline } = planDeadlinePure({ spec: authorityDeadlineSpecSchema.parse({ wording: 'senest 1. januar 2025', nominalDate: '2025-01-01' }) });
    expect(deadline.dueDate < '2025-01-01').toBe(true);
    expect(deadline.dueDate.startsWith('2024-12-')).toBe(true);
  });
});
