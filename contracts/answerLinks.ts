/**
 * Links in e-mails are signed and expire: an HMAC over what the link may do (one case, one collection, one
 * party, until a time). A municipality can only ever answer for itself, and a tampered link is refused.
 * The link format is the contract between the activity that sends links and the API that verifies them; it
 * uses node:crypto, so it is for the worker and the API, never for workflow code.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface AnswerLinkClaims {
  caseId: string;
  collection: string;
  partyId: string;
  /** ISO instant after which the link no longer works. */
  exp: string;
}

const b64 = (b: Buffer) => b.toString('base64url');

export function signAnswerLink(claims: AnswerLinkClaims, secret: string): string {
  const payload = b64(Buffer.from(JSON.stringify([claims.caseId, claims.collection, claims.partyId, claims.exp])));
  const mac = b64(createHmac('sha256', secret).update(`answer.${payload}`).digest());
  return `${payload}.${mac}`;
}

export type VerifyResult = { ok: true; claims: AnswerLinkClaims } | { ok: false; reason: 'malformed' | 'badSignature' | 'expired'; claims?: AnswerLinkClaims };

export function verifyAnswerLink(token: string, secret: string, nowMs = Date.now()): VerifyResult {
  const [payload, mac, extra] = token.split('.');
  if (!payload || !mac || extra !== undefined) return { ok: false, reason: 'malformed' };
  // Only the canonical encoding: base64url without padding, whose decoding encodes back to the same text. A
  // lenient decoder would accept other spellings of the same bytes (extra characters, other final bits).
  if (!/^[A-Za-z0-9_-]+$/.test(payload) || !/^[A-Za-z0-9_-]{43}$/.test(mac)) return { ok: false, reason: 'malformed' };
  if (b64(Buffer.from(payload, 'base64url')) !== payload || b64(Buffer.from(mac, 'base64url')) !== mac) return { ok: false, reason: 'malformed' };
  const expected = createHmac('sha256', secret).update(`answer.${payload}`).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'badSignature' };
  let arr: unknown;
  try {
    arr = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!Array.isArray(arr) || arr.length !== 4 || !arr.every((x) => typeof x === 'string')) return { ok: false, reason: 'malformed' };
  const [caseId, collection, partyId, exp] = arr as string[];
  const claims = { caseId: caseId!, collection: collection!, partyId: partyId!, exp: exp! };
  if (!(Date.parse(claims.exp) > nowMs)) return { ok: false, reason: 'expired', claims };
  return { ok: true, claims };
}
