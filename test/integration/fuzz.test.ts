/**
 * Bad input, generated from the API's own OpenAPI document: for every operation, requests with random and
 * half-right bodies, query strings and path parameters. Never a 5xx, and a rejected request stores nothing
 * (no case, no journal entry, no e-mail in the outbox).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startHarness, type Harness } from '../support/harness';

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

/** A value shaped like the schema but often wrong: the right keys with wrong types, out-of-range numbers, junk. */
function nearly(schema: Json | undefined, depth = 0): fc.Arbitrary<unknown> {
  const junk = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(''), fc.string({ unit: 'grapheme', maxLength: 300 }), fc.constant('010190-1234'), fc.constant('2023-02-30'), fc.constant('-1'), fc.constant('1e309'));
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
          fc.array(fc.tuple(fc.constantFrom(...(op.query.length ? op.query : ['x'])), fc.string({ maxLength: 30 })), { maxLength: 3 }),
          fc.string({ minLength: 1, maxLength: 40 }),
          async (body, query, pathParam) => {
            const before = await counts();
            const url = `${h.baseUrl}${op.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(pathParam))}?${new URLSearchParams(query).toString()}`;
            const res = await h.fetch(url, op.method === 'get' ? {} : { method: op.method.toUpperCase(), headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
            const text = await res.text();
            if (res.status >= 500) failures.push(`${op.method.toUpperCase()} ${url} ${JSON.stringify(body).slice(0, 200)} → ${res.status} ${text.slice(0, 200)}`);
            if (res.status >= 400) {
              const after = await counts();
              if (JSON.stringify(after) !== JSON.stringify(before)) failures.push(`${op.method.toUpperCase()} ${op.path} → ${res.status} but stored something: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
            }
            return true;
          },
        ),
        { numRuns: op.method === 'get' ? 15 : 60, seed: 20261123 },
      );
    }
    // Malformed JSON and a wrong content type, too.
    for (const body of ['{', '[1,2', 'null', '"text"', '{"procedure": 5}']) {
      const res = await h.fetch(`${h.baseUrl}/api/v1/cases`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      if (res.status >= 500) failures.push(`POST /api/v1/cases ${body} → ${res.status}`);
    }
    expect(failures).toEqual([]);
  });
});
