/**
 * The closure of a tilbud's other routes on the time-skipping test server with in-memory activities (see
 * support/workflowHarness.ts): Beregningseksempel 2 (an economic unit, every step on time), a closure by an
 * authority (no hearing, no settlement) and a relocation and a merger (not closures). The main path
 * (Beregningseksempel 1) is walked on the real parts in test/procedures/closure.calendar.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import { calculateClosureSettlement } from '../../domain/closureSettlement';
import { settlementInputFor, type ClosureDetails, type ClosureInput } from '../../workflows/closure/contract';
import type { CaseState } from '../../workflows/blocks/caseRecord';
import { caseState as state, refusal, sleepUntil as sleepUntilOn, until } from '../support/calendarHarness';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflowHarness';
import { recordHistory } from '../support/histories';
import { example1, FU, KOLDING, MIDDELFART, ODENSE } from '../support/closureExamples';
import { caseMail, decideIn, resultOf, update } from '../support/caseSteps';

const HEARING = 'Høring: behandles i Socialdirektørforum';
const AT_FU = 'Foreløbigt lukkeregnskab: behandles i Forretningsudvalget';
const AT_SDF = 'Endeligt lukkeregnskab: behandles i Socialdirektørforum';

let h: WorkflowHarness;
const sleepUntil = (iso: string) => sleepUntilOn(h, iso, { strict: true });

beforeAll(async () => {
  h = await startWorkflowHarness('2023-10-02 08:00:00');
});
afterAll(async () => {
  await h?.stop();
});

const details = (s: CaseState) => s.details as unknown as ClosureDetails;
const decide = (handle: WorkflowHandle, chain: string, body: string, outcome: string, meetingDate: string, note?: string) => decideIn(handle, chain, body, outcome, meetingDate, note);


describe('closure of a tilbud: the other routes (Rammeaftale 2023-2024, Bilag 4-6)', { timeout: 120_000 }, () => {
  it('Beregningseksempel 2: an economic unit, every step on time; the centre carries its share and the payers the rest', async () => {
    await sleepUntil('2023-10-02T08:00:00Z');
    const caseId = `LUK-EKS2-${Date.now()}`;
    const input: ClosureInput = {
      ...example1(),
      tilbudName: 'Centret Lindely, afdeling 1',
      structure: 'economicUnit',
      turnoverDecisionYear: '20000000',
      otherUnitsTurnoverDecisionYear: '40000000',
      payers: [
        { partyId: '461', name: 'Odense', turnoverYearMinus2: '330000', turnoverYearMinus1: '330000' },
        { partyId: '410', name: 'Middelfart', turnoverYearMinus2: '670000', turnoverYearMinus1: '670000' },
      ],
      actingMunicipalities: [{ partyId: '410', name: 'Middelfart' }],
    };
    const handle = await h.env.client.workflow.start('closureOfTilbud', { taskQueue: h.taskQueue, workflowId: caseId, args: [input] });
    await until(handle, (x) => x.stage === HEARING, 'the SDF hearing');
    await sleepUntil('2023-10-03T08:00:00Z');
    await decide(handle, 'hearing', 'SDF', 'approved', '2023-10-03');
    await until(handle, (x) => x.stage === 'Afventer beslutning om lukning', 'the decision step');
    expect(await refusal(update(handle, 'recordContinuationCost', { text: 'Ikke nødvendig her, SDF har ingen indvendinger', amount: '1', actor: 'Odense' }))).toMatch(/skal ikke dokumenteres/);
    await update(handle, 'recordClosureDecision', { decisionDate: '2023-10-03', closingDate: '2023-12-31', actor: 'Odense, byrådet' });
    let s = await until(handle, (x) => x.stage === 'Afventer foreløbigt lukkeregnskab', 'the provisional account step');
    // Decided 3 October, closing 31 December: the notice (to the end of December) is met, so no warning.
    expect(details(s).notice).toMatchObject({ minimumEnd: '2023-12-31', paidThrough: '2023-12-31', closingBeforeNoticeEnd: false });
    expect(s.warnings.filter((w) => w.startsWith('Lukkedatoen'))).toEqual([]);
    expect(s.deadlines.provisionalAccount!.plan.deadline.dueDate).toBe('2024-01-03');

    const figures = { income: '50000000', costs: '54000000', carriedForward: '-1000000' };
    expect(await update(handle, 'submitProvisionalAccount', { ...figures, actor: 'Odense' })).toEqual({ accepted: true, late: false });
    await until(handle, (x) => x.stage === AT_FU, 'FU');
    await decide(handle, 'provisionalAccount', 'FU', 'approved', '2023-10-03');
    await until(handle, (x) => x.stage === 'Afventer endeligt lukkeregnskab', 'the final account step');
    await update(handle, 'submitFinalAccount', { ...figures, auditorStatement: 'Revisionspåtegning uden forbehold af 3. oktober 2023', actor: 'Odense' });
    await until(handle, (x) => x.stage === AT_SDF, 'SDF');
    await decide(handle, 'finalAccount', 'SDF', 'approved', '2023-10-03');
    s = await until(handle, (x) => x.status === 'completed', 'the settlement');
    expect(s.deadlines.provisionalAccount!.status).toBe('met');

    const st = details(s).settlement!;
    const expected = calculateClosureSettlement(settlementInputFor(input, figures));
    expect(st.shares).toEqual(expected.shares);
    expect(st).toMatchObject({ toDistribute: '-5000000', ownRisk: '3000000', toOtherUnits: '1333333', settled: '666667', operatorTotal: '4553333' });
    expect(st.shares).toEqual([
      { id: '461', amount: '220000' },
      { id: '410', amount: '446667' },
    ]);

    const mail = await caseMail(h, caseId);
    const middelfart = mail.to(MIDDELFART).filter((m) => m.subject.startsWith('Efterregulering ved lukning'));
    expect(middelfart).toHaveLength(1);
    expect(middelfart[0]!.text).toContain('Middelfart skal betale 446.667 kr. til Odense');
    for (const other of ['220.000', '4.553.333', '1.333.333']) expect(middelfart[0]!.text).not.toContain(other);
    const odense = mail.to(ODENSE).filter((m) => m.subject.startsWith('Efterregulering ved lukning'));
    expect(odense[0]!.text).toContain(
      'bærer som driftsherre i alt 4.553.333 kr. af underskuddet: selvrisiko 3.000.000 kr., videreført til centrets øvrige tilbud 1.333.333 kr., andel for egne borgere 220.000 kr.',
    );
    expect(odense[0]!.text).not.toContain('446.667');
    await recordHistory(handle, 'closureOfTilbud.example2');
  });

  it('closure by Socialtilsynet: no hearing and no settlement; the basis is registered after the start; completed after the accounts', async () => {
    await sleepUntil('2023-11-01T08:00:00Z');
    const caseId = `LUK-MYND-${Date.now()}`;
    // As a parent case may hand it over: without the settlement basis.
    const input: ClosureInput = {
      tilbudName: 'Opholdsstedet Kløverly',
      operator: { partyId: '630', name: 'Vejle', type: 'municipal' },
      classification: 'authorityClosure',
      reason: 'Socialtilsyn Syd har tilbagekaldt godkendelsen af tilbuddet',
      structure: 'standalone',
      payers: [],
      actingMunicipalities: [],
      fuRecipients: [FU],
      startedBy: 'sekretariatet (test)',
    };
    const handle = await h.env.client.workflow.start('closureOfTilbud', { taskQueue: h.taskQueue, workflowId: caseId, args: [input] });
    let s = await until(handle, (x) => x.stage === 'Afventer registrering af myndighedens afgørelse', 'the decision step');
    expect(s.warnings.join(' ')).toMatch(/Grundlaget for efterreguleringen er ufuldstændigt/);
    expect(s.approvals.hearing).toBeUndefined();
    expect(await refusal(update(handle, 'recordContinuationCost', { text: 'Ikke relevant ved myndighedslukning', amount: '1', actor: 'Vejle' }))).toMatch(/skal ikke dokumenteres/);
    expect(await refusal(update(handle, 'recordSettlementBasis', { turnoverDecisionYear: '8000000', payers: [{ partyId: '630', name: 'Vejle', turnoverYearMinus2: '-1', turnoverYearMinus1: '1' }], actor: 'sekretariatet' }))).toMatch(/Beløbet må ikke være negativt/);
    await update(handle, 'recordSettlementBasis', {
      turnoverDecisionYear: '8000000',
      payers: [
        { partyId: '630', name: 'Vejle', turnoverYearMinus2: '500000', turnoverYearMinus1: '500000' },
        { partyId: '621', name: 'Kolding', turnoverYearMinus2: '500000', turnoverYearMinus1: '500000' },
      ],
      actingMunicipalities: [{ partyId: '621', name: 'Kolding' }],
      actor: 'sekretariatet',
    });
    await update(handle, 'recordClosureDecision', { decisionDate: '2023-11-01', closingDate: '2023-11-15', actor: 'Socialtilsyn Syd (registreret af sekretariatet)' });
    s = await until(handle, (x) => x.stage === 'Afventer foreløbigt lukkeregnskab', 'the provisional account step');
    // The tilbud closes on 15 November by the authority's decision: payment ends that day, not at the end of the
    // notice (31 January 2024); for a closure by an authority the deficit rests on the driftsherre (002:1696-1697).
    expect(details(s).notice).toMatchObject({ minimumEnd: '2024-01-31', paidThrough: '2023-11-15', closingBeforeNoticeEnd: true });
    expect(s.warnings.join(' ')).toContain('Lukningen sker efter myndighedens afgørelse: handlekommunerne betaler til og med lukkedatoen');

    const figures = { income: '3000000', costs: '4200000', carriedForward: '-300000' };
    await update(handle, 'submitProvisionalAccount', { ...figures, actor: 'Vejle' });
    await until(handle, (x) => x.stage === AT_FU, 'FU');
    await decide(handle, 'provisionalAccount', 'FU', 'approved', '2023-11-01');
    await until(handle, (x) => x.stage === 'Afventer endeligt lukkeregnskab', 'the final account step');
    // No efterregulering, so no audit is required.
    await update(handle, 'submitFinalAccount', { ...figures, actor: 'Vejle' });
    await until(handle, (x) => x.stage === AT_SDF, 'SDF');
    await decide(handle, 'finalAccount', 'SDF', 'approved', '2023-11-01');
    s = await until(handle, (x) => x.status === 'completed', 'completion');
    expect(s.stage).toBe('Afsluttet – lukket af myndighed, ingen efterregulering');
    const st = details(s).settlement!;
    expect(st).toMatchObject({ toDistribute: '-1500000', settled: '0', operatorTotal: '1500000' });
    expect(st.shares.every((x) => x.amount === '0')).toBe(true);
    expect(s.journal.flatMap((j) => j.documents).some((doc) => doc.content.includes('påhviler alene driftsherren'))).toBe(true);

    const mail = await caseMail(h, caseId);
    expect(mail.all.filter((m) => m.subject.startsWith('Efterregulering') || m.subject.startsWith('Høring') || m.subject.startsWith('Mulig lukning'))).toHaveLength(0);
    expect(mail.to(KOLDING).map((m) => m.subject)).toContain('Meddelelse om lukning af Opholdsstedet Kløverly: betaling til og med onsdag 15. november 2023');
    expect(await resultOf(h.env, handle)).toMatchObject({ outcome: 'closedByAuthority', status: 'completed' });
    await recordHistory(handle, 'closureOfTilbud.authority');
  });

  it('relocation and merger are not closures: recorded and completed at once', async () => {
    for (const classification of ['relocation', 'merger'] as const) {
      const caseId = `LUK-${classification}-${Date.now()}`;
      const input: ClosureInput = { ...example1(), classification, turnoverDecisionYear: undefined, payers: [], actingMunicipalities: [] };
      const handle = await h.env.client.workflow.start('closureOfTilbud', { taskQueue: h.taskQueue, workflowId: caseId, args: [input] });
      expect(await resultOf(h.env, handle)).toMatchObject({ outcome: 'notAClosure', status: 'completed' });
      const s = await state(handle);
      expect(s.stage).toBe(classification === 'relocation' ? 'Flytning – ikke en lukning' : 'Sammenlægning – ikke en lukning');
      expect(s.journal.at(-1)!.description).toContain('002:1699');
      expect(Object.keys(s.deadlines)).toEqual([]);
      expect((await caseMail(h, caseId)).all).toHaveLength(0);
      await recordHistory(handle, `closureOfTilbud.${classification}`);
    }
  });
});
