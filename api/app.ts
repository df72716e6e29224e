import { createLogger, type Logger } from '../config/log';
import { createObservability } from './observability';
import express, { type Request, type Response, type NextFunction } from 'express';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Transporter } from 'nodemailer';
import './validation';
import { CaseNotFoundError, CaseService, InputError, StepRefusedError } from './caseService';
import { health } from './health';
import { authenticate, decoratePages, principalOf, requireRole, requireSignIn, verifyCsrf } from './auth/middleware';
import { createAuthRouter } from './auth/routes';
import { actorName } from './auth/principal';
import { createMunicipalityRouter } from './municipalityPages';
import { createDirectoryRouter } from './directoryPages';
import { createAdminRouter } from './adminPages';
import { journalBundle } from './journalBundle';
import { findProcedure, procedures } from './procedures';
import { newRequestId } from './caseIds';
import { badRequest } from './validation';
import { inputGuard, registerFieldLabels } from './inputGuard';
import { createCalculationsRouter } from './calculations';
import { createOpenApiRouter } from './openapi';
import { createAnswerRouter } from './answers';
import { findActionForm, openActions } from './actionForms';
import { readPostedStep } from './steps';
import type { StepFieldError } from '../contracts/kit/step';
import { deliveryLog, resend, resendSchema, ResendError } from './deliveryLog';
import { refugeeDefaults, refugeeFormPage, refugeeFormToInput, regionField, REFUGEE_REGIONS } from './views/refugeeForm';
import { QuotaInputError, refugeeQuotaStartSchema, regionQuotasFor } from './procedures/refugeeQuota';
import { fieldErrors } from './validation';
import { makeDeadline } from '../domain/calendar/deadline';
import type { PlainDate } from '../domain/calendar/plainDate';
import { startFormPage } from './views/startFormPage';
import { formToInput, inputToForm, jsonSchemaOf, type FormValues } from './views/schemaForm';
import { copenhagenToday } from '../domain/calendar/timeZone';
import { casePage, chooseProcedurePage, messagePage, orientationFormPage } from './views/pages';
import { createDashboardRouter } from './dashboard';
import { trustProxyValue, type OidcSettings } from '../config';
import { HOME_REGION } from '../domain/region';

/** The built files of the dkfds package (its main entry is dist/js/dkfds.min.js). */
const DKFDS_DIST = path.resolve(path.dirname(require.resolve('dkfds')), '..');

export interface AppDeps {
  client: Client;
  pool: Pool;
  smtp: Transporter;
  taskQueue: string;
  publicUrl: string;
  linkSecret: string;
  secretariatEmail: string;
  /** Sign-in through the organisation's OpenID provider, besides passwords; off when absent. */
  oidc?: OidcSettings;
  /** TRUST_PROXY: which reverse proxies may name the client's address (X-Forwarded-For); none when absent. */
  trustProxy?: string;
  /** The web server's JSON logger; default one writing to stdout at LOG_LEVEL. */
  log?: Logger;
}

/** The authenticated actor of a request, as the journal names it; routes behind requireSignIn always have one. */
const actorOf = (res: Response) => actorName(principalOf(res)!);

const asArray = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

export function createApp(deps: AppDeps) {
  const app = express();
  // Refusals at the boundary name a field by the label its start form shows.
  for (const p of procedures) if (p.startForm) registerFieldLabels(p.id, p.startForm.hints.labels);
  const log = deps.log ?? createLogger('web');
  const obs = createObservability({ pool: deps.pool, log });
  const cases = new CaseService({ client: deps.client, pool: deps.pool, taskQueue: deps.taskQueue, publicUrl: deps.publicUrl, log, onStarted: (procedure) => obs.casesStarted.inc({ procedure }) });
  app.disable('x-powered-by');
  // First: every request gets its id and its log line, refused ones too.
  app.use(obs.requests);
  app.param('caseId', (_req, res, next, id) => {
    res.locals.caseId = String(id);
    next();
  });
  // req.ip keys the per-address sign-in limit: behind a proxy every request would otherwise share its address.
  app.set('trust proxy', trustProxyValue(deps.trustProxy));
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Content-Security-Policy', "default-src 'self'; frame-ancestors 'none'; form-action 'self'");
    next();
  });
  app.use('/static', express.static(path.join(__dirname, 'static'), { maxAge: '1h' }));
  // Det Fælles Designsystem, self-hosted from the installed package (no CDN): its CSS, fonts, icons and script.
  for (const dir of ['css', 'fonts', 'img', 'js']) app.use(`/static/dkfds/${dir}`, express.static(path.join(DKFDS_DIST, dir), { maxAge: '1h', index: false }));
  // Everything else is personal or holds fresh signed links (case pages, Mine opgaver, answer pages, the API and
  // exports): no browser or proxy cache may keep a copy.
  app.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(express.json({ limit: '2mb' }));
  app.use(express.urlencoded({ extended: false, limit: '2mb' }));
  app.use(authenticate(deps.pool));
  app.use(verifyCsrf);
  // Every text input is normalised or refused here, before any route reads it (api/inputGuard.ts).
  app.use(inputGuard);
  app.use(decoratePages);
  const secretariat = requireRole('secretariat');
  const staff = requireRole('secretariat', 'leadership');

  // ---- Open to everyone: health, the API description, sign-in, and the municipalities' signed answer links ----
  // Aggregate counts only (no case, party or person): for the operator's Prometheus, on the internal network.
  app.use(obs.router);
  app.get('/healthz', async (_req, res) => {
    const h = await health(deps);
    res.status(h.status).json(h.body);
  });
  app.use(createOpenApiRouter());
  app.use(createAuthRouter({ pool: deps.pool, publicUrl: deps.publicUrl, oidc: deps.oidc }));
  app.use(createAnswerRouter({ cases, linkSecret: deps.linkSecret, secretariatEmail: deps.secretariatEmail }));

  // ---- Everything below needs a signed-in person or an API token; each route names the roles it allows ----
  app.use(requireSignIn);

  // ---- JSON API ----
  app.use('/api/v1/calculations', createCalculationsRouter());
  app.post('/api/v1/cases', secretariat, async (req, res) => {
    const body = (req.body ?? {}) as { procedure?: unknown; input?: unknown; requestId?: unknown };
    const requestId = String(req.get('Idempotency-Key') ?? body.requestId ?? newRequestId());
    const r = await cases.start(String(body.procedure ?? ''), body.input, requestId, actorOf(res));
    res.status(r.created ? 201 : 200).json({ caseId: r.caseId });
  });
  app.get('/api/v1/cases', staff, async (req, res) => {
    res.json(await cases.list(cases.parseListFilter(req.query)));
  });
  app.post('/api/v1/cases/:caseId/actions/:action', secretariat, async (req, res) => {
    const body = (req.body ?? {}) as { input?: unknown };
    const result = await cases.act(String(req.params.caseId), String(req.params.action), body.input ?? {}, actorOf(res));
    res.json({ caseId: String(req.params.caseId), action: String(req.params.action), result });
  });
  app.get('/api/v1/cases/:caseId/emails', staff, async (req, res) => {
    if (!(await cases.get(String(req.params.caseId)))) throw new CaseNotFoundError(String(req.params.caseId));
    res.json({ items: await deliveryLog(deps.pool, String(req.params.caseId)) });
  });
  app.post('/api/v1/cases/:caseId/emails/:emailId/resend', secretariat, async (req, res) => {
    const parsed = resendSchema.safeParse((req.body as { input?: unknown } | undefined)?.input ?? {});
    if (!parsed.success) throw new InputError(fieldErrors(parsed.error));
    res.status(202).json(await resend({ pool: deps.pool, client: deps.client, taskQueue: deps.taskQueue }, String(req.params.caseId), String(req.params.emailId), parsed.data, actorOf(res)));
  });
  app.get('/api/v1/cases/:caseId', staff, async (req, res) => {
    const c = await cases.get(String(req.params.caseId));
    if (!c) return void res.status(404).json({ error: 'not_found', message: 'Sagen findes ikke' });
    res.json({ ...c.summary, journal: c.journal, state: c.live });
  });

  // ---- Pages ----
  app.use(createMunicipalityRouter({ cases, pool: deps.pool, linkSecret: deps.linkSecret }));
  app.use(createDirectoryRouter({ pool: deps.pool }));
  app.use(createAdminRouter({ pool: deps.pool }));
  app.get('/', async (req, res, next) => {
    if (principalOf(res)!.role === 'municipality') return void res.redirect(303, '/mine-opgaver');
    next();
  });
  app.use('/sager/ny', secretariat);
  app.use(createDashboardRouter({ cases, pool: deps.pool }));
  app.get('/sager/ny', (_req, res) => {
    res.type('html').send(chooseProcedurePage(procedures));
  });
  const regionParties = async () =>
    (await deps.pool.query<{ party_id: string; name: string }>(
      'SELECT party_id, name FROM directory_party WHERE region = $1 ORDER BY kind, kommunenr NULLS LAST',
      [HOME_REGION],
    )).rows.map((r) => ({ partyId: r.party_id, name: r.name }));
  app.get('/sager/ny/orientation', async (_req, res) => {
    res.type('html').send(orientationFormPage({ requestId: newRequestId(), values: {}, parties: await regionParties(), errors: [] }));
  });
  app.post('/sager/ny/orientation', async (req, res) => {
    const b = req.body as Record<string, unknown>;
    const values = { title: String(b.title ?? ''), message: String(b.message ?? ''), partyIds: asArray(b.partyIds) };
    const requestId = /^[0-9a-f-]{36}$/.test(String(b.requestId)) ? String(b.requestId) : newRequestId();
    try {
      const r = await cases.start('orientation', values, requestId, actorOf(res));
      res.redirect(303, `/sager/${encodeURIComponent(r.caseId)}`);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      res.status(400).type('html').send(orientationFormPage({ requestId, values, parties: await regionParties(), errors: e.fields }));
    }
  });
  app.get('/sager/ny/refugeeQuota', (_req, res) => {
    res.type('html').send(refugeeFormPage({ requestId: newRequestId(), values: refugeeDefaults(new Date()), errors: [] }));
  });
  app.post('/sager/ny/refugeeQuota', async (req, res) => {
    const values = Object.fromEntries(Object.entries((req.body ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    const requestId = /^[0-9a-f-]{36}$/.test(values.requestId ?? '') ? values.requestId! : newRequestId();
    const { input, tableErrors } = refugeeFormToInput(values);
    // Field paths of the JSON input, mapped to the form's field names so each message sits next to its field.
    const toFormField = (f: string) =>
      f.startsWith('regionQuotas.')
        ? regionField(f.slice('regionQuotas.'.length))
        : f === 'ratificationDeadline'
          ? 'dl-ratification-date'
          : f.replace(/^ratificationDeadline\./, 'deadlines.ratification.').replace(/^deadlines\.(\w+)\.nominalDate$/, 'dl-$1-date').replace(/^deadlines\.(\w+)\.wording$/, 'dl-$1-wording');
    const parsed = refugeeQuotaStartSchema.safeParse(input);
    if (!parsed.success || tableErrors.length) {
      const errors = [...tableErrors, ...(parsed.success ? [] : fieldErrors(parsed.error).map((e) => ({ ...e, field: toFormField(e.field) })))];
      return void res.status(400).type('html').send(refugeeFormPage({ requestId, values, errors }));
    }
    if (values.intent !== 'start') {
      try {
        const { source, quotas } = regionQuotasFor(parsed.data);
        const deadlines = (['positions', 'agreement', 'fallback'] as const).map((k) => ({
          label: { positions: 'Kommunernes tilbagemelding', agreement: 'Meddelelse af aftale', fallback: 'Udlændingestyrelsens fastsættelse' }[k],
          deadline: makeDeadline({ ...parsed.data.deadlines[k], nominalDate: parsed.data.deadlines[k].nominalDate as PlainDate }),
        }));
        return void res.type('html').send(refugeeFormPage({ requestId, values, errors: [], preview: { source, quotas, deadlines } }));
      } catch (e) {
        const field = e instanceof QuotaInputError && e.field === 'agencyQuotas' ? 'agencyQuotas' : REFUGEE_REGIONS.map(regionField)[0]!;
        const errors = [{ field, reason: (e as Error).message }];
        return void res.status(400).type('html').send(refugeeFormPage({ requestId, values, errors }));
      }
    }
    try {
      const r = await cases.start('refugeeQuota', parsed.data, requestId, actorOf(res));
      res.redirect(303, `/sager/${encodeURIComponent(r.caseId)}`);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      res.status(400).type('html').send(refugeeFormPage({ requestId, values, errors: e.fields.map((f) => ({ ...f, field: toFormField(f.field) })) }));
    }
  });
  // Every other procedure: the form drawn from its zod schema (api/views/schemaForm.ts).
  const allParties = async () =>
    (await deps.pool.query<{ party_id: string; name: string; kind: string; region: string }>('SELECT party_id, name, kind, region FROM directory_party ORDER BY kind, name')).rows.map((r) => ({
      partyId: r.party_id,
      name: r.name,
      kind: r.kind,
      region: r.region,
    }));
  const formProcedure = (id: string) => {
    const proc = findProcedure(id);
    return proc?.startForm ? proc : undefined;
  };
  app.get('/sager/ny/:procedure', async (req, res, next) => {
    const proc = formProcedure(String(req.params.procedure));
    if (!proc) return next();
    const values = inputToForm(proc.startForm!.defaults(copenhagenToday()));
    res.type('html').send(startFormPage({ proc, requestId: newRequestId(), values, errors: [], parties: await allParties() }));
  });
  app.post('/sager/ny/:procedure', async (req, res, next) => {
    const proc = formProcedure(String(req.params.procedure));
    if (!proc) return next();
    const values: FormValues = {};
    for (const [k, v] of Object.entries((req.body ?? {}) as Record<string, unknown>)) values[k] = Array.isArray(v) ? v.map(String) : String(v);
    const requestId = /^[0-9a-f-]{36}$/.test(String(values.requestId ?? '')) ? String(values.requestId) : newRequestId();
    const input = formToInput(jsonSchemaOf(proc.inputSchema), proc.startForm!.hints, values);
    const page = async (status: number, extra: Partial<Parameters<typeof startFormPage>[0]>) =>
      void res.status(status).type('html').send(startFormPage({ proc, requestId, values, errors: [], parties: await allParties(), ...extra }));
    const parsed = proc.inputSchema.safeParse(input);
    if (!parsed.success) return page(400, { errors: fieldErrors(parsed.error) });
    try {
      if (values.intent !== 'start') return await page(200, { preview: await proc.startForm!.preview(parsed.data, { pool: deps.pool }) });
      const r = await cases.start(proc.id, input, requestId, actorOf(res));
      res.redirect(303, `/sager/${encodeURIComponent(r.caseId)}`);
    } catch (e) {
      if (e instanceof InputError) return page(400, { errors: e.fields });
      const field = (e as { field?: string }).field;
      if (field) return page(400, { errors: [{ field, reason: (e as Error).message }] });
      throw e;
    }
  });
  app.get('/sager/:caseId', staff, async (req, res) => {
    const c = await cases.get(String(req.params.caseId));
    if (!c) {
      const p = messagePage('Sagen findes ikke', `Der er ingen sag med nummeret ${String(req.params.caseId)}.`, 404);
      return void res.status(p.status).type('html').send(p.body);
    }
    const canAct = principalOf(res)!.role === 'secretariat';
    const tab = typeof req.query.fane === 'string' ? req.query.fane : undefined;
    const emailPage = Number(typeof req.query.side === 'string' ? req.query.side : 1) || 1;
    const actions = canAct && c.live ? openActions(c.live, await allParties()) : [];
    res.type('html').send(casePage(c, actions, await deliveryLog(deps.pool, c.summary.caseId), canAct, { procedureLabel: findProcedure(c.summary.procedure)?.label, tab, emailPage }));
  });
  app.post('/sager/:caseId/handlinger/:action', secretariat, async (req, res) => {
    const c = await cases.get(String(req.params.caseId));
    const form = c?.live ? findActionForm(c.live, String(req.params.action)) : undefined;
    if (!c?.live || !form) {
      const p = messagePage('Handlingen kan ikke udføres', 'Handlingen er ikke åben for sagen lige nu.', 409);
      return void res.status(p.status).type('html').send(p.body);
    }
    const posted = postedValues(req.body);
    delete posted._csrf;
    // A refused step comes back as the case page with that step's form open: the reason next to it, the input kept.
    const again = async (status: number, failed: { errors: StepFieldError[]; refusal?: string }) =>
      void res.status(status).type('html').send(
        casePage(c, openActions(c.live!, await allParties()), await deliveryLog(deps.pool, c.summary.caseId), true, { procedureLabel: findProcedure(c.summary.procedure)?.label, failed: { action: form.action, values: posted, ...failed } }),
      );
    const read = readPostedStep(form.definition, c.live, posted);
    if (!read.ok) return again(400, { errors: read.errors });
    try {
      await cases.act(String(req.params.caseId), form.action, read.value, actorOf(res));
    } catch (e) {
      if (e instanceof StepRefusedError) return again(409, { errors: [], refusal: e.message });
      // The boundary's own refusal (a control character, a CPR number): next to the field, by its label.
      if (e instanceof InputError) return again(400, { errors: e.fields.map((f) => ({ ...f, label: f.field })) });
      throw e;
    }
    res.redirect(303, `/sager/${encodeURIComponent(String(req.params.caseId))}`);
  });
  app.post('/sager/:caseId/emails/:emailId/gensend', secretariat, async (req, res) => {
    const parsed = resendSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const p = messagePage('E-mailen blev ikke sendt igen', parsed.error.issues.map((i) => i.message).join('. '), 400);
      return void res.status(p.status).type('html').send(p.body);
    }
    await resend({ pool: deps.pool, client: deps.client, taskQueue: deps.taskQueue }, String(req.params.caseId), String(req.params.emailId), parsed.data, actorOf(res));
    res.redirect(303, `/sager/${encodeURIComponent(String(req.params.caseId))}?fane=emails#faner`);
  });
  app.get('/sager/:caseId/journal.zip', staff, async (req, res) => {
    const c = await cases.get(String(req.params.caseId));
    if (!c) {
      const p = messagePage('Sagen findes ikke', 'Der er ingen sag med det nummer.', 404);
      return void res.status(p.status).type('html').send(p.body);
    }
    res.setHeader('Content-Disposition', `attachment; filename="journal-${c.summary.caseId.replace(/[^\w-]/g, '_')}.zip"`);
    const contents = await cases.documents(c.summary.caseId, c.journal.flatMap((j) => j.documents.map((d) => d.id)));
    res.type('application/zip').send(journalBundle(c.summary, c.journal, contents));
  });
  app.get('/sager/:caseId/dokumenter/:entry/:doc', staff, async (req, res) => {
    const c = await cases.get(String(req.params.caseId));
    const ref = c?.journal[Number(String(req.params.entry))]?.documents[Number(String(req.params.doc))];
    const doc = ref && (await cases.documents(c.summary.caseId, [ref.id])).get(ref.id);
    if (!doc) {
      const p = messagePage('Dokumentet findes ikke', 'Dokumentet findes ikke på sagen.', 404);
      return void res.status(p.status).type('html').send(p.body);
    }
    res.setHeader('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(doc.name)}`);
    res.type(doc.mediaType.startsWith('text/html') ? 'text/plain; charset=utf-8' : doc.mediaType).send(doc.content);
  });

  app.use((req, res) => {
    if (req.path.startsWith('/api/')) return void res.status(404).json({ error: 'not_found', message: 'Ukendt adresse' });
    const p = messagePage('Siden findes ikke', 'Adressen findes ikke.', 404);
    res.status(p.status).type('html').send(p.body);
  });

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    // A streamed export that fails half-way: end the response (the client sees a broken download), never a second answer.
    if (res.headersSent) {
      (res.locals.log as Logger).error({ err, path: req.path }, 'error after the response started');
      return void res.destroy();
    }
    if (err instanceof InputError) return void res.status(400).json(badRequest(err.fields));
    if (err instanceof ResendError) {
      if (req.path.startsWith('/api/')) return void res.status(404).json({ error: 'not_found', message: err.message });
      const p = messagePage('E-mailen blev ikke sendt igen', err.message, 404);
      return void res.status(p.status).type('html').send(p.body);
    }
    if (err instanceof CaseNotFoundError) return void res.status(404).json({ error: 'not_found', message: 'Sagen findes ikke' });
    if (err instanceof StepRefusedError) {
      if (req.path.startsWith('/api/')) return void res.status(409).json({ error: 'step_refused', message: err.message });
      const p = messagePage('Handlingen blev ikke udført', err.message, 409);
      return void res.status(p.status).type('html').send(p.body);
    }
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.parse.failed' || e.status === 400 || e.status === 413) {
      return void res.status(e.status ?? 400).json(badRequest([{ field: '(body)', reason: 'Kroppen kunne ikke læses som JSON' }]));
    }
    // An answer link is a credential: the log names the route, never the token.
    // An answer link is a credential: the logger scrubs /svar/<token> from every line (config/log.ts).
    (res.locals.log as Logger).error({ err, cause: (err as { cause?: unknown }).cause, method: req.method, path: req.path }, 'request failed');
    if (req.path.startsWith('/api/')) return void res.status(500).json({ error: 'internal', message: 'Der opstod en fejl. Prøv igen.' });
    const p = messagePage('Der opstod en fejl', 'Prøv igen om lidt. Intet af det, du har indtastet, er gemt endnu.', 500);
    res.status(p.status).type('html').send(p.body);
  });
  return app;
}

/** A posted form's fields as text: repeated fields (a list of texts) as arrays, anything else as its text. */
function postedValues(body: unknown): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]));
}
