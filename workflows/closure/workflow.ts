/**
 * Lukning af et tilbud (Rammeaftale 2023-2024, Bilag 4 row "Lukning", Bilag 5 "Håndtering af lukning af tilbud",
 * Bilag 6 row "Lukning af tilbud"; rammeaftale.md §5.3 and §11).
 *
 * Classification comes first: a relocation or merger "ikke betragtes som en lukning" (002:1699) and is only
 * recorded; a closure by Socialtilsynet or another authority has no efterregulering — "påhviler et eventuelt
 * underskud … alene driftsherren" (002:1696-1697) — so it is recorded and completed after the accounts. An
 * ordinary closure runs the whole table of §5.3: notice of a possible closure, orientation of FU, hearing in
 * SDF, the decision (which pins the rule version), written closure notices with "løbende måned plus to
 * måneder", the provisional account within 3 months with reminders, FU, the affected municipalities, material
 * changes, the audited final account, SDF, and the settlement with a notice to each payer of its own amount.
 *
 * The steps' handlers (steps.ts) record facts (the decision, the continuation cost, an account and its revision); the
 * phases (phases/) wait for them where the procedure needs them, and the flow below reads like §5.3. The case
 * itself, with its facts and the views of its parties, is caseFile.ts.
 */
import { allHandlersFinished, condition } from '@temporalio/workflow';
import { runUntilWithdrawn } from '../blocks/withdrawal';
import type { ClosureDetails, ClosureInput, ClosureOutcome, ClosureResult } from './contract';
import { ClosureCaseFile } from './caseFile';
import { accountSteps, basisStep, decisionSteps } from './steps';
import { opened, recordedAsNotAClosure, warnOfGaps } from './phases/opening';
import { decision, firstNotices, hearing } from './phases/decision';
import { closureNotices } from './phases/closureNotices';
import { accountToMunicipalities, finalAccount, provisionalAccount } from './phases/accounts';
import { settlement } from './phases/settlement';

export type { ClosureInput, ClosureDetails, ClosureResult };

export async function closureOfTilbud(input: ClosureInput): Promise<ClosureResult> {
  const x = new ClosureCaseFile(input);
  basisStep(x);
  decisionSteps(x);
  accountSteps(x);

  const outcome = await runUntilWithdrawn(x.c, async (): Promise<ClosureOutcome> => {
    await opened(x);
    if (x.notAClosure) {
      await recordedAsNotAClosure(x);
      return 'notAClosure';
    }
    await warnOfGaps(x);
    const regionParties = await firstNotices(x); // steps 0-1
    if (x.ordinary) await hearing(x, regionParties); // steps 2-3
    const decided = await decision(x); // step 4
    await closureNotices(x, decided); // steps 5-6
    await provisionalAccount(x); // step 6, FU
    await accountToMunicipalities(x, 'provisional'); // step 7
    await finalAccount(x); // steps 8-10
    await accountToMunicipalities(x, 'final'); // step 11
    return settlement(x, decided); // step 12
  });

  x.facts.basisOpen = false;
  x.facts.waitingFor = undefined;
  await condition(allHandlersFinished);
  const { details } = x;
  const s = details.settlement;
  return {
    outcome: outcome === 'withdrawn' ? 'withdrawn' : outcome,
    status: x.c.state.status,
    ...(details.decision ? { decisionDate: details.decision.decisionDate, closingDate: details.decision.closingDate, ruleVersion: details.decision.ruleVersion } : {}),
    ...(s ? { settlement: { toDistribute: s.toDistribute, ownRisk: s.ownRisk, toOtherUnits: s.toOtherUnits, settled: s.settled, operatorTotal: s.operatorTotal, shares: s.shares } } : {}),
  };
}
