/**
 * Replays every stored history (test/histories/*.json, recorded from the calendar walks) against the current
 * workflow code. A change that would make a running case non-deterministic fails here; such a change needs
 * `patched()` (see README, "Changing a running procedure").
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { HISTORIES_DIR } from '../support/histories';
import { replayWorkflowOptions } from '../support/workflowBundle';

const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json')).sort();

describe('replay of stored histories', () => {
  it('has histories of every procedure to replay', () => {
    const types = new Set(files.map((f) => f.split('.')[0]));
    expect([...types]).toEqual(expect.arrayContaining(['refugeeQuotaAgreement', 'centralAnnouncement', 'capacityChange', 'closureOfTilbud']));
  });

  it.each(files)('%s replays without non-determinism', async (file) => {
    // Stored as the client's history object (fetchHistory), so it is rebuilt with the proto's fromObject.
    const { workflowId, ...stored } = JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8')) as { workflowId?: string };
    const history = temporal.api.history.v1.History.fromObject(stored);
    const workflowType = file.split('.')[0]!;
    await Worker.runReplayHistory(
      { ...replayWorkflowOptions(path.join(__dirname, '..', '..', 'workflows', 'index.ts')), replayName: file },
      history,
      workflowId ?? `replay-${workflowType}`,
    );
  });
});
