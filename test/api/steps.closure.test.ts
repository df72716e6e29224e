/**
 * The closure procedure's steps on the kit: their names in the order the case page offers them, a refusal that
 * names the field by its Danish label, and the settlement basis form read back from a posted form.
 */
import { describe, expect, it } from 'vitest';
import type { CaseState } from '../../contracts/caseState';
import { describeErrors, readStep, type StepDefinition } from '../../contracts/kit/step';
import { findProcedure } from '../../api/procedures';
import { readPostedStep, stepFields } from '../../api/steps';
import { recordContinuationCostStep, recordSettlementBasisStep, submitProvisionalAccountStep } from '../../workflows/closure/contract';

// The closure's step forms take nothing from the case (no fromCase), so a bare case will do.
const state = { caseId: 'LUK-TEST', procedure: 'closure', status: 'open', details: {}, openSteps: ['recordSettlementBasis'] } as unknown as CaseState;

describe('closure steps', () => {
  it('are defined in the contract, named as the Updates, refuse by label and read the basis form back', () => {
    expect(findProcedure('closure')!.steps!.map((s) => s.name)).toEqual([
      'recordContinuationCost',
      'recordClosureDecision',
      'submitProvisionalAccount',
      'announceMaterialChange',
      'submitFinalAccount',
      'recordSettlementBasis',
    ]);

    const cost = readStep(recordContinuationCostStep, { text: 'Underskudsdækning ved fortsat drift', amount: '-2500000', actor: 'x' });
    expect(cost.ok ? '' : describeErrors(cost.errors)).toBe('Beløb: Beløbet må ikke være negativt');
    const account = readStep(submitProvisionalAccountStep, { income: 'ti millioner', costs: '14000000', carriedForward: '0' });
    expect(account.ok ? '' : describeErrors(account.errors)).toMatch(/^Indtægter: Skal være et beløb i kroner/);

    const def = recordSettlementBasisStep as StepDefinition;
    const form = stepFields(def, state).toString();
    expect(form).toContain('Betalingskommuner');
    expect(form).not.toContain('name="payers.0.name"');
    const posted = {
      turnoverDecisionYear: '8.000.000',
      otherUnitsTurnoverDecisionYear: '',
      'payers.0.partyId': '630',
      'payers.0.turnoverYearMinus2': '500.000',
      'payers.0.turnoverYearMinus1': '500.000',
      'payers.1.partyId': '',
      'payers.1.turnoverYearMinus2': '',
      'payers.1.turnoverYearMinus1': '',
      actingMunicipalities: ['621', '630'],
    };
    expect(readPostedStep(def, state, posted)).toEqual({
      ok: true,
      value: { turnoverDecisionYear: '8000000', payers: [{ partyId: '630', turnoverYearMinus2: '500000', turnoverYearMinus1: '500000' }], actingMunicipalities: ['621', '630'] },
    });
    const bad = readPostedStep(def, state, { ...posted, 'payers.0.turnoverYearMinus1': 'en halv million' });
    expect(bad.ok ? [] : bad.errors.map((e) => `${e.label}: ${e.reason}`)).toEqual(['Omsætning året før beslutningsåret (kr.): Skal være et beløb i kroner, fx 20000000 eller 20000000.50']);
  });
});
