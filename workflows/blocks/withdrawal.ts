/**
 * A case can be withdrawn with a reason at any point while it is open. The procedure runs in a cancellation
 * scope; the `withdraw` Update cancels it, and the case records who withdrew it and why.
 */
import { CancellationScope, defineUpdate, isCancellation, setHandler } from '@temporalio/workflow';
import type { CaseRecord } from './caseRecord';

export interface WithdrawInput {
  reason: string;
  actor: string;
}

export const withdrawUpdate = defineUpdate<{ withdrawn: true }, [WithdrawInput]>('withdraw');

export async function runUntilWithdrawn<T>(c: CaseRecord, procedure: () => Promise<T>): Promise<T | 'withdrawn'> {
  let request: WithdrawInput | undefined;
  const scope = new CancellationScope();
  setHandler(
    withdrawUpdate,
    async (input) => {
      request = input;
      scope.cancel();
      return { withdrawn: true } as const;
    },
    {
      validator: (input) => {
        if (c.state.status !== 'open') throw new Error('Sagen er ikke åben og kan ikke trækkes tilbage');
        if (request) throw new Error('Sagen er allerede ved at blive trukket tilbage');
        if (!input?.reason || input.reason.trim().length < 5) throw new Error('Angiv en begrundelse for at trække sagen tilbage');
        if (!input.actor) throw new Error('Mangler aktør');
      },
    },
  );
  try {
    return await scope.run(procedure);
  } catch (e) {
    if (!(isCancellation(e) && request)) throw e;
    const r = request;
    await CancellationScope.nonCancellable(async () => {
      for (const d of Object.values(c.state.deadlines)) if (d.status === 'open') d.status = 'cancelled';
      for (const col of Object.values(c.state.collections)) if (col.status === 'open') col.status = 'finished';
      await c.publish({ status: 'withdrawn', stage: 'Trukket tilbage' }, { description: `Sagen er trukket tilbage. Begrundelse: ${r.reason.trim()}`, actor: r.actor });
    });
    return 'withdrawn';
  }
}
