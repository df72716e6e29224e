/** Which activity errors are permanent (activities/failures.ts): a retry cannot fix them, so they fail at once. */
import { describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { PermanentInputError, classifyPermanentFailures, permanentFailureOf } from '../../activities/failures';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'ERROR' });

describe('permanent activity failures', () => {
  it.each([
    ['22021', 'InvalidData', 'Teksten indeholder tegn, som databasen ikke kan gemme'],
    ['22P05', 'InvalidData', 'Teksten indeholder tegn, som databasen ikke kan gemme'],
    ['22P02', 'InvalidData', 'Databasen afviste en værdi som ugyldig'],
    ['23502', 'ConstraintViolation', 'Et påkrævet felt mangler'],
    ['23503', 'ConstraintViolation', 'Sagen henviser til noget, der ikke findes'],
    ['23514', 'ConstraintViolation', 'En værdi overholder ikke databasens regler'],
    ['23505', 'ConstraintViolation', 'Databasen afviste ændringen'],
  ])('PostgreSQL %s is a non-retryable %s with a Danish message', (code, type, text) => {
    const f = permanentFailureOf(pgError(code, 'invalid byte sequence for encoding "UTF8": 0x00'));
    expect(f).toBeInstanceOf(ApplicationFailure);
    expect(f!.nonRetryable).toBe(true);
    expect(f!.type).toBe(type);
    expect(f!.message).toContain(text);
    expect(f!.message).toContain(`PostgreSQL ${code}`);
  });

  it.each([
    ['a lost connection', Object.assign(new Error('Connection terminated unexpectedly'), {})],
    ['a Node socket error', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['a serialization failure (40001, retry helps)', pgError('40001', 'could not serialize access')],
    ['too many connections (53300)', pgError('53300', 'sorry, too many clients already')],
    ['a retryable ApplicationFailure', ApplicationFailure.retryable('midlertidig fejl', 'Temporary')],
  ])('%s stays retryable', (_what, err) => {
    expect(permanentFailureOf(err)).toBeUndefined();
  });

  it('an unknown party (PermanentInputError) keeps its type and Danish message', () => {
    const f = permanentFailureOf(new PermanentInputError('UnknownParty', 'Ukendt part i adressebogen: 999'));
    expect(f).toMatchObject({ type: 'UnknownParty', message: 'Ukendt part i adressebogen: 999', nonRetryable: true });
  });

  it('the wrapper turns a permanent error into the failure, passes others and results unchanged, and keeps names', async () => {
    const transient = new Error('ECONNRESET');
    const acts = classifyPermanentFailures({
      async ok(x: number) {
        return x + 1;
      },
      async refused() {
        throw pgError('22021', 'invalid byte sequence');
      },
      async flaky() {
        throw transient;
      },
    });
    await expect(acts.ok(1)).resolves.toBe(2);
    await expect(acts.refused()).rejects.toMatchObject({ type: 'InvalidData', nonRetryable: true });
    await expect(acts.flaky()).rejects.toBe(transient);
    expect(acts.refused.name).toBe('refused');
  });
});
