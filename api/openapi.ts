/**
 * The OpenAPI 3.1 description of the JSON API, generated from the same zod schemas that validate the requests,
 * and a Danish HTML rendering of it for people who read rather than generate clients.
 *
 * Routers describe their own operations with `registerOperation` when their module is loaded; the case and
 * health endpoints, which predate the registry and live in app.ts, are described here.
 */
import { Router } from 'express';
import { z } from 'zod';
import { html, type Html } from './views/html';
import { layout } from './views/layout';
import { procedures } from './procedures';
import { secretariatSteps } from './steps';
import type { CaseRow } from './caseService';
import type { badRequest } from './validation';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1). */
export type JsonSchema = { [key: string]: unknown };

/** Either a zod schema (converted with its input shape, i.e. what travels over the wire) or a JSON Schema. */
export type SchemaSource = z.ZodType | JsonSchema;

export interface ParameterSpec {
  name: string;
  in: 'query' | 'path' | 'header';
  required?: boolean;
  description: string;
  schema: SchemaSource;
}

export interface ResponseSpec {
  description: string;
  schema?: SchemaSource;
  /** Default application/json. */
  contentType?: string;
}

export interface OperationSpec {
  method: HttpMethod;
  /** OpenAPI form, path parameters in braces: /api/v1/cases/{caseId}. */
  path: string;
  summary: string;
  description?: string;
  /** Groups on the docs page; default "Øvrige". */
  tags?: string[];
  /** Default derived from method and path. */
  operationId?: string;
  parameters?: ParameterSpec[];
  /** JSON request body. */
  requestSchema?: SchemaSource;
  requestExample?: unknown;
  /** Body of the success response. */
  responseSchema?: SchemaSource;
  /** Media type of the success response; default application/json. */
  responseContentType?: string;
  /** Default 200. */
  successStatus?: number;
  successDescription?: string;
  /** Further responses by status. A 400 with the validation error body is added when the operation takes input. */
  responses?: Record<number, ResponseSpec>;
}

const OPERATION_KEY = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

const registry = new Map<string, OperationSpec>();
let registryVersion = 0;

/**
 * Adds an operation to the document. Registering the same method and path again replaces the earlier entry, so
 * a module that is loaded twice (tests, hot reload) does not list an operation twice.
 */
export function registerOperation(spec: OperationSpec): void {
  if (!spec.path.startsWith('/')) throw new Error(`registerOperation: path "${spec.path}" must start with /`);
  if (spec.path.includes(':')) throw new Error(`registerOperation: write path parameters as {name}, not :name (${spec.path})`);
  if (!spec.summary.trim()) throw new Error(`registerOperation: ${OPERATION_KEY(spec.method, spec.path)} needs a summary`);
  registry.set(OPERATION_KEY(spec.method, spec.path), spec);
  registryVersion++;
}

// ---------------------------------------------------------------------------------------------------------------
// Schemas of the endpoints that have no zod schema of their own
// ---------------------------------------------------------------------------------------------------------------

const validationErrorSchema: z.ZodType<ReturnType<typeof badRequest>> = z
  .object({
    error: z.literal('invalid_input'),
    message: z.string(),
    fields: z.array(
      z.object({
        field: z.string().meta({ description: 'Feltets sti med punktum, fx "payers.0.turnoverYearMinus1"; "(body)" eller "(input)" for hele kroppen' }),
        reason: z.string().meta({ description: 'Årsag på dansk' }),
      }),
    ),
  })
  .meta({ description: 'Ugyldigt input: en liste af felter og årsager' });

const errorSchema = z
  .object({ error: z.string(), message: z.string() })
  .meta({ description: 'Fejl med en kode og en dansk besked' });

const COMPONENT_SCHEMAS: Record<string, SchemaSource> = {
  ValidationError: validationErrorSchema,
  Error: errorSchema,
};
const ref = (name: keyof typeof COMPONENT_SCHEMAS & string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

const isoInstant = z.string().meta({ format: 'date-time' });

const caseRowObject = z.object({
  caseId: z.string(),
  procedure: z.string(),
  title: z.string(),
  stage: z.string(),
  status: z.string().meta({ description: 'open, completed, withdrawn eller failed' }),
  nextDeadline: z
    .object({
      wording: z.string(),
      rule: z.string(),
      dueDate: z.string().meta({ format: 'date' }),
      dueAt: isoInstant,
      shiftedFrom: z.string().meta({ format: 'date' }).optional(),
      reason: z.string().optional(),
    })
    .nullable(),
  parties: z.array(z.object({ partyId: z.string(), name: z.string(), state: z.string() })),
  awaitingBody: z.string().nullable().meta({ description: 'Det politiske organ (SDF, K22, KKR, FU), sagen venter på, eller null' }),
  attention: z
    .object({ reason: z.string(), since: z.string() })
    .nullable()
    .meta({ description: 'Kræver handling: et trin, som systemet har afvist endeligt (fx ugyldige data eller en ukendt part), og hvornår; ellers null' }),
  createdAt: isoInstant,
  updatedAt: isoInstant,
});
// Fails the type check when CaseRow changes and the documented shape does not.
const caseRowSchema: z.ZodType<CaseRow> = caseRowObject;

const journalEntrySchema = z.object({
  at: isoInstant,
  description: z.string(),
  actor: z.string(),
  documents: z.array(z.object({ name: z.string(), mediaType: z.string(), content: z.string() })),
});

function startCaseRequestSchema(): JsonSchema {
  // One alternative per registered procedure, so a new procedure shows up here without touching this file.
  return {
    oneOf: procedures.map((p) => ({
      type: 'object',
      title: p.label,
      description: p.description,
      properties: {
        procedure: { const: p.id },
        input: toJsonSchema(p.inputSchema),
        requestId: { type: 'string', description: 'Klientens anmodnings-id; samme id starter ikke en ny sag (alternativ til Idempotency-Key)' },
      },
      required: ['procedure', 'input'],
    })),
  };
}

/** One alternative per procedure, and within it one per step, drawn from the step definitions: a new step shows
 * up here (with its example) without touching this file. */
function actionRequestSchema(): JsonSchema {
  return {
    oneOf: procedures.map((p) => ({
      title: p.label,
      description: `Handlinger på en sag af typen ${p.id}`,
      oneOf: secretariatSteps(p.id).map((def) => ({
        type: 'object',
        title: `${def.name}: ${def.label}`,
        description: `Stien slutter på /actions/${def.name}. Afvises med 409, når handlingen ikke er åben: "${def.notDue}".`,
        properties: { input: { ...toJsonSchema(def.input), examples: [def.example] } },
        required: ['input'],
      })),
    })),
  };
}

function builtinOperations(): OperationSpec[] {
  const actionNames = [...new Set(procedures.flatMap((p) => secretariatSteps(p.id).map((d) => d.name)))];
  return [
    {
      method: 'post',
      path: '/api/v1/cases/{caseId}/actions/{action}',
      summary: 'Udfør en handling på en sag',
      description:
        'Registrerer et trin i sagen som den indloggede bruger (aktøren tages fra sessionen, aldrig fra kroppen). ' +
        'Input valideres efter handlingens definition; en fejl giver 400 med felterne navngivet ved deres danske ' +
        'betegnelse, og intet registreres. En handling, der ikke er åben for sagen nu, giver 409 med grunden.',
      tags: ['Sager'],
      parameters: [
        { name: 'caseId', in: 'path', required: true, description: 'Sagsnummer', schema: z.string() },
        { name: 'action', in: 'path', required: true, description: 'Handlingens navn (se alternativerne i kroppen)', schema: { type: 'string', enum: actionNames } },
      ],
      requestSchema: actionRequestSchema(),
      requestExample: { input: { reason: 'Sagen er oprettet ved en fejl' } },
      responseSchema: z.object({ caseId: z.string(), action: z.string(), result: z.unknown() }),
      responses: {
        404: { description: 'Sagen findes ikke', schema: ref('Error') },
        409: { description: 'Handlingen er ikke åben for sagen nu; intet er ændret', schema: ref('Error') },
      },
    },
    {
      method: 'post',
      path: '/api/v1/cases',
      summary: 'Start en sag',
      description:
        'Starter en procedure som en sag. Sagsnummeret udledes af anmodnings-id’et (Idempotency-Key eller requestId), så ' +
        'en gentaget anmodning giver samme sag (200) i stedet for en ny (201).',
      tags: ['Sager'],
      parameters: [
        {
          name: 'Idempotency-Key',
          in: 'header',
          description: 'Anmodnings-id; samme værdi starter ikke en ny sag',
          schema: { type: 'string' },
        },
      ],
      requestSchema: startCaseRequestSchema(),
      responseSchema: z.object({ caseId: z.string() }),
      successStatus: 201,
      successDescription: 'Sagen er oprettet',
      responses: { 200: { description: 'Sagen fandtes allerede (samme anmodnings-id)', schema: z.object({ caseId: z.string() }) } },
    },
    {
      method: 'get',
      path: '/api/v1/cases',
      summary: 'Liste over sager',
      description: 'Åbne sager først, sorteret efter næste frist.',
      tags: ['Sager'],
      parameters: [
        { name: 'procedure', in: 'query', description: 'Kun sager af denne procedure', schema: z.string().max(50) },
        { name: 'status', in: 'query', description: 'Kun sager med denne status; "attention": sager, der kræver handling', schema: z.enum(['open', 'completed', 'withdrawn', 'failed', 'attention']) },
        { name: 'q', in: 'query', description: 'Søg i titel og sagsnummer', schema: z.string().max(200) },
        { name: 'party', in: 'query', description: 'Kun sager, hvor denne part (kommunenummer eller region-syddanmark) deltager', schema: z.string().max(40) },
        { name: 'due', in: 'query', description: 'overdue: næste frist er overskredet; risk: næste frist inden for 14 dage', schema: z.enum(['overdue', 'risk']) },
        { name: 'page', in: 'query', description: 'Side, fra 1', schema: z.int().min(1).max(100_000).default(1) },
        { name: 'pageSize', in: 'query', description: 'Sager pr. side', schema: z.int().min(1).max(200).default(50) },
      ],
      responseSchema: z.object({
        items: z.array(caseRowSchema),
        total: z.int().describe('Antal sager i udvalget; over 10.000 et skøn (se totalIsEstimate)'),
        totalIsEstimate: z.boolean().describe('Sand, når total er PostgreSQL-planlæggerens skøn og ikke en optælling'),
        page: z.int(),
        pageSize: z.int(),
        hasMore: z.boolean().describe('Sand, når der er flere sager efter denne side (altid præcist, også når total er et skøn)'),
      }),
    },
    {
      method: 'get',
      path: '/api/v1/cases/{caseId}',
      summary: 'En sag med journal og levende tilstand',
      tags: ['Sager'],
      parameters: [{ name: 'caseId', in: 'path', required: true, description: 'Sagsnummer, fx ORI-2025-0123456789', schema: z.string() }],
      responseSchema: caseRowObject.extend({
        journal: z.array(journalEntrySchema),
        state: z
          .record(z.string(), z.unknown())
          .nullable()
          .meta({ description: 'Sagens tilstand fra workflowet; null når workflowet ikke svarer' }),
      }),
      responses: { 404: { description: 'Sagen findes ikke', schema: ref('Error') } },
    },
    {
      method: 'get',
      path: '/api/v1/cases/{caseId}/emails',
      summary: 'Sagens udsendte e-mails (leveringslog)',
      description: 'Hver e-mail i udbakken for sagen med status (pending, sending, sent, failed, rejected), forsøg og mailserverens svar.',
      tags: ['Sager'],
      parameters: [{ name: 'caseId', in: 'path', required: true, description: 'Sagsnummer', schema: z.string() }],
      responseSchema: z.object({
        items: z.array(
          z.object({
            id: z.string(),
            step: z.string(),
            recipient: z.string(),
            subject: z.string(),
            status: z.enum(['pending', 'sending', 'sent', 'failed', 'rejected']),
            attempts: z.int(),
            lastError: z.string().nullable(),
            createdAt: isoInstant,
            sentAt: isoInstant.nullable(),
            resendOf: z.string().nullable(),
            requestedBy: z.string().nullable(),
          }),
        ),
      }),
      responses: { 404: { description: 'Sagen findes ikke', schema: ref('Error') } },
    },
    {
      method: 'post',
      path: '/api/v1/cases/{caseId}/emails/{emailId}/resend',
      summary: 'Send en e-mail igen (evt. til en rettet adresse)',
      tags: ['Sager'],
      parameters: [
        { name: 'caseId', in: 'path', required: true, description: 'Sagsnummer', schema: z.string() },
        { name: 'emailId', in: 'path', required: true, description: 'E-mailens id fra leveringsloggen', schema: z.string() },
      ],
      requestSchema: z.object({ input: z.object({ recipient: z.email().optional().meta({ description: 'Ny adresse; udeladt: samme adresse' }) }) }),
      successStatus: 202,
      responseSchema: z.object({ workflowId: z.string() }),
      responses: { 404: { description: 'E-mailen findes ikke på sagen', schema: ref('Error') } },
    },
    {
      method: 'get',
      path: '/healthz',
      summary: 'Sundhedstjek af Temporal, PostgreSQL og SMTP',
      tags: ['Drift'],
      responseSchema: healthSchema('ok'),
      successDescription: 'Alle komponenter svarer',
      responses: { 503: { description: 'Mindst én komponent svarer ikke', schema: healthSchema('degraded') } },
    },
    {
      method: 'get',
      path: '/api/openapi.json',
      summary: 'Denne beskrivelse som OpenAPI 3.1',
      tags: ['Drift'],
      responseSchema: { type: 'object', description: 'OpenAPI 3.1-dokument' },
    },
    {
      method: 'get',
      path: '/api/docs',
      summary: 'Denne beskrivelse som læsbar side',
      tags: ['Drift'],
      responseSchema: { type: 'string' },
      responseContentType: 'text/html',
      successDescription: 'HTML-side',
    },
  ];
}

function healthSchema(status: 'ok' | 'degraded') {
  const component = z.string().meta({ description: '"ok" eller "error: …"' });
  return z.object({ status: z.literal(status), components: z.object({ temporal: component, postgres: component, smtp: component }) });
}

// ---------------------------------------------------------------------------------------------------------------
// Document
// ---------------------------------------------------------------------------------------------------------------

function isZodSchema(s: SchemaSource): s is z.ZodType {
  return s instanceof z.core.$ZodType;
}

/** The wire shape (io: 'input': defaults optional, transforms not applied); unrepresentable parts become {}. */
export function toJsonSchema(source: SchemaSource): JsonSchema {
  if (!isZodSchema(source)) return source;
  let out: JsonSchema;
  try {
    out = z.toJSONSchema(source, { io: 'input' }) as JsonSchema;
  } catch {
    out = z.toJSONSchema(source, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  }
  // The dialect is declared once for the whole document (jsonSchemaDialect).
  delete out.$schema;
  return out;
}

function defaultOperationId(method: HttpMethod, path: string): string {
  const words = path
    .split('/')
    .filter(Boolean)
    .map((seg) => (seg.startsWith('{') ? `by-${seg.slice(1, -1)}` : seg))
    .flatMap((seg) => seg.split(/[^A-Za-z0-9]+/))
    .filter(Boolean);
  return method + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

const HTTP_STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Oprettet',
  400: 'Ugyldigt input',
};

/** Operations anyone may call (see api/app.ts: before requireSignIn). */
const OPEN_PATHS = new Set(['/healthz', '/api/openapi.json', '/api/docs']);

function operationObject(op: OperationSpec): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  const response = (r: ResponseSpec): JsonSchema =>
    r.schema === undefined
      ? { description: r.description }
      : { description: r.description, content: { [r.contentType ?? 'application/json']: { schema: toJsonSchema(r.schema) } } };
  const success = op.successStatus ?? 200;
  responses[String(success)] = response({
    description: op.successDescription ?? HTTP_STATUS_TEXT[success] ?? 'OK',
    ...(op.responseSchema === undefined ? {} : { schema: op.responseSchema }),
    ...(op.responseContentType === undefined ? {} : { contentType: op.responseContentType }),
  });
  // Query parameters and bodies are validated; path parameters are looked up and answer 404 instead.
  if (op.requestSchema !== undefined || (op.parameters ?? []).some((p) => p.in === 'query')) {
    responses['400'] = response({ description: 'Ugyldigt input; felterne og årsagerne står i fields', schema: ref('ValidationError') });
  }
  for (const [status, r] of Object.entries(op.responses ?? {})) responses[status] = response(r);
  const open = OPEN_PATHS.has(op.path);
  if (!open) {
    responses['401'] ??= { description: 'Ingen eller ukendt API-nøgle' };
    responses['403'] ??= { description: 'Rollen giver ikke adgang' };
  }

  return {
    ...(open ? { security: [] } : {}),
    operationId: op.operationId ?? defaultOperationId(op.method, op.path),
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: op.tags ?? ['Øvrige'],
    ...(op.parameters?.length
      ? {
          parameters: op.parameters.map((p) => ({
            name: p.name,
            in: p.in,
            required: p.in === 'path' ? true : (p.required ?? false),
            description: p.description,
            schema: toJsonSchema(p.schema),
          })),
        }
      : {}),
    ...(op.requestSchema !== undefined
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: toJsonSchema(op.requestSchema),
                ...(op.requestExample !== undefined ? { example: op.requestExample } : {}),
              },
            },
          },
        }
      : {}),
    responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b))),
  };
}

function allOperations(): OperationSpec[] {
  const byKey = new Map<string, OperationSpec>();
  for (const op of builtinOperations()) byKey.set(OPERATION_KEY(op.method, op.path), op);
  // A registration may refine a built-in description (same method and path).
  for (const [key, op] of registry) byKey.set(key, op);
  return [...byKey.values()];
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  jsonSchemaDialect: string;
  info: { title: string; version: string; description: string };
  tags: { name: string }[];
  paths: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
  security: Record<string, string[]>[];
}

let cached: { version: number; doc: OpenApiDocument } | undefined;

export function buildOpenApiDocument(): OpenApiDocument {
  if (cached?.version === registryVersion) return cached.doc;
  const ops = allOperations();
  const paths: OpenApiDocument['paths'] = {};
  for (const op of ops) (paths[op.path] ??= {})[op.method] = operationObject(op);
  const tags = [...new Set(ops.flatMap((op) => op.tags ?? ['Øvrige']))].map((name) => ({ name }));
  const doc: OpenApiDocument = {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'KKR Syddanmark – sagsmotor',
      version: '1',
      description:
        'JSON-API for de tværkommunale procedurer i KKR Syddanmark: sager og de beregninger, procedurerne bygger på. ' +
        'Beløb sendes som tekst i kroner ("20000000" eller "20000000.50"), så der aldrig regnes med kommatal; ' +
        'beregnede beløb er hele kroner som tekst. Ugyldigt input giver 400 med en liste af felter og årsager på dansk. ' +
        'Kald kræver en API-nøgle (Authorization: Bearer …): 401 uden, 403 når rollen ikke må.',
    },
    tags,
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(COMPONENT_SCHEMAS).map(([k, s]) => [k, toJsonSchema(s)])),
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'API-nøgle oprettet af sekretariatet under /api-noegler; rollen afgør, hvad nøglen må' },
        session: { type: 'apiKey', in: 'cookie', name: 'kkr_session', description: 'Browserens session efter login (POST kræver CSRF-token)' },
      },
    },
    // Everything but /healthz and this description needs one of the two.
    security: [{ bearer: [] }, { session: [] }],
  };
  cached = { version: registryVersion, doc };
  return doc;
}

// ---------------------------------------------------------------------------------------------------------------
// HTML rendering
// ---------------------------------------------------------------------------------------------------------------

const PARAMETER_PLACE: Record<string, string> = { query: 'forespørgsel', path: 'sti', header: 'header' };

const pretty = (x: unknown): string => JSON.stringify(x, null, 2);

function anchor(method: string, path: string): string {
  return `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
}

interface RenderedOperation {
  method: string;
  path: string;
  op: JsonSchema;
}

function operationSection({ method, path, op }: RenderedOperation): Html {
  const params = (op.parameters ?? []) as { name: string; in: string; required: boolean; description: string; schema: unknown }[];
  const body = (op.requestBody as { content: Record<string, { schema: unknown; example?: unknown }> } | undefined)?.content['application/json'];
  const responses = op.responses as Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
  return html`<section id="${anchor(method, path)}">
<h3><code>${method.toUpperCase()} ${path}</code></h3>
<p><strong>${String(op.summary)}</strong></p>
${op.description ? html`<p>${String(op.description)}</p>` : ''}
${params.length
  ? html`<h4>Parametre</h4>
<table class="table"><thead><tr><th scope="col">Navn</th><th scope="col">Placering</th><th scope="col">Påkrævet</th><th scope="col">Beskrivelse</th><th scope="col">Skema</th></tr></thead>
<tbody>${params.map(
      (p) => html`<tr><td><code>${p.name}</code></td><td>${PARAMETER_PLACE[p.in] ?? p.in}</td><td>${p.required ? 'ja' : 'nej'}</td><td>${p.description}</td><td><code>${JSON.stringify(p.schema)}</code></td></tr>`,
    )}</tbody></table>`
  : ''}
${body
  ? html`<h4>Anmodning (JSON)</h4>
<pre>${pretty(body.schema)}</pre>
${body.example !== undefined ? html`<details><summary>Eksempel på anmodning</summary><pre>${pretty(body.example)}</pre></details>` : ''}`
  : ''}
<h4>Svar</h4>
${Object.entries(responses).map(
  ([status, r]) => html`<h5>${status}: ${r.description}</h5>
${Object.entries(r.content ?? {}).map(([type, c]) => html`<p class="muted">${type}</p><pre>${pretty(c.schema)}</pre>`)}`,
)}
</section>`;
}

export function docsPage(doc: OpenApiDocument): string {
  const ops: RenderedOperation[] = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ method, path, op })),
  );
  const inTag = (tag: string) => ops.filter((o) => ((o.op.tags as string[] | undefined) ?? []).includes(tag));
  return layout({
    title: 'API-dokumentation',
    body: html`<h1>API-dokumentation</h1>
<p>${doc.info.description}</p>
<p>Den maskinlæsbare udgave (OpenAPI ${doc.openapi}) findes på <a href="/api/openapi.json">/api/openapi.json</a>.</p>
<nav aria-label="Indhold"><h2>Indhold</h2>
${doc.tags.map(
  (t) => html`<h3>${t.name}</h3><ul>${inTag(t.name).map(
    (o) => html`<li><a href="#${anchor(o.method, o.path)}"><code>${o.method.toUpperCase()} ${o.path}</code></a> – ${String(o.op.summary)}</li>`,
  )}</ul>`,
)}
<p><a href="#faelles-skemaer">Fælles skemaer</a></p></nav>
${doc.tags.map((t) => html`<h2>${t.name}</h2>${inTag(t.name).map(operationSection)}`)}
<h2 id="faelles-skemaer">Fælles skemaer</h2>
${Object.entries(doc.components.schemas).map(
  ([name, schema]) => html`<h3 id="schema-${name}"><code>#/components/schemas/${name}</code></h3><pre>${pretty(schema)}</pre>`,
)}`,
  });
}

export function createOpenApiRouter(): Router {
  const router = Router();
  router.get('/api/openapi.json', (_req, res) => {
    res.json(buildOpenApiDocument());
  });
  router.get('/api/docs', (_req, res) => {
    res.type('html').send(docsPage(buildOpenApiDocument()));
  });
  return router;
}
