/**
 * The calculations of the procedures as stateless JSON endpoints: the same domain functions the workflows use,
 * so that a municipality or the secretariat can check a figure before (or without) starting a case.
 *
 * Every route is declared once in `ENDPOINTS`; the router and the OpenAPI document are both built from that
 * list, so the documentation cannot drift from what the server accepts.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { badRequest, fieldErrors, type FieldError } from './validation';
import { registerOperation } from './openapi';
import {
  calculateClosureSettlement,
  closureSettlementInputSchema,
  type ClosureSettlementInput,
  type ClosureSettlementResult,
} from '../domain/closureSettlement';
import {
  calculateRefugeeQuotas,
  quotaAgreementInputSchema,
  refugeeQuotaInputSchema,
  validateQuotaAgreement,
  type QuotaAgreementInput,
  type QuotaAgreementResult,
  type RefugeeQuotaResult,
} from '../domain/refugeeQuota';
import {
  CAPACITY_CHANGE_KINDS,
  capacityChangeInputSchema,
  classifyCapacityChange,
  type CapacityChangeClassification,
  type CapacityChangeRawInput,
} from '../domain/capacityChange';
import { deadlineSchema } from '../domain/calendar';

/** Where app.ts mounts the router; the OpenAPI paths need the full address. */
export const CALCULATIONS_BASE_PATH = '/api/v1/calculations';

// ---------------------------------------------------------------------------------------------------------------
// Response schemas. Typed against the domain result interfaces, so a change of a result type that the
// documentation does not follow fails the type check instead of silently publishing a wrong contract.
// ---------------------------------------------------------------------------------------------------------------

const wholeKroner = (description: string) => z.string().regex(/^-?\d+$/).meta({ description });

const closureSettlementResultSchema: z.ZodType<ClosureSettlementResult> = z.object({
  toDistribute: wholeKroner('Akkumuleret resultat (indtægter − omkostninger + overført), hele kroner; underskud er negativt'),
  ownRisk: wholeKroner('Driftsherrens selvrisiko; positiv = underskud der skal dækkes, negativ = overskud'),
  toOtherUnits: wholeKroner('Videreføres til centrets øvrige tilbud (kommunal økonomisk enhed)'),
  settled: wholeKroner('Fordeles på betalingskommunerne (kommunal) eller regionens øvrige tilbud (regional)'),
  shares: z
    .array(z.object({ id: z.string(), amount: wholeKroner('Andel i hele kroner') }))
    .meta({ description: 'Andelene i samme rækkefølge som i input; de summer til settled' }),
  operatorTotal: wholeKroner('Alt hvad driftsherren bærer: selvrisiko + centrets øvrige tilbud + egen andel'),
  lines: z
    .array(z.object({ label: z.string(), amount: z.string() }))
    .meta({ description: 'Opstillingen som i Rammeaftalens beregningseksempler' }),
  warnings: z.array(z.string()),
});

const refugeeQuotaResultSchema: z.ZodType<RefugeeQuotaResult> = z.object({
  quotas: z
    .array(
      z.object({
        kommunenr: z.int(),
        region: z.string(),
        quota: z.int().meta({ description: 'Kommunekvote i hele personer; summerer til regionskvoten' }),
        weight: z.string().meta({ description: 'Foreløbigt fordelingstal (negative sat til 0), 6 decimaler' }),
        ideal: z.string().meta({ description: 'Regionskvoten forholdsmæssigt før afrunding, 6 decimaler' }),
      }),
    )
    .meta({ description: 'Sorteret efter kommunenummer' }),
  warnings: z.array(z.string()),
});

const quotaAgreementResultSchema: z.ZodType<QuotaAgreementResult> = z.object({
  ok: z.boolean().meta({ description: 'true når forslaget opfylder integrationslovens § 8, stk. 1' }),
  errors: z.array(
    z.object({
      kommunenr: z.int().optional(),
      field: z.string().meta({ description: '"quota", "kommunenr", "sum" eller "municipalities"' }),
      message: z.string(),
    }),
  ),
});

const capacityChangeResultSchema: z.ZodType<CapacityChangeClassification> = z.object({
  route: z.enum(['free', 'expansion', 'reduction', 'newTilbud', 'closure']),
  tableRow: z.literal([1, 2, 3, 4, 5]).meta({ description: 'Række i Rammeaftalens tabel 4.1' }),
  delta: z.int().meta({ description: 'newPlaces − currentPlaces' }),
  freeLimit: z.int().meta({ description: 'Antal pladser, der frit kan op- eller nedjusteres' }),
  forumStep: z.enum(['none', 'statement', 'orientation', 'hearing', 'approval']),
  forumBody: z.enum(['SDF', 'FU']).nullable(),
  blockingApproval: z.boolean().meta({ description: 'true når Socialdirektørforums godkendelse er bindende' }),
  notifyAllMunicipalities: z.boolean(),
  reportDeadline: deadlineSchema.nullable().meta({ description: 'Indberetningsfristen; null for frie ændringer' }),
  reportDeadlineBasis: z.enum(['politicalTreatment', 'threeMonthsBefore']).nullable(),
  justifications: z.array(z.string()).meta({ description: 'Begrundelser som tabel 4.1 kræver' }),
  description: z.string(),
  warnings: z.array(z.string()),
  sources: z.array(z.string()),
});

// ---------------------------------------------------------------------------------------------------------------
// Endpoint declarations
// ---------------------------------------------------------------------------------------------------------------

interface CalculationEndpoint {
  path: string;
  summary: string;
  description: string;
  requestSchema: z.ZodType;
  responseSchema: z.ZodType;
  requestExample: unknown;
  run(body: unknown): { status: number; body: unknown };
}

function calculation<S extends z.ZodType, R>(spec: {
  path: string;
  summary: string;
  description: string;
  input: S;
  output: z.ZodType<R>;
  example: z.input<S>;
  calculate: (input: z.output<S>) => R;
}): CalculationEndpoint {
  return {
    path: spec.path,
    summary: spec.summary,
    description: spec.description,
    requestSchema: spec.input,
    responseSchema: spec.output,
    requestExample: spec.example,
    run(body) {
      const parsed = spec.input.safeParse(body);
      if (!parsed.success) return { status: 400, body: badRequest(fieldErrors(parsed.error)) };
      try {
        return { status: 200, body: spec.calculate(parsed.data) };
      } catch (e) {
        return { status: 400, body: badRequest(calculationFailure(spec.path, e)) };
      }
    },
  };
}

/**
 * The calculations are pure, so anything they throw on input that passed the schema is caused by that input:
 * it is the client's to fix (400), never a server failure. The original is logged because it also means the
 * schema let something through that it should have named.
 */
function calculationFailure(path: string, e: unknown): FieldError[] {
  if (e instanceof z.ZodError) return fieldErrors(e);
  const message = e instanceof Error ? e.message : String(e);
  console.warn(`calculation ${path} rejected input that passed its schema:`, e instanceof Error ? (e.stack ?? message) : message);
  if (message.includes('all weights are zero')) {
    return [{ field: '(input)', reason: 'Fordelingsnøglen er 0 for alle parter, så beløbet kan ikke fordeles. Angiv mindst én part med en værdi over 0.' }];
  }
  // The domain's RangeErrors describe a value out of range in Danish (e.g. a date before year 1600).
  if (e instanceof RangeError) return [{ field: '(input)', reason: `Beregningen kan ikke gennemføres: ${message}` }];
  return [{ field: '(input)', reason: 'Beregningen kan ikke gennemføres med disse oplysninger. Kontrollér tallene, og prøv igen.' }];
}

const closureExample: ClosureSettlementInput = {
  operatorType: 'municipal',
  structure: 'standalone',
  turnoverDecisionYear: '20000000',
  income: '10000000',
  costs: '14000000',
  carriedForward: '-1000000',
  payers: [
    { id: 'driftsherre', turnoverYearMinus2: '16', turnoverYearMinus1: '17', isOperator: true },
    { id: 'Kolding', turnoverYearMinus2: '40', turnoverYearMinus1: '0' },
    { id: 'Vejle', turnoverYearMinus2: '0', turnoverYearMinus1: '27' },
  ],
};

const agreementExample: QuotaAgreementInput = {
  region: 'Region Syddanmark',
  regionQuota: 10,
  municipalities: [
    { kommunenr: 461, name: 'Odense' },
    { kommunenr: 621, name: 'Kolding' },
  ],
  proposed: [
    { kommunenr: 461, quota: 6 },
    { kommunenr: 621, quota: 4 },
  ],
};

const capacityExample: CapacityChangeRawInput = {
  operatorType: 'municipal',
  kind: 'adjust',
  currentPlaces: 70,
  newPlaces: 80,
  effectiveDate: '2025-07-01',
  politicalTreatmentDate: '2025-03-12',
};

const ENDPOINTS: readonly CalculationEndpoint[] = [
  calculation({
    path: '/closure-settlement',
    summary: 'Afregning af akkumuleret resultat ved lukning af et tilbud',
    description:
      'Rammeaftalens bilag 5 (beregningseksempel 1-4): selvrisiko, videreførsel til centrets øvrige tilbud og fordeling på ' +
      'betalingskommuner eller regionens øvrige tilbud. Beløb angives som tekst i kroner ("20000000" eller "20000000.50"); ' +
      'resultaterne er hele kroner som tekst.',
    input: closureSettlementInputSchema,
    output: closureSettlementResultSchema,
    example: closureExample,
    calculate: (input) => calculateClosureSettlement(input),
  }),
  calculation({
    path: '/refugee-quotas',
    summary: 'Beregnede kommunekvoter for boligplacering af flygtninge',
    description:
      'Integrationslovens §§ 6-8: angiv landstallet, regionskvoterne og alle landets kommuner (andelene er landsdækkende). ' +
      'Hver regionskvote fordeles på regionens kommuner efter største rest, lige stillede til det laveste kommunenummer.',
    input: refugeeQuotaInputSchema,
    output: refugeeQuotaResultSchema,
    example: {
      landstal: 10,
      regionQuotas: { 'Region Syddanmark': 10 },
      municipalities: [
        { kommunenr: 461, name: 'Odense', region: 'Region Syddanmark', population: 206_000, nonWesternForeigners: 15_000, familyReunified: 20 },
        { kommunenr: 621, name: 'Kolding', region: 'Region Syddanmark', population: 94_528, nonWesternForeigners: 5_532, familyReunified: 7 },
      ],
    },
    calculate: (input) => calculateRefugeeQuotas(input),
  }),
  calculation({
    path: '/refugee-quotas/validate-agreement',
    summary: 'Kontrol af kommunernes aftale om kommunekvoter i en region',
    description:
      'Integrationslovens § 8, stk. 1: hver af regionens kommuner præcis én gang, hele tal på 0 eller derover, som summerer ' +
      'til regionskvoten. Et velformet forslag med forkerte tal giver 200 med ok=false og en liste af fejl; 400 kun ved ' +
      'forkert opbygget input.',
    input: quotaAgreementInputSchema,
    output: quotaAgreementResultSchema,
    example: agreementExample,
    calculate: (input) => validateQuotaAgreement(input),
  }),
  calculation({
    path: '/capacity-change',
    summary: 'Klassifikation af en kapacitetsændring (Rammeaftalens tabel 4.1)',
    description:
      `Hvilken vej ændringen skal (${CAPACITY_CHANGE_KINDS.join(', ')}), hvilket forum der skal inddrages, hvem der skal ` +
      'orienteres, hvilke begrundelser skabelonen kræver, og hvornår ændringen senest skal indberettes. Datoer som ÅÅÅÅ-MM-DD.',
    input: capacityChangeInputSchema,
    output: capacityChangeResultSchema,
    example: capacityExample,
    calculate: (input) => classifyCapacityChange(input),
  }),
];

for (const e of ENDPOINTS) {
  registerOperation({
    method: 'post',
    path: `${CALCULATIONS_BASE_PATH}${e.path}`,
    summary: e.summary,
    description: e.description,
    tags: ['Beregninger'],
    requestSchema: e.requestSchema,
    requestExample: e.requestExample,
    responseSchema: e.responseSchema,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Router
// ---------------------------------------------------------------------------------------------------------------

export function createCalculationsRouter(): Router {
  const router = Router();
  for (const e of ENDPOINTS) {
    router.post(e.path, (req: Request, res: Response) => {
      // Without a JSON content type express.json() leaves the body unparsed (or a form parser fills it with
      // strings), and validating that would report every field as missing instead of the real mistake.
      if (!req.is('application/json')) {
        return void res
          .status(400)
          .json(badRequest([{ field: '(body)', reason: 'Kroppen skal være JSON sendt med Content-Type: application/json' }]));
      }
      const r = e.run(req.body);
      res.status(r.status).json(r.body);
    });
    router.all(e.path, (_req: Request, res: Response) => {
      res.set('Allow', 'POST').status(405).json({ error: 'method_not_allowed', message: 'Beregningen kaldes med POST' });
    });
  }
  return router;
}
