/**
 * Bad input, generated from the API's own OpenAPI document: for every operation, requests with random and
 * half-right bodies, query strings and path parameters, with hostile text among them (control characters, NUL,
 * bidi overrides, lone surrogates, strings past the 200,000-character backstop, values nested far deeper than
 * any schema). Never a 5xx, never a hang, and a rejected request stores nothing (no case, no journal entry, no
 * e-mail in the outbox) and starts no workflow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { startHarness, type Harness } from '../support/harness';
import { caseIdFor } from '../../api/caseIds';
import { procedures } from '../../api/procedures';
import { startCentralAnnouncement } from '../support/cases';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

type Json = Record<string, unknown>;
interface Op {
  method: string;
  path: string;
  body?: Json;
  query: string[];
}

/** Text a person should never be able to store: control characters, bidi overrides, lone surrogates, more than 200,000 characters. */
const hostile: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.string({ maxLength: 20 }), fc.constantFrom('\u0000', '\u0001', '\u0007', '\u001b', '\r', '\u007f', '\u0085', '\u202a', '\u202e', '\u2066', '\u2069', '\ud800', '\udfff'), fc.string({ maxLength: 20 })).map(([a, c, b]) => `${a}${c}${b}`),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 200_001, max: 400_000 }).map((n) => 'x'.repeat(n)),
);
/** A value nested far deeper than any schema (arrays and objects). */
const tooDeep: fc.Arbitrary<unknown> = fc.tuple(fc.integer({ min: 33, max: 3000 }), fc.boolean()).map(([n, arr]) => {
  let v: unknown = 'bund';
  for (let i = 0; i < n; i++) v = arr ? [v] : { a: v };
  return v;
});

/** A value shaped like the schema but often wrong: the right keys with wrong types, out-of-range numbers, junk. */
function nearly(schema: Json | undefined, depth = 0): fc.Arbitrary<unknown> {
  const junk = fc.oneof(hostile, tooDeep, fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(''), fc.string({ unit: 'grapheme', maxLength: 300 }), fc.constant('010190-1234'), fc.constant('2023-02-30'), fc.constant('-1'), fc.constant('1e309'));
  if (!schema || depth > 4) return junk;
  const alts = (schema.oneOf ?? schema.anyOf) as Json[] | undefined;
  if (alts?.length) return fc.oneof(...alts.map((a) => nearly(a, depth + 1)), junk);
  if (schema.type === 'object' || schema.properties) {
    const props = (schema.properties ?? {}) as Record<string, Json>;
    const entries = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, nearly(v, depth + 1)]));
    return fc.oneof(fc.record(entries, { requiredKeys: [] }), fc.dictionary(fc.string({ maxLength: 10 }), junk, { maxKeys: 4 }), junk);
  }
  if (schema.type === 'array') return fc.oneof(fc.array(nearly(schema.items as Json, depth + 1), { maxLength: 5 }), junk);
  if (schema.enum) return fc.oneof(fc.constantFrom(...(schema.enum as unknown[])), junk);
  if (schema.const !== undefined) return fc.oneof(fc.constant(schema.const), junk);
  return junk;
}

/** Percent-encoding that also spells a lone surrogate (as the three bytes WTF-8 gives it), where
 * encodeURIComponent throws: a client can send such bytes, so the server must answer them. */
const pct = (s: string) =>
  [...s]
    .map((ch) => {
      try {
        return encodeURIComponent(ch);
      } catch {
        const c = ch.charCodeAt(0);
        return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
      }
    })
    .join('');

/** Whether a workflow with this ID exists on the Temporal server (running or closed). */
async function workflowExists(workflowId: string): Promise<boolean> {
  try {
    await h.client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (e) {
    if (e instanceof WorkflowNotFoundError) return false;
    throw e;
  }
}

async function counts() {
  const { rows } = await h.pool.query(
    'SELECT (SELECT count(*) FROM case_summary) AS cases, (SELECT count(*) FROM case_journal) AS journal, (SELECT count(*) FROM email_outbox) AS emails',
  );
  return rows[0] as { cases: string; journal: string; emails: string };
}

describe('the API under random input', () => {
  it('answers every operation without a 5xx and stores nothing from a rejected request', { timeout: 300_000 }, async () => {
    const doc = (await (await h.fetch(`${h.baseUrl}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, Json>> };
    const ops: Op[] = [];
    for (const [p, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const body = (((op.requestBody as Json | undefined)?.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema as Json | undefined;
        const query = ((op.parameters ?? []) as Json[]).filter((x) => x.in === 'query').map((x) => String(x.name));
        ops.push({ method, path: p, body, query });
      }
    }
    expect(ops.length).toBeGreaterThan(10);
    const failures: string[] = [];
    for (const op of ops) {
      await fc.assert(
        fc.asyncProperty(
          nearly(op.body),
          fc.array(fc.tuple(fc.constantFrom(...(op.query.length ? op.query : ['x'])), fc.oneof(fc.string({ maxLength: 30 }), hostile)), { maxLength: 3 }),
          fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), hostile.filter((s) => s.length > 0 && s.length < 2000)),
          async (body, query, pathParam) => {
            const before = await counts();
            const url = `${h.baseUrl}${op.path.replace(/\{[^}]+\}/g, () => pct(pathParam))}?${new URLSearchParams(query).toString()}`;
            // A known request ID, so a rejected start can be checked against every case ID it could have made.
            const requestId = randomUUID();
            const headers = { 'content-type': 'application/json', 'idempotency-key': requestId };
            let res: Response;
            try {
              res = await h.fetch(url, op.method === 'get' ? { signal: AbortSignal.timeout(15_000) } : { method: op.method.toUpperCase(), headers, body: JSON.stringify(body), signal: AbortSignal.timeout(15_000) });
            } catch (e) {
              failures.push(`${op.method.toUpperCase()} ${url.slice(0, 200)} ${JSON.stringify(body)?.slice(0, 200)} → no answer within 15 s (${(e as Error).name})`);
              return true;
            }
            const text = await res.text();
            if (res.status >= 500) failures.push(`${op.method.toUpperCase()} ${url.slice(0, 200)} ${JSON.stringify(body)?.slice(0, 200)} → ${res.status} ${text.slice(0, 200)}`);
            if (res.status >= 400) {
              const after = await counts();
              if (JSON.stringify(after) !== JSON.stringify(before)) failures.push(`${op.method.toUpperCase()} ${op.path} → ${res.status} but stored something: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
              if (op.method === 'post' && op.path === '/api/v1/cases') {
                for (const p of procedures) {
                  if (await workflowExists(caseIdFor(p.casePrefix, requestId))) failures.push(`POST /api/v1/cases → ${res.status} but started ${caseIdFor(p.casePrefix, requestId)}`);
                }
              }
            }
            return true;
          },
        ),
        { numRuns: op.method === 'get' ? 15 : 60, seed: 20261123 },
      );
    }
    // Malformed JSON and a wrong content type, too; and JSON nested deeper than any schema, on every POST.
    for (const op of ops.filter((o) => o.method === 'post')) {
      const url = `${h.baseUrl}${op.path.replace(/\{[^}]+\}/g, 'X-2026-0')}`;
      for (const n of [40, 2_000, 50_000]) {
        const body = `{"procedure":"orientation","input":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`;
        const res = await h.fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(15_000) });
        if (res.status >= 500 || (res.status !== 400 && res.status !== 404 && res.status !== 403)) failures.push(`POST ${op.path} nested ${n} deep → ${res.status} ${(await res.text()).slice(0, 200)}`);
        else await res.arrayBuffer();
      }
    }
    for (const body of ['{', '[1,2', 'null', '"text"', '{"procedure": 5}']) {
      const res = await h.fetch(`${h.baseUrl}/api/v1/cases`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      if (res.status >= 500) failures.push(`POST /api/v1/cases ${body} → ${res.status}`);
    }
    expect(failures).toEqual([]);
  });

  it('the actions endpoint on a real, open case: random input for every step never gives a 5xx, and a refused step records nothing', { timeout: 300_000 }, async () => {
    const caseId = await startCentralAnnouncement(h, 'Fuzz af handlinger', ['461', '561']);
    await waitForJournal(caseId);
    const doc = (await (await h.fetch(`${h.baseUrl}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, Json>> };
    const op = doc.paths['/api/v1/cases/{caseId}/actions/{action}']!.post!;
    const byProcedure = ((((op.requestBody as Json).content as Json)['application/json'] as Json).schema as Json).oneOf as Json[];
    const steps = (byProcedure[procedures.findIndex((p) => p.id === 'centralAnnouncement')]!.oneOf as Json[]).filter((s) => !String(s.title).startsWith('withdraw:'));
    expect(steps.length).toBeGreaterThan(2);
    const journalOf = async () => Number((await h.pool.query('SELECT count(*) AS n FROM case_journal WHERE case_id = $1', [caseId])).rows[0].n);
    const failures: string[] = [];
    for (const step of steps) {
      const action = String(step.title).split(':')[0]!;
      await fc.assert(
        fc.asyncProperty(nearly(step), async (body) => {
          const before = await journalOf();
          const res = await h.fetch(`${h.baseUrl}/api/v1/cases/${encodeURIComponent(caseId)}/actions/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(15_000) });
          const text = await res.text();
          if (res.status >= 500) failures.push(`${action} ${JSON.stringify(body)?.slice(0, 200)} → ${res.status} ${text.slice(0, 200)}`);
          if (res.status >= 400 && (await journalOf()) !== before) failures.push(`${action} → ${res.status} but the journal grew`);
          // A field error names the field by its Danish label, never by its path ('Feltet "input.text"', "text: …").
          if (res.status === 400) {
            const fields = (JSON.parse(text) as { fields: { field: string; reason: string }[] }).fields;
            for (const f of fields) {
              const path = f.field.replace(/^input\./, '');
              if (/[a-z]/.test(path) && (f.reason.includes(`"${path}"`) || f.reason.startsWith(`${path}:`) || f.reason.includes(`"${f.field}"`))) failures.push(`${action} → 400 names the path: ${f.reason}`);
            }
          }
          return true;
        }),
        { numRuns: 40, seed: 20261203 },
      );
    }
    expect(failures).toEqual([]);
  });
});

/** Until the case has sent its invitations and its journal has stood still for 3 seconds. */
async function waitForJournal(caseId: string): Promise<void> {
  let last = -1;
  let still = 0;
  for (let i = 0; i < 600; i++) {
    const { rows } = await h.pool.query('SELECT count(*) AS n FROM case_journal WHERE case_id = $1', [caseId]);
    const n = Number(rows[0].n);
    still = n === last ? still + 1 : 0;
    last = n;
    if (n >= 2 && still >= 15) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the journal of ${caseId} did not settle`);
}
