/**
 * The calculation endpoints and the API description over real HTTP: the figures of the Rammeaftale's examples
 * and the 2024 quota annex come out unchanged through JSON, and every kind of bad input is a 400 that names
 * the field, never a 500.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness';
import { parseMunicipalitiesCsv } from '../../domain/municipalities';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

interface FieldErrorBody {
  error: string;
  message: string;
  fields: { field: string; reason: string }[];
}

async function post(path: string, body: unknown, contentType = 'application/json') {
  const res = await h.fetch(`${h.baseUrl}/api/v1/calculations${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

/** Posts input that must be rejected; returns the field names of the 400 body after checking its shape. */
async function rejected(path: string, body: unknown, contentType?: string): Promise<string[]> {
  const r = await post(path, body, contentType);
  expect(r.status, JSON.stringify(r.body)).toBe(400);
  const b = r.body as FieldErrorBody;
  expect(b.error).toBe('invalid_input');
  expect(b.fields.length).toBeGreaterThan(0);
  for (const f of b.fields) {
    expect(typeof f.field).toBe('string');
    expect(f.reason.length).toBeGreaterThan(0);
  }
  return b.fields.map((f) => f.field);
}

// ---------------------------------------------------------------------------------------------------------------
// Closure settlement (inputs as in test/domain/closureSettlement.test.ts)
// ---------------------------------------------------------------------------------------------------------------

// "33 %" in Beregningseksempel 1 and 2 is exactly 0.33 of the pooled payer turnover.
const payers33 = [
  { id: 'driftsherre', turnoverYearMinus2: '16', turnoverYearMinus1: '17', isOperator: true },
  { id: 'Kolding', turnoverYearMinus2: '40', turnoverYearMinus1: '0' },
  { id: 'Vejle', turnoverYearMinus2: '0', turnoverYearMinus1: '27' },
];

const example1 = {
  operatorType: 'municipal',
  structure: 'standalone',
  turnoverDecisionYear: '20000000',
  income: '10000000',
  costs: '14000000',
  carriedForward: '-1000000',
  payers: payers33,
};

const example2 = {
  operatorType: 'municipal',
  structure: 'economicUnit',
  turnoverDecisionYear: '20000000',
  otherUnitsTurnoverDecisionYear: '40000000',
  income: '50000000',
  costs: '54000000',
  carriedForward: '-1000000',
  payers: payers33,
};

interface SettlementBody {
  toDistribute: string;
  ownRisk: string;
  toOtherUnits: string;
  settled: string;
  shares: { id: string; amount: string }[];
  operatorTotal: string;
  lines: { label: string; amount: string }[];
  warnings: string[];
}

const othersTotal = (b: SettlementBody) =>
  b.shares.filter((s) => s.id !== 'driftsherre').reduce((a, s) => a + Number(s.amount), 0);

describe('POST /api/v1/calculations/closure-settlement', () => {
  it('gives the figures of Beregningseksempel 1', async () => {
    const r = await post('/closure-settlement', example1);
    expect(r.status).toBe(200);
    const b = r.body as SettlementBody;
    expect(b).toMatchObject({ toDistribute: '-5000000', ownRisk: '1000000', toOtherUnits: '0', settled: '4000000', operatorTotal: '2320000' });
    expect(b.shares).toEqual([
      { id: 'driftsherre', amount: '1320000' },
      { id: 'Kolding', amount: '1600000' },
      { id: 'Vejle', amount: '1080000' },
    ]);
    expect(othersTotal(b)).toBe(2_680_000);
    expect(b.lines.length).toBeGreaterThan(0);
    expect(b.warnings).toEqual([]);
  });

  it('gives the figures of Beregningseksempel 2', async () => {
    const r = await post('/closure-settlement', example2);
    expect(r.status).toBe(200);
    const b = r.body as SettlementBody;
    expect(b).toMatchObject({ toDistribute: '-5000000', ownRisk: '3000000', toOtherUnits: '1333333', settled: '666667', operatorTotal: '4553333' });
    expect(b.shares.find((s) => s.id === 'driftsherre')?.amount).toBe('220000');
    expect(othersTotal(b)).toBe(446_667);
  });

  it('accepts øre in the input, echoes them in the lines and answers whole kroner', async () => {
    const r = await post('/closure-settlement', { ...example1, income: '10000000.60' });
    expect(r.status).toBe(200);
    const b = r.body as SettlementBody;
    expect(b.toDistribute).toBe('-4999999');
    expect(b.lines.find((l) => l.label === 'Årsresultat')?.amount).toBe('-3999999.40');
  });

  it('names every missing field', async () => {
    expect((await rejected('/closure-settlement', {})).sort()).toEqual(['costs', 'income', 'operatorType', 'structure', 'turnoverDecisionYear']);
  });

  it('rejects money given as a number, with a comma, or too large', async () => {
    expect(await rejected('/closure-settlement', { ...example1, income: 10000000 })).toEqual(['income']);
    expect(await rejected('/closure-settlement', { ...example1, costs: '12,5' })).toEqual(['costs']);
    expect(await rejected('/closure-settlement', { ...example1, income: '1'.repeat(40) })).toEqual(['income']);
    // 1e400 is Infinity after JSON.parse.
    expect(await rejected('/closure-settlement', JSON.stringify(example1).replace('"10000000"', '1e400'))).toEqual(['income']);
    expect(await rejected('/closure-settlement', { ...example1, payers: [{ ...payers33[0], turnoverYearMinus1: -17 }] })).toEqual([
      'payers.0.turnoverYearMinus1',
    ]);
  });

  it('rejects an unknown operatorType', async () => {
    expect(await rejected('/closure-settlement', { ...example1, operatorType: 'private' })).toEqual(['operatorType']);
  });

  it('rejects a distribution that is impossible because all weights are zero', async () => {
    const zeroPayers = payers33.map((p) => ({ ...p, turnoverYearMinus2: '0', turnoverYearMinus1: '0' }));
    expect(await rejected('/closure-settlement', { ...example1, payers: zeroPayers })).toEqual(['payers']);
  });

  it('rejects a body that is not JSON, a JSON array, a JSON scalar and a non-JSON content type', async () => {
    expect(await rejected('/closure-settlement', '{"operatorType": "municipal",')).toEqual(['(body)']);
    expect(await rejected('/closure-settlement', [example1])).toEqual(['(input)']);
    expect(await rejected('/closure-settlement', '"municipal"')).toEqual(['(body)']);
    expect(await rejected('/closure-settlement', 'operatorType=municipal', 'application/x-www-form-urlencoded')).toEqual(['(body)']);
    expect(await rejected('/closure-settlement', JSON.stringify(example1), 'text/plain')).toEqual(['(body)']);
  });

  it('answers another method with 405', async () => {
    const res = await h.fetch(`${h.baseUrl}/api/v1/calculations/closure-settlement`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Refugee quotas (as in test/domain/refugeeQuota.test.ts)
// ---------------------------------------------------------------------------------------------------------------

const records = parseMunicipalitiesCsv(readFileSync(join(__dirname, '../../data/municipalities-2024.csv'), 'utf8'));
const REGION_QUOTAS_2024: Record<string, number> = {
  'Region Hovedstaden': 135,
  'Region Sjælland': 81,
  'Region Syddanmark': 125,
  'Region Midtjylland': 141,
  'Region Nordjylland': 68,
};
const quotaInput2024 = { landstal: 550, regionQuotas: REGION_QUOTAS_2024, municipalities: records };

describe('POST /api/v1/calculations/refugee-quotas', () => {
  it('reproduces the calculated kommunekvote 2024 of all 98 municipalities', async () => {
    const r = await post('/refugee-quotas', quotaInput2024);
    expect(r.status).toBe(200);
    const b = r.body as { quotas: { kommunenr: number; region: string; quota: number }[]; warnings: string[] };
    expect(b.quotas).toHaveLength(98);
    const got = new Map(b.quotas.map((q) => [q.kommunenr, q.quota]));
    const wrong = records.filter((m) => got.get(m.kommunenr) !== m.calculatedQuota2024).map((m) => `${m.name}: ${got.get(m.kommunenr)} ≠ ${m.calculatedQuota2024}`);
    expect(wrong).toEqual([]);
    expect(b.warnings).toEqual([]);
  });

  it('rejects a negative landstal, a missing field and a count given as text', async () => {
    expect(await rejected('/refugee-quotas', { ...quotaInput2024, landstal: -1 })).toEqual(['landstal']);
    expect(await rejected('/refugee-quotas', { landstal: 550, regionQuotas: REGION_QUOTAS_2024 })).toEqual(['municipalities']);
    const textCount = records.map((m, i) => (i === 3 ? { ...m, population: String(m.population) } : m));
    expect(await rejected('/refugee-quotas', { ...quotaInput2024, municipalities: textCount })).toEqual(['municipalities.3.population']);
  });

  it('rejects huge numbers', async () => {
    expect(await rejected('/refugee-quotas', { ...quotaInput2024, landstal: 1e300 })).toEqual(['landstal']);
    expect(await rejected('/refugee-quotas', JSON.stringify(quotaInput2024).replace('"landstal":550', '"landstal":1e400'))).toEqual(['landstal']);
  });

  it('rejects a body that is a JSON array', async () => {
    expect(await rejected('/refugee-quotas', [quotaInput2024])).toEqual(['(input)']);
  });
});

describe('POST /api/v1/calculations/refugee-quotas/validate-agreement', () => {
  const syd = records.filter((m) => m.region === 'Region Syddanmark');
  const agreement = (proposed: { kommunenr: unknown; quota: unknown }[]) => ({
    region: 'Region Syddanmark',
    regionQuota: 125,
    municipalities: syd.map((m) => ({ kommunenr: m.kommunenr, name: m.name })),
    proposed,
  });
  const calculated = syd.map((m) => ({ kommunenr: m.kommunenr, quota: m.calculatedQuota2024 }));

  it('accepts the calculated quotas of Region Syddanmark', async () => {
    const r = await post('/refugee-quotas/validate-agreement', agreement(calculated));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ok: true, errors: [] });
  });

  it('answers 200 with the errors when the numbers are wrong', async () => {
    const proposed = calculated.map((p, i) => (i === 0 ? { ...p, quota: p.quota + 1 } : i === 1 ? { ...p, quota: 'tre' } : p));
    const r = await post('/refugee-quotas/validate-agreement', agreement(proposed.slice(0, -1)));
    expect(r.status).toBe(200);
    const b = r.body as { ok: boolean; errors: { field: string; kommunenr?: number }[] };
    expect(b.ok).toBe(false);
    expect(b.errors.map((e) => e.field).sort()).toEqual(['quota', 'quota']);
    expect(b.errors.map((e) => e.kommunenr).sort()).toEqual([syd[1]!.kommunenr, syd[syd.length - 1]!.kommunenr].sort());
  });

  it('answers 400 only for malformed input', async () => {
    expect(await rejected('/refugee-quotas/validate-agreement', { ...agreement(calculated), regionQuota: -5 })).toEqual(['regionQuota']);
    expect(await rejected('/refugee-quotas/validate-agreement', { ...agreement(calculated), proposed: 'alle' })).toEqual(['proposed']);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Capacity change
// ---------------------------------------------------------------------------------------------------------------

describe('POST /api/v1/calculations/capacity-change', () => {
  const change = { operatorType: 'municipal', kind: 'adjust', currentPlaces: 70, newPlaces: 78, effectiveDate: '2025-07-01' };

  it('gives 70 places a free limit of 7 and a report deadline for an expansion', async () => {
    const r = await post('/capacity-change', change);
    expect(r.status).toBe(200);
    const b = r.body as { freeLimit: number; route: string; reportDeadline: { dueDate: string; dueAt: string } | null };
    expect(b.freeLimit).toBe(7);
    expect(b.route).toBe('expansion');
    // Three months before 1 July 2025 is Tuesday 1 April, a working day, so nothing moves.
    expect(b.reportDeadline?.dueDate).toBe('2025-04-01');
    expect(b.reportDeadline?.dueAt).toBe('2025-04-01T23:59:59.999+02:00');
  });

  it('sends a new regional tilbud to approval in Socialdirektørforum', async () => {
    const r = await post('/capacity-change', { operatorType: 'regional', kind: 'newTilbud', currentPlaces: 0, newPlaces: 12, effectiveDate: '2025-03-01' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ forumStep: 'approval', forumBody: 'SDF', blockingApproval: true, reportDeadline: { dueDate: '2024-11-29' } });
  });

  it('rejects an unknown operatorType, a bad date and places given as text', async () => {
    expect(await rejected('/capacity-change', { ...change, operatorType: 'privat' })).toEqual(['operatorType']);
    expect(await rejected('/capacity-change', { ...change, effectiveDate: '2025-02-30' })).toEqual(['effectiveDate']);
    expect(await rejected('/capacity-change', { ...change, newPlaces: '78' })).toEqual(['newPlaces']);
    expect(await rejected('/capacity-change', { ...change, newPlaces: 1e12 })).toEqual(['newPlaces']);
  });

  it('turns an error thrown inside the calculation into a 400 with a Danish reason', async () => {
    // Valid by the schema, but three months earlier falls before the calendar's first year.
    const r = await post('/capacity-change', { ...change, effectiveDate: '1600-01-15' });
    expect(r.status).toBe(400);
    const b = r.body as FieldErrorBody;
    expect(b.fields).toHaveLength(1);
    expect(b.fields[0]!.reason).toMatch(/^Beregningen kan ikke gennemføres/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// API description
// ---------------------------------------------------------------------------------------------------------------

const CALCULATION_PATHS = [
  '/api/v1/calculations/closure-settlement',
  '/api/v1/calculations/refugee-quotas',
  '/api/v1/calculations/refugee-quotas/validate-agreement',
  '/api/v1/calculations/capacity-change',
];

describe('API description', () => {
  it('serves an OpenAPI 3.1 document with the calculation and case endpoints', async () => {
    const res = await h.fetch(`${h.baseUrl}/api/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    type Op = { summary: string; operationId: string; requestBody?: { content: Record<string, { schema: Record<string, unknown> }> }; responses: Record<string, unknown> };
    const doc = (await res.json()) as { openapi: string; info: { title: string; version: string }; paths: Record<string, Record<string, Op>> };
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toBeTruthy();

    for (const p of CALCULATION_PATHS) {
      const op = doc.paths[p]?.post;
      expect(op, p).toBeDefined();
      expect(op!.summary).toBeTruthy();
      const schema = op!.requestBody!.content['application/json']!.schema;
      expect(schema.type).toBe('object');
      expect(schema.$schema).toBeUndefined();
      // 401/403: the calculations need an API token or a session like the rest of the API.
      expect(Object.keys(op!.responses).sort()).toEqual(['200', '400', '401', '403']);
    }
    const closure = doc.paths['/api/v1/calculations/closure-settlement']!.post!.requestBody!.content['application/json']!.schema as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(closure.required).toEqual(expect.arrayContaining(['operatorType', 'income', 'costs']));
    expect(closure.properties.income).toMatchObject({ type: 'string' });

    expect(doc.paths['/api/v1/cases']?.post).toBeDefined();
    expect(doc.paths['/api/v1/cases']?.get).toBeDefined();
    expect(doc.paths['/api/v1/cases/{caseId}']?.get).toBeDefined();
    expect(doc.paths['/healthz']?.get).toBeDefined();
    // Health and this description are open; everything else names the ways to authenticate.
    expect((doc.paths['/healthz']!.get as { security?: unknown[] }).security).toEqual([]);
    expect((doc as unknown as { security: unknown[]; components: { securitySchemes: Record<string, unknown> } }).components.securitySchemes).toHaveProperty('bearer');
    const ids = Object.values(doc.paths).flatMap((m) => Object.values(m).map((op) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('serves a Danish HTML page naming every path', async () => {
    const res = await h.fetch(`${h.baseUrl}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await res.text();
    expect(page).toContain('<html lang="da">');
    expect(page).toContain('API-dokumentation');
    // Scripts only from our own static files (DKFDS's and app.js), none inline: the CSP has no 'unsafe-inline'.
    expect(page.match(/<script[^>]*>/g)!.every((tag) => /src="\/static\//.test(tag))).toBe(true);
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    for (const p of [...CALCULATION_PATHS, '/api/v1/cases', '/api/v1/cases/{caseId}', '/healthz']) expect(page).toContain(p);
    expect(page).toContain('<pre>');
  });
});
