/**
 * Failures in workflow code. An activity that fails for good (a non-retryable ApplicationFailure from
 * activities/failures.ts) is recognised here so the case can show it instead of stalling; a state the code
 * cannot reach is an explicit, typed failure of the workflow rather than a plain Error (which Temporal would
 * treat as a bug in the workflow task and retry for ever).
 */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

/** The activity's own non-retryable failure, when `err` is one; undefined for anything a retry may still fix. */
export function permanentActivityFailure(err: unknown): ApplicationFailure | undefined {
  if (!(err instanceof ActivityFailure)) return undefined;
  const cause = err.cause;
  return cause instanceof ApplicationFailure && cause.nonRetryable ? cause : undefined;
}

/** A state the procedure cannot reach; fails the workflow with the type 'ImpossibleState'. */
export function impossibleState(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: 'ImpossibleState', message, nonRetryable: true });
}
