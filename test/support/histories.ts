/**
 * Stored workflow histories guard determinism: a change to a workflow that would break running cases fails
 * the replay test. Tests that walk a procedure record its history when KKR_RECORD_HISTORIES=1.
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';

export const HISTORIES_DIR = path.join(__dirname, '..', 'histories');

export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (process.env.KKR_RECORD_HISTORIES !== '1') return;
  const history = await handle.fetchHistory();
  // KKR_RECORD_HISTORIES_DIR records elsewhere (e.g. to weigh a change against the stored histories without
  // replacing them: the stored ones guard the cases recorded before it).
  const dir = process.env.KKR_RECORD_HISTORIES_DIR ?? HISTORIES_DIR;
  mkdirSync(dir, { recursive: true });
  // The workflow ID goes along: a workflow that derives IDs from its own (a child case) replays only under it.
  writeFileSync(path.join(dir, `${name}.json`), JSON.stringify({ workflowId: handle.workflowId, ...history }));
  // The case Query's size at the end, and what it would be with the journal inside it (as it was before the
  // journal moved to the read model only): `npm run bench:history` reports both.
  const { caseState } = await import('./calendarHarness');
  const view = await caseState(handle);
  const { journal, ...query } = view;
  const sizesFile = process.env.KKR_RECORD_HISTORIES_DIR ? path.join(dir, 'query-sizes.json') : path.join(HISTORIES_DIR, '..', '..', 'docs', 'query-sizes.json');
  const sizes = existsSync(sizesFile) ? (JSON.parse(readFileSync(sizesFile, 'utf8')) as Record<string, unknown>) : {};
  sizes[name] = { queryBytes: Buffer.byteLength(JSON.stringify(query)), withJournalBytes: Buffer.byteLength(JSON.stringify(view)), journalEntries: journal.length };
  writeFileSync(sizesFile, `${JSON.stringify(sizes, null, 2)}\n`);
}
