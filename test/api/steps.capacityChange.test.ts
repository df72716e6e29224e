/**
 * The capacity change's steps as the case page meets them: the four steps of the procedure, refusals naming the
 * field by its Danish label, and the justifications form drawn from the requirements of Tabel 4.1 in the case.
 */
import { describe, expect, it } from 'vitest';
import type { CaseState } from '../../contracts/caseState';
import { describeErrors, readStep } from '../../contracts/kit/step';
import { findProcedure } from '../../api/procedures';
import { readPostedStep, stepFields } from '../../api/steps';
import { recordTemporaryStaffingStep, reviseJustificationsStep } from '../../workflows/capacityChange/contract';

const REQUIREMENTS = ['Udvidelsen begrundes, og der gøres rede for taksten.', 'Virkningen for efterspørgslen i andre kommuner.'];

// Only what the step's form reads of the case.
const state = {
  caseId: 'KAP-TEST',
  procedure: 'capacityChange',
  status: 'open',
  openSteps: ['reviseJustifications'],
  details: { justifications: REQUIREMENTS.map((requirement, i) => ({ requirement, text: i === 0 ? 'Ventelisten er på 12 borgere.' : '' })) },
} as unknown as CaseState;

describe('capacity change steps', () => {
  it('defines its four steps, names fields by label, and reads the justifications form back', () => {
    expect(findProcedure('capacityChange')?.steps?.map((s) => s.name)).toEqual(['reviseJustifications', 'submitReport', 'recordPoliticalDecision', 'recordTemporaryStaffing']);

    const bad = readStep(recordTemporaryStaffingStep, { places: 2.5, from: '2023-02-30', reason: 'x', actor: 'Vejle' });
    const text = describeErrors(bad.ok ? [] : bad.errors);
    expect(text).toContain('Pladser i forhold til de faste pladser: Skal være et helt tal');
    expect(text).toContain('Fra dato: Datoen findes ikke i kalenderen');
    expect(text).toContain('Begrundelse: Angiv en begrundelse for den midlertidige normering');
    expect(text).not.toMatch(/places|from|reason/);

    // One text area per requirement of Tabel 4.1, labelled by it and prefilled with what the case holds.
    const form = stepFields(reviseJustificationsStep, state).toString();
    expect(form).toContain(REQUIREMENTS[1]);
    expect(form).toContain('Ventelisten er på 12 borgere.</textarea>');
    const posted = { justifications: ['  Ventelisten er på 12 borgere; taksten falder 2 %.  ', 'Ingen tomme pladser hos andre udbydere.'] };
    expect(readPostedStep(reviseJustificationsStep, state, posted)).toEqual({ ok: true, value: { justifications: ['Ventelisten er på 12 borgere; taksten falder 2 %.', 'Ingen tomme pladser hos andre udbydere.'] } });
    const short = readPostedStep(reviseJustificationsStep, state, { justifications: [posted.justifications[0]!, 'kort'] });
    expect(short.ok ? [] : short.errors.map((e) => `${e.label}: ${e.reason}`)).toEqual([`${REQUIREMENTS[1]}: Skal være mindst 10 tegn`]);
  });
});
