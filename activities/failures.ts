/**
 * Which activity errors are permanent. A retry cannot fix an input the database refuses (invalid text, a broken
 * constraint) or a party the directory does not know; retrying such an error forever only hides it. These are
 * turned into non-retryable ApplicationFailures with a Danish message and a type, which the workflow turns into
 * a visible "Kræver handling" on the case (workflows/blocks/caseRecord.ts). Everything else (a lost connection,
 * a timeout, an SMTP outage) stays retryable.
 */
import { ApplicationFailure } from '@temporalio/common';

/** The failure types the workflows recognise (ApplicationFailure.type). */
export const PERMANENT_FAILURE_TYPES = ['InvalidData', 'ConstraintViolation', 'UnknownParty'] as const;
export type PermanentFailureType = (typeof PERMANENT_FAILURE_TYPES)[number];

/** Thrown by an activity for an input it can never process; the message is Danish and shown to the secretariat. */
export class PermanentInputError extends Error {
  constructor(
    readonly failureType: PermanentFailureType,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentInputError';
  }
}

/** What PostgreSQL's SQLSTATE says about the input (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
function postgresInputProblem(err: unknown): { type: PermanentFailureType; message: string } | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  const detail = (err as { message?: string }).message ?? '';
  if (code === '22021' || code === '22P05')
    return { type: 'InvalidData', message: `Teksten indeholder tegn, som databasen ikke kan gemme (fx et nul-tegn) (PostgreSQL ${code}: ${detail})` };
  if (code.startsWith('22')) return { type: 'InvalidData', message: `Databasen afviste en værdi som ugyldig (PostgreSQL ${code}: ${detail})` };
  if (code === '23502') return { type: 'ConstraintViolation', message: `Et påkrævet felt mangler (PostgreSQL ${code}: ${detail})` };
  if (code === '23503') return { type: 'ConstraintViolation', message: `Sagen henviser til noget, der ikke findes (PostgreSQL ${code}: ${detail})` };
  if (code === '23514') return { type: 'ConstraintViolation', message: `En værdi overholder ikke databasens regler (PostgreSQL ${code}: ${detail})` };
  if (code.startsWith('23')) return { type: 'ConstraintViolation', message: `Databasen afviste ændringen (PostgreSQL ${code}: ${detail})` };
  return undefined;
}

/** The non-retryable failure for a permanent error; undefined when a retry may help. */
export function permanentFailureOf(err: unknown): ApplicationFailure | undefined {
  if (err instanceof ApplicationFailure) return err.nonRetryable ? err : undefined;
  if (err instanceof PermanentInputError) return ApplicationFailure.nonRetryable(err.message, err.failureType);
  const pg = postgresInputProblem(err);
  if (pg) return ApplicationFailure.nonRetryable(pg.message, pg.type, { sqlState: (err as { code: string }).code });
  return undefined;
}

type AnyFn = (...args: never[]) => Promise<unknown>;

/** Wraps every activity so a permanent error leaves it as a non-retryable failure; others pass unchanged. */
export function classifyPermanentFailures<T extends Record<string, AnyFn>>(activities: T): T {
  const wrapped: Record<string, AnyFn> = {};
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] = async (...args: never[]) => {
      try {
        return await fn(...args);
      } catch (err) {
        throw permanentFailureOf(err) ?? err;
      }
    };
    // Temporal registers activities by their property name; keep the function's name for stack traces.
    Object.defineProperty(wrapped[name], 'name', { value: name });
  }
  return wrapped as T;
}
