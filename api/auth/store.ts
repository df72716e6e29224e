/**
 * Accounts, sessions and API tokens in PostgreSQL. Secrets (session tokens, API tokens) are random 256-bit values
 * handed out once; only their SHA-256 is stored, so a copy of the database signs nobody in.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import argon2 from 'argon2';
import type { Pool, PoolClient } from 'pg';
import type { Principal, Role } from './principal';

export const SESSION_HOURS = 12;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const secret = () => randomBytes(32).toString('base64url');

export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function countUsers(pool: Pool): Promise<number> {
  return Number((await pool.query('SELECT count(*) AS n FROM app_user')).rows[0].n);
}

export async function createUser(pool: Pool | PoolClient, u: { email: string; name: string; role: Role; partyId?: string | null; password: string }): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    'INSERT INTO app_user (email, name, role, party_id, password_hash) VALUES (lower($1), $2, $3, $4, $5) RETURNING id',
    [u.email, u.name, u.role, u.partyId ?? null, await hashPassword(u.password)],
  );
  return String(rows[0]!.id);
}

// Verifying against a fixed hash when the e-mail is unknown keeps the answer time the same, so the sign-in
// form does not tell which addresses have accounts.
let dummyHash: Promise<string> | undefined;

export async function verifyCredentials(pool: Pool, email: string, password: string): Promise<{ id: string } | null> {
  const { rows } = await pool.query<{ id: string; password_hash: string; disabled: boolean }>('SELECT id, password_hash, disabled FROM app_user WHERE email = lower($1)', [email]);
  const row = rows[0];
  dummyHash ??= hashPassword(secret());
  const ok = await argon2.verify(row?.password_hash ?? (await dummyHash), password).catch(() => false);
  return row && ok && !row.disabled ? { id: String(row.id) } : null;
}

export async function createSession(pool: Pool, userId: string): Promise<{ token: string; csrfToken: string }> {
  const token = secret();
  const csrfToken = secret();
  await pool.query(`INSERT INTO app_session (token_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, now() + interval '${SESSION_HOURS} hours')`, [sha256(token), userId, csrfToken]);
  // Expired sessions are removed as new ones are made; no separate job is needed.
  await pool.query('DELETE FROM app_session WHERE expires_at < now()');
  return { token, csrfToken };
}

export async function sessionPrincipal(pool: Pool, token: string): Promise<Principal | null> {
  const hash = sha256(token);
  const { rows } = await pool.query(
    `SELECT u.id, u.name, u.role, u.party_id, s.csrf_token,
            s.expires_at < now() + interval '${SESSION_HOURS - 1} hours' AS stale
       FROM app_session s JOIN app_user u ON u.id = s.user_id
      WHERE s.token_hash = $1 AND s.expires_at > now() AND NOT u.disabled`,
    [hash],
  );
  const r = rows[0];
  if (!r) return null;
  // Sliding expiry, written at most once an hour per session: a write on every page view would make each read a
  // row update (and its WAL) for nothing.
  if (r.stale) await pool.query(`UPDATE app_session SET expires_at = now() + interval '${SESSION_HOURS} hours' WHERE token_hash = $1`, [hash]);
  return { kind: 'user', id: String(r.id), name: r.name, role: r.role, partyId: r.party_id, csrfToken: r.csrf_token };
}

export async function destroySession(pool: Pool, token: string): Promise<void> {
  await pool.query('DELETE FROM app_session WHERE token_hash = $1', [sha256(token)]);
}

export async function createApiToken(pool: Pool, t: { name: string; role: Role; partyId?: string | null; createdBy: string }): Promise<{ id: string; token: string }> {
  const token = `kkr_${secret()}`;
  const { rows } = await pool.query<{ id: string }>(
    'INSERT INTO api_token (token_hash, name, role, party_id, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [sha256(token), t.name, t.role, t.partyId ?? null, t.createdBy],
  );
  return { id: String(rows[0]!.id), token };
}

export async function tokenPrincipal(pool: Pool, token: string): Promise<Principal | null> {
  const { rows } = await pool.query('SELECT id, name, role, party_id FROM api_token WHERE token_hash = $1 AND revoked_at IS NULL', [sha256(token)]);
  const r = rows[0];
  return r ? { kind: 'token', id: String(r.id), name: r.name, role: r.role, partyId: r.party_id } : null;
}

/** Failed sign-ins allowed in 15 minutes: few per address (guessing one person's password), more per IP address
 * (a town hall's staff share one address behind NAT, but a spray over many accounts is still stopped). */
export const SIGN_IN_LIMIT = { perAccount: 5, perIp: 50, minutes: 15 };

/**
 * Counts and checks a sign-in attempt atomically, before the password is verified: under an advisory lock per key
 * (the account and the IP address, taken in a fixed order), the failures of the window are counted and, unless
 * one limit is reached, the attempt is recorded as a failure at once. Parallel attempts therefore queue on the
 * lock and the sixth sees five; `settleSignIn` removes the attempt's rows again when the password was right.
 */
export async function claimSignInAttempt(pool: Pool, email: string, ip: string): Promise<{ blocked: true } | { blocked: false; attempt: string }> {
  const keys = [`email:${email}`, `ip:${ip}`].sort();
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const key of keys) await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`sign-in:${key}`]);
    const { rows } = await client.query<{ key: string; n: string }>(
      `SELECT key, count(*) AS n FROM sign_in_failure WHERE key = ANY($1) AND at > now() - interval '${SIGN_IN_LIMIT.minutes} minutes' GROUP BY key`,
      [keys],
    );
    const n = (key: string) => Number(rows.find((r) => r.key === key)?.n ?? 0);
    if (n(`email:${email}`) >= SIGN_IN_LIMIT.perAccount || n(`ip:${ip}`) >= SIGN_IN_LIMIT.perIp) {
      await client.query('COMMIT');
      return { blocked: true };
    }
    const attempt = randomUUID();
    await client.query('INSERT INTO sign_in_failure (key, attempt) SELECT unnest($1::text[]), $2', [keys, attempt]);
    await client.query('COMMIT');
    return { blocked: false, attempt };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/** The end of a claimed attempt: a success is no failure; a failure stays counted (and old rows go). */
export async function settleSignIn(pool: Pool, attempt: string, succeeded: boolean): Promise<void> {
  if (succeeded) await pool.query('DELETE FROM sign_in_failure WHERE attempt = $1', [attempt]);
  else await pool.query(`DELETE FROM sign_in_failure WHERE at < now() - interval '1 day'`);
}
