/**
 * Stored workflow histories guard determinism: a change to a workflow that would break running cases fails
 * the replay test. Tests that walk a procedure record its history when KKR_RECORD_HISTORIES=1.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';

export const HISTORIES_DIR = path.join(__dirname, '..', 'histories');

export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (process.env.KKR_RECORD_HISTORIES !== '1') return;
  const history = await handle.fetchHistory();
  mkdirSync(HISTORIES_DIR, { recursive: true });
  // The workflow ID goes along: a workflow that derives IDs from its own (a child case) replays only under it.
  writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), JSON.stringify({ workflowId: handle.workflowId, ...history }));
}
