import { Pool } from 'pg';

export function createPool(databaseUrl: string, max = 10): Pool {
  const pool = new Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: 5_000 });
  // An idle client losing its connection (e.g. PostgreSQL restarted) must not crash the process; the pool
  // replaces it and the next query retries through the activity's retry policy.
  pool.on('error', () => undefined);
  return pool;
}
