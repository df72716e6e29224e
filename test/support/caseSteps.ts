/**
 * What the procedure tests do to a case, the same on the real parts (calendar walks) and on in-memory activities
 * (workflow project): Updates as the API sends them, the result read without unlocking time skipping, and the
 * fixtures both kinds of test start from.
 */
import { Worker } from '@temporalio/worker';
import { WorkflowClient, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { expect } from 'vitest';
import path from 'node:path';
import type { CaughtMessage } from '../../deploy/mailCatcher';
import type { CapacityChangeInput } from '../../workflows/capacityChange/contract';
import { replayWorkflowOptions } from './workflowBundle';

export const update = (handle: WorkflowHandle, name: string, arg: object) => handle.executeUpdate(name, { args: [arg] });

/** A municipality's answer through its link. */
export const answer = (handle: WorkflowHandle, collection: string, partyId: string, a: unknown, actor = `${partyId} (link)`) =>
  handle.executeUpdate('submitAnswer', { args: [{ collection, partyId, answer: a, actor }] }) as Promise<{ accepted: true; late: boolean }>;

/** A body's decision in an approval chain, recorded by the secretariat. */
export const decideIn = (handle: WorkflowHandle, chain: string, body: string, outcome: string, meetingDate: string, note?: string, actor = 'sekretariatet (test)') =>
  update(handle, 'recordDecision', { chain, body, outcome, meetingDate, ...(note ? { note } : {}), actor });

/** The workflow's result through a plain client: the time-skipping client unlocks time skipping while it waits,
 * and an idle server then jumps at once to its next timer (years ahead), spoiling the calendar of the next test. */
export const resultOf = (env: TestWorkflowEnvironment, handle: WorkflowHandle) =>
  new WorkflowClient({ connection: env.connection, namespace: env.namespace ?? 'default' }).getHandle(handle.workflowId).result();

/** A case's e-mails, all and to one address. */
export async function caseMail(h: { mail(caseId?: string): Promise<CaughtMessage[]> }, caseId: string) {
  const all = await h.mail(caseId);
  return { all, to: (addr: string) => all.filter((m) => m.envelopeTo.includes(addr)) };
}

/** A worker restarted mid-case replays the history it finds: the code must reproduce it exactly. */
export async function expectReplays(...handles: WorkflowHandle[]) {
  const histories = await Promise.all(handles.map(async (hd) => ({ workflowId: hd.workflowId, history: await hd.fetchHistory() })));
  let replayed = 0;
  for await (const r of Worker.runReplayHistories(replayWorkflowOptions(path.join(__dirname, '../../workflows/index.ts')), histories)) {
    expect(r.error?.message, `${r.workflowId} replays`).toBeUndefined();
    replayed++;
  }
  expect(replayed).toBe(handles.length);
}

/** A capacity change of Vejle's Bofællesskabet Fjordbo (70 places), changed by `over`. */
export function capacityInput(caseId: string, over: Partial<CapacityChangeInput>): CapacityChangeInput {
  return {
    operator: { partyId: '630', name: 'Vejle', type: 'municipal' },
    tilbud: { name: 'Bofællesskabet Fjordbo', targetGroup: 'Voksne med udviklingshæmning' },
    kind: 'adjust',
    currentPlaces: 70,
    newPlaces: 70,
    effectiveDate: '2023-12-01',
    politicalTreatmentDate: null,
    justifications: [],
    otherUserMunicipalities: [],
    startedBy: 'sekretariatet (test)',
    caseUrl: `http://127.0.0.1/sager/${caseId}`,
    ...over,
  };
}
