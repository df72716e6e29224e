import { Pool, type PoolClient } from 'pg';

export function createPool(databaseUrl: string, max = 10): Pool {
  const pool = new Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: 5_000 });
  // An idle client losing its connection (e.g. PostgreSQL restarted) must not crash the process; the pool
  // replaces it and the next query retries through the activity's retry policy.
  pool.on('error', () => undefined);
  return pool;
}

/** Runs `fn` in one transaction on one connection: committed when it returns, rolled back when it throws. */
export async function withTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
