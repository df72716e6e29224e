import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ZodError } from 'zod';
import {
  capacityChangeInputSchema,
  classifyCapacityChange,
  freeLimit,
  TABLE_4_1_JUSTIFICATIONS,
  type CapacityChangeRawInput,
} from '../../domain/capacityChange';
import { danishCalendar, deadlineSchema } from '../../domain/calendar';

const base: CapacityChangeRawInput = {
  operatorType: 'municipal',
  kind: 'adjust',
  currentPlaces: 70,
  newPlaces: 70,
  effectiveDate: '2025-01-01',
};
const adjust = (currentPlaces: number, newPlaces: number, extra: Partial<CapacityChangeRawInput> = {}) =>
  classifyCapacityChange({ ...base, currentPlaces, newPlaces, ...extra });

describe('free limit (Tabel 4.1 row 1: ≤ 50 places ±5, above 50 ±10 %)', () => {
  it.each<[number, number, string]>([
    [10, 5, 'small tilbud: 5'],
    [50, 5, '"op til 50 pladser" includes 50, and 10 % of 50 is 5 anyway'],
    [51, 5, '10 % of 51 = 5.1, floored'],
    [55, 5, '10 % of 55 = 5.5, floored (A-3)'],
    [70, 7, 'the seed’s own example (002:1603)'],
    [100, 10, '10 % of 100'],
  ])('%i places → ±%i (%s)', (places, limit) => {
    expect(freeLimit(places)).toBe(limit);
    expect(adjust(places, places).freeLimit).toBe(limit);
  });

  it('rounding is configurable: 55 places → 6 with "round" or "ceil", 51 → 6 with "ceil"', () => {
    expect(freeLimit(55, 'round')).toBe(6);
    expect(freeLimit(54, 'round')).toBe(5);
    expect(freeLimit(51, 'ceil')).toBe(6);
    expect(adjust(55, 61, {}).route).toBe('expansion');
    expect(classifyCapacityChange({ ...base, currentPlaces: 55, newPlaces: 61 }, { freeLimitRounding: 'round' }).route).toBe('free');
  });
});

describe('routes (golden cases)', () => {
  it('70 → 77 is free: +7 is within ±7; no forum, no broadcast, no justification', () => {
    const r = adjust(70, 77);
    expect(r).toMatchObject({ route: 'free', tableRow: 1, forumStep: 'none', forumBody: null, notifyAllMunicipalities: false });
    expect(r.justifications).toEqual([]);
    expect(r.reportDeadline).toBeNull();
  });

  it('70 → 63 is free too (−7)', () => {
    expect(adjust(70, 63).route).toBe('free');
  });

  it('70 → 78 is an expansion: statement from SDF, all municipalities told, both row-2 justifications', () => {
    const r = adjust(70, 78);
    expect(r).toMatchObject({
      route: 'expansion',
      tableRow: 2,
      delta: 8,
      forumStep: 'statement',
      forumBody: 'SDF',
      notifyAllMunicipalities: true,
      blockingApproval: false,
    });
    expect(r.justifications).toEqual(TABLE_4_1_JUSTIFICATIONS.expansion);
    expect(r.justifications[0]).toMatch(/^Udvidelsen begrundes/);
    expect(r.justifications[1]).toContain('efterspørgslen efter eksisterende pladser');
  });

  it('40 → 34 is a reduction: FU is oriented (−6 exceeds ±5)', () => {
    const r = adjust(40, 34);
    expect(r).toMatchObject({ route: 'reduction', tableRow: 3, forumStep: 'orientation', forumBody: 'FU', notifyAllMunicipalities: true });
    expect(r.justifications).toEqual(['Reduktionen begrundes.', 'Der skal gøres rede for, hvordan taksten påvirkes samt de økonomiske konsekvenser for betalingskommunerne.']);
    expect(r.description).toContain('Forretningsudvalget orienteres');
  });

  it('40 → 35 is free (−5)', () => {
    expect(adjust(40, 35).route).toBe('free');
  });

  it('a regional expansion follows Tabel 4.1 like a municipal one (the approval override is only for new tilbud)', () => {
    expect(adjust(70, 78, { operatorType: 'regional' }).forumStep).toBe('statement');
  });

  it('a new municipal tilbud needs a statement from SDF', () => {
    const r = classifyCapacityChange({ ...base, kind: 'newTilbud', currentPlaces: 0, newPlaces: 20 });
    expect(r).toMatchObject({ route: 'newTilbud', tableRow: 4, forumStep: 'statement', forumBody: 'SDF', blockingApproval: false });
    expect(r.justifications).toEqual(TABLE_4_1_JUSTIFICATIONS.newTilbud);
  });

  it('a new tilbud’s free limit is the one that will apply to it: 70 new places → ±7', () => {
    expect(classifyCapacityChange({ ...base, kind: 'newTilbud', currentPlaces: 0, newPlaces: 70 }).freeLimit).toBe(7);
  });

  it('a new regional tilbud always needs SDF approval, a blocking gate (002:1520)', () => {
    const r = classifyCapacityChange({ ...base, operatorType: 'regional', kind: 'newTilbud', currentPlaces: 0, newPlaces: 3 });
    expect(r).toMatchObject({ route: 'newTilbud', forumStep: 'approval', forumBody: 'SDF', blockingApproval: true, notifyAllMunicipalities: true });
    expect(r.description).toContain('skal godkendes i Socialdirektørforum');
    expect(r.sources).toContain('002:1520');
  });

  it('a closure needs a hearing in SDF, with the continuation-cost justification', () => {
    const r = classifyCapacityChange({ ...base, kind: 'closure', currentPlaces: 12, newPlaces: 0 });
    expect(r).toMatchObject({ route: 'closure', tableRow: 5, forumStep: 'hearing', forumBody: 'SDF', notifyAllMunicipalities: true });
    expect(r.justifications).toEqual(TABLE_4_1_JUSTIFICATIONS.closure);
  });

  it('property: adjust is free exactly when |Δ| ≤ freeLimit(currentPlaces), otherwise expansion (Δ > 0) or reduction (Δ < 0)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 400 }), (cur, next) => {
        const r = adjust(cur, next);
        const delta = next - cur;
        const expected = Math.abs(delta) <= freeLimit(cur) ? 'free' : delta > 0 ? 'expansion' : 'reduction';
        expect(r.route).toBe(expected);
        expect(r.notifyAllMunicipalities).toBe(expected !== 'free');
      }),
    );
  });
});

describe('report deadline: the earlier of the political treatment and 3 months before the effective date', () => {
  it('effective Sunday 1 September 2024: 3 months before is Saturday 1 June 2024 → Friday 31 May 2024 (backwards, previous working day)', () => {
    const r = adjust(70, 78, { effectiveDate: '2024-09-01' });
    expect(r.reportDeadlineBasis).toBe('threeMonthsBefore');
    expect(r.reportDeadline).toMatchObject({ rule: 'backwardShift', nominalDate: '2024-06-01', dueDate: '2024-05-31', shiftedFrom: '2024-06-01' });
    expect(r.reportDeadline!.wording).toContain('dog senest 3 måneder før, ændringerne konkret sker');
    expect(r.reportDeadline!.reason).toContain('forudgående hverdag');
    expect(danishCalendar.isWorkingDay(r.reportDeadline!.dueDate)).toBe(true);
  });

  it('effective 31 May 2024 → 29 February 2024 (month-end clamping), a Thursday, not moved', () => {
    const r = adjust(40, 30, { effectiveDate: '2024-05-31' });
    expect(r.reportDeadline).toMatchObject({ nominalDate: '2024-02-29', dueDate: '2024-02-29' });
    expect(r.reportDeadline!.shiftedFrom).toBeUndefined();
  });

  it('a political treatment before the 3-month date wins: council meeting 25 March 2025, effective 1 August 2025', () => {
    const r = adjust(70, 80, { effectiveDate: '2025-08-01', politicalTreatmentDate: '2025-03-25' });
    expect(r.reportDeadlineBasis).toBe('politicalTreatment');
    expect(r.reportDeadline).toMatchObject({ rule: 'noShift', dueDate: '2025-03-25' });
    expect(r.reportDeadline!.reason).toContain('senest ved den politiske behandling');
  });

  it('a political treatment after the 3-month date does not postpone the deadline', () => {
    const r = adjust(70, 80, { effectiveDate: '2025-08-01', politicalTreatmentDate: '2025-06-17' });
    expect(r.reportDeadlineBasis).toBe('threeMonthsBefore');
    expect(r.reportDeadline!.dueDate).toBe('2025-05-01');
  });

  it('the 3-month rule can be switched to the general shift rule (then the deadline moves later, to Monday 3 June 2024)', () => {
    const r = classifyCapacityChange({ ...base, newPlaces: 90, effectiveDate: '2024-09-01' }, { threeMonthRule: 'generalShift' });
    expect(r.reportDeadline!.dueDate).toBe('2024-06-03');
  });

  it('a null political treatment date (JSON "not scheduled yet") is the same as none', () => {
    const r = adjust(70, 80, { effectiveDate: '2025-08-01', politicalTreatmentDate: null });
    expect(r.reportDeadlineBasis).toBe('threeMonthsBefore');
    expect(r.reportDeadline!.reason).toContain('ikke angivet en dato for den politiske behandling');
  });

  it('free changes get a report deadline only when configured (A-4)', () => {
    expect(adjust(70, 72).reportDeadline).toBeNull();
    expect(classifyCapacityChange({ ...base, newPlaces: 72 }, { reportFreeChanges: true }).reportDeadline?.dueDate).toBe('2024-10-01');
  });

  it('warns when the political treatment lies after the effective date', () => {
    const r = adjust(70, 80, { effectiveDate: '2025-08-01', politicalTreatmentDate: '2025-09-01' });
    expect(r.warnings.join(' ')).toContain('efter ikrafttrædelsen');
  });

  it('the report deadline is a valid deadline value (2023–2030)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 * 365 }), (offset) => {
        const effective = new Date(Date.UTC(2023, 3, 1) + offset * 86_400_000).toISOString().slice(0, 10);
        const r = adjust(70, 90, { effectiveDate: effective });
        expect(deadlineSchema.safeParse(r.reportDeadline).success).toBe(true);
        expect(r.reportDeadline!.dueDate <= r.reportDeadline!.nominalDate).toBe(true);
        expect(danishCalendar.isWorkingDay(r.reportDeadline!.dueDate)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('input validation with Danish messages naming the field', () => {
  const messages = (input: unknown) => {
    const r = capacityChangeInputSchema.safeParse(input);
    expect(r.success).toBe(false);
    return r.error!.issues.map((i) => i.message).join('\n');
  };

  it('rejects an unknown operator type and kind', () => {
    const m = messages({ ...base, operatorType: 'private', kind: 'merge' });
    expect(m).toContain('Feltet "operatorType"');
    expect(m).toContain('Feltet "kind"');
  });

  it('rejects negative or fractional places and an invalid date', () => {
    const m = messages({ ...base, currentPlaces: -1, newPlaces: 2.5, effectiveDate: '2025-02-30' });
    expect(m).toContain('Feltet "currentPlaces"');
    expect(m).toContain('Feltet "newPlaces"');
    expect(m).toContain('Feltet "effectiveDate"');
  });

  it('a new tilbud must start from 0 places and a closure must end at 0', () => {
    expect(messages({ ...base, kind: 'newTilbud', currentPlaces: 5, newPlaces: 10 })).toContain('"currentPlaces" skal være 0');
    expect(messages({ ...base, kind: 'closure', currentPlaces: 5, newPlaces: 3 })).toContain('"newPlaces" skal være 0');
  });

  it('classifyCapacityChange throws a ZodError on invalid input', () => {
    expect(() => classifyCapacityChange({ ...base, effectiveDate: 'i morgen' })).toThrow(ZodError);
  });
});
