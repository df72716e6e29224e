/**
 * The step kit as a user meets it: every step and answer of every procedure has a Danish label for each field,
 * a working example, a form drawn from its definition, and refusals that name fields by label, never by path.
 */
import { describe, expect, it } from 'vitest';
import type { CaseState } from '../../contracts/caseState';
import { COMMON_STEPS, freeTextAnswer } from '../../contracts/kit/commonSteps';
import { describeErrors, readStep, type StepDefinition } from '../../contracts/kit/step';
import { fieldLabel } from '../../contracts/forms';
import { procedures } from '../../api/procedures';
import { hintsFor, openStepsOf, readPostedStep, stepFields } from '../../api/steps';
import { jsonSchemaOf } from '../../api/views/schemaForm';
import { recordKkrDecisionStep, positionAnswer } from '../../workflows/refugeeQuota/contract';

type Json = { type?: string | string[]; properties?: Record<string, Json>; items?: Json; anyOf?: Json[] };
/** The paths a user fills in: every property, and list items as "*". */
function leafPaths(s: Json, prefix = ''): string[] {
  const props = s.properties ?? s.anyOf?.find((x) => x.properties)?.properties;
  if (props) return Object.entries(props).flatMap(([k, p]) => leafPaths(p, prefix ? `${prefix}.${k}` : k));
  const items = s.items ?? s.anyOf?.find((x) => x.items)?.items;
  if (items?.properties) return leafPaths(items, `${prefix}.*`);
  return [prefix];
}

const all: { where: string; def: StepDefinition }[] = [
  ...COMMON_STEPS.map((def) => ({ where: 'common', def: def as StepDefinition })),
  { where: 'common', def: freeTextAnswer as StepDefinition },
  ...procedures.flatMap((p) => [...(p.steps ?? []), ...(p.answers ?? [])].map((def) => ({ where: p.id, def }))),
];

const caseWith = (over: Partial<CaseState>): CaseState => ({
  caseId: 'FLY-TEST',
  procedure: 'refugeeQuota',
  title: 't',
  stage: 's',
  status: 'open',
  nextDeadline: null,
  parties: [],
  journalCount: 0,
  deadlines: {},
  collections: {},
  approvals: {},
  warnings: [],
  details: {
    calculatedQuotas: [
      { kommunenr: 461, partyId: '461', name: 'Odense', quota: 40 },
      { kommunenr: 621, partyId: '621', name: 'Kolding', quota: 20 },
    ],
  },
  ...over,
});

describe('step definitions', () => {
  it('has steps for the converted procedures', () => {
    expect(all.filter((a) => a.where === 'refugeeQuota').map((a) => a.def.name)).toEqual(['recordKkrDecision', 'sendNotification', 'recordFixedQuotas', 'landstalChanged', 'positions', 'ratification']);
  });

  it.each(all.map((a) => [`${a.where}: ${a.def.name}`, a.def] as const))('%s: every field has a Danish label and the example is valid', (_name, def) => {
    for (const path of leafPaths(jsonSchemaOf(def.input) as Json)) {
      expect(def.form.labels[path] ?? def.form.labels[path.replace(/\.\*$/, '')], `label for ${path}`).toBeTruthy();
    }
    expect(readStep(def, def.example)).toMatchObject({ ok: true });
    expect(def.label.length).toBeGreaterThan(3);
    expect(def.notDue.length).toBeGreaterThan(10);
  });
});

describe('refusals name the field by its label', () => {
  it('a bad date and a missing choice in KKR’s decision', () => {
    const r = readStep(recordKkrDecisionStep, { choice: 'maybe', landstalClause: 'lapses', meetingDate: '2027-02-30', actor: 'x' });
    expect(r.ok).toBe(false);
    const text = describeErrors(r.ok ? [] : r.errors);
    expect(text).toContain('Beslutning: Vælg om KKR følger de beregnede kvoter eller indgår egen aftale');
    expect(text).toContain('Dato for KKR-mødet: Datoen findes ikke i kalenderen');
    expect(text).not.toMatch(/meetingDate|choice/);
  });

  it('a row of a list is named by the list and its row number', () => {
    expect(fieldLabel({ quotas: 'Kvoter' }, 'quotas.2.quota')).toBe('Kvoter, række 3');
    const r = readStep(positionAnswer, { position: 'propose', quotas: [{ kommunenr: 461, quota: -1 }] });
    expect(r.ok ? '' : describeErrors(r.errors)).toBe('Kvote: Kvoten kan ikke være negativ');
  });
});

describe('forms drawn from the definitions', () => {
  it('KKR’s decision: the quota table prefilled from the case, one row per municipality, read back as numbers', () => {
    const state = caseWith({ openSteps: ['recordKkrDecision', 'withdraw'] });
    const form = stepFields(recordKkrDecisionStep, state).toString();
    expect(form).toContain('Odense (beregnet 40)');
    expect(form).toContain('name="quotas.1.kommunenr" value="621"');
    expect(form).toContain('Klausul om ændret landstal');
    expect(form).not.toContain('>quotas<');
    const posted = { choice: 'ownAgreement', landstalClause: 'rescale', meetingDate: '2027-06-14', 'quotas.0.kommunenr': '461', 'quotas.0.quota': '41', 'quotas.1.kommunenr': '621', 'quotas.1.quota': '19' };
    expect(readPostedStep(recordKkrDecisionStep, state, posted)).toEqual({
      ok: true,
      value: { choice: 'ownAgreement', landstalClause: 'rescale', meetingDate: '2027-06-14', quotas: [{ kommunenr: 461, quota: 41 }, { kommunenr: 621, quota: 19 }] },
    });
    const bad = readPostedStep(recordKkrDecisionStep, state, { ...posted, 'quotas.1.quota': 'tyve' });
    expect(bad.ok ? [] : bad.errors.map((e) => e.label)).toEqual(['Kolding (beregnet 20)']);
  });

  it('the case page offers exactly the steps the workflow says are due, the common ones last', () => {
    const state = caseWith({ openSteps: ['withdraw', 'recordKkrDecision'] });
    expect(openStepsOf(state).map((s) => s.name)).toEqual(['recordKkrDecision', 'withdraw']);
    expect(openStepsOf({ ...state, status: 'withdrawn' })).toEqual([]);
  });

  it('the deadline to extend is chosen among the case’s open deadlines', () => {
    const ext = COMMON_STEPS[0] as StepDefinition;
    const deadline = { key: 'agreement', label: 'Meddelelse af aftale', status: 'open', plan: { deadline: { dueDate: '2027-09-09' } } };
    const state = caseWith({ deadlines: { agreement: deadline, old: { ...deadline, key: 'old', status: 'met' } } as unknown as CaseState['deadlines'] });
    expect(hintsFor(ext, state).choices?.deadlineKey).toEqual([{ value: 'agreement', label: 'Meddelelse af aftale (2027-09-09)' }]);
    expect(stepFields(ext, state).toString()).toContain('<option value="agreement" selected>Meddelelse af aftale (2027-09-09)</option>');
  });
});

describe('the OpenAPI document', () => {
  it('describes the actions endpoint with one alternative per procedure and per step, each with a valid example', async () => {
    const { buildOpenApiDocument } = await import('../../api/openapi');
    const doc = buildOpenApiDocument();
    const op = doc.paths['/api/v1/cases/{caseId}/actions/{action}']?.post as { requestBody: { content: Record<string, { schema: { oneOf: { title: string; oneOf: { title: string; properties: { input: { examples: unknown[] } } }[] }[] } }> }; responses: Record<string, unknown> };
    expect(op).toBeDefined();
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '409']));
    const byProcedure = op.requestBody.content['application/json']!.schema.oneOf;
    expect(byProcedure.map((p) => p.title)).toEqual(procedures.map((p) => p.label));
    const refugee = byProcedure[procedures.findIndex((p) => p.id === 'refugeeQuota')]!;
    expect(refugee.oneOf.map((s) => s.title)).toEqual(expect.arrayContaining(['recordKkrDecision: Registrér KKR’s beslutning om fordelingen', 'withdraw: Træk sagen tilbage']));
    for (const [i, p] of procedures.entries()) {
      for (const [j, def] of [...(p.steps ?? []), ...COMMON_STEPS].entries()) {
        expect(readStep(def as StepDefinition, byProcedure[i]!.oneOf[j]!.properties.input.examples[0])).toMatchObject({ ok: true });
      }
    }
  });
});
