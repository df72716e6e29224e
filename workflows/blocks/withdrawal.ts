/**
 * A case can be withdrawn with a reason at any point while it is open. The procedure runs in a cancellation
 * scope; the `withdraw` Update cancels it, and the case records who withdrew it and why.
 *
 * The last resort for a step refused for good that the procedure itself did not handle (see
 * CaseRecord.attempt): the case does not fail silently. It stays open as "Standset – kræver handling" with the
 * reason, and the secretariat can withdraw it (and start a new case with corrected data).
 */
import { CancellationScope, condition, isCancellation } from '@temporalio/workflow';
import { withdrawStep } from '../../contracts/kit/commonSteps';
import type { StepArg } from '../../contracts/kit/step';
import type { CaseRecord } from './caseRecord';
import { permanentActivityFailure } from './failures';

export type WithdrawInput = StepArg<typeof withdrawStep>;

export async function runUntilWithdrawn<T>(c: CaseRecord<object>, procedure: () => Promise<T>): Promise<T | 'withdrawn'> {
  let request: WithdrawInput | undefined;
  const scope = new CancellationScope();
  c.step(withdrawStep, {
    dueWhen: () => request === undefined,
    run: async (input) => {
      request = input;
      scope.cancel();
      return { withdrawn: true } as const;
    },
  });
  try {
    return await scope.run(procedure);
  } catch (e) {
    const failure = request ? undefined : permanentActivityFailure(e);
    if (failure) {
      await c.needsAttention(`Sagen er standset: ${failure.message}`);
      await c.publish(
        { stage: 'Standset – kræver handling' },
        { description: `Kræver handling: sagen er standset, fordi et trin blev afvist: ${failure.message}. Sagen kan trækkes tilbage og startes igen med rettede oplysninger.`, actor: 'system' },
      );
      await condition(() => request !== undefined);
    } else if (!(isCancellation(e) && request)) throw e;
    const r = request!;
    await CancellationScope.nonCancellable(async () => {
      for (const d of Object.values(c.state.deadlines)) if (d.status === 'open') d.status = 'cancelled';
      for (const col of Object.values(c.state.collections)) if (col.status === 'open') col.status = 'finished';
      await c.publish({ status: 'withdrawn', stage: 'Trukket tilbage' }, { description: `Sagen er trukket tilbage. Begrundelse: ${r.reason.trim()}`, actor: r.actor });
    });
    return 'withdrawn';
  }
}
