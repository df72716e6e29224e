/**
 * The workflow code is bundled once per test run (in globalSetup) and every worker and replay of the run uses
 * that bundle: bundling takes seconds of CPU on this machine, and 30-odd workers and replays each did it anew.
 */
import { inject } from 'vitest';
import type { WorkflowBundleOption } from '@temporalio/worker';

/** The run's bundle, or undefined when a test file runs outside the suite's globalSetup. */
export function sharedWorkflowBundle(): WorkflowBundleOption | undefined {
  const codePath = inject('workflowBundlePath');
  return codePath ? { codePath } : undefined;
}

/** Options for Worker.runReplayHistory/runReplayHistories: the shared bundle, or the workflows themselves. */
export function replayWorkflowOptions(workflowsPath: string): { workflowBundle: WorkflowBundleOption } | { workflowsPath: string } {
  const bundle = sharedWorkflowBundle();
  return bundle ? { workflowBundle: bundle } : { workflowsPath };
}
