/** The run's PostgreSQL (started by globalSetup), migrated, for a test file that talks to the read model directly. */
import { afterAll, beforeAll, inject } from 'vitest';
import type { Pool } from 'pg';
import { createPool } from '../../db/pool';
import { migrate } from '../../db/migrate';

/** Opens a pool before the file's tests and closes it after; returns a getter (the pool exists once they run). */
export function migratedPool(): () => Pool {
  let pool: Pool | undefined;
  beforeAll(async () => {
    pool = createPool(inject('databaseUrl'));
    await migrate(pool);
  });
  afterAll(async () => {
    await pool?.end();
  });
  return () => {
    if (!pool) throw new Error('the pool opens in beforeAll');
    return pool;
  };
}
