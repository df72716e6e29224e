/**
 * What an operator sees of the web server: a JSON log line per request (request id, route, status, time, case
 * id) and GET /metrics in Prometheus format. Request counts and latencies are counted here; cases, the e-mail
 * outbox and reminders are read from the read model when Prometheus scrapes, so the figures are the same
 * whichever process did the work (the worker's own SDK metrics are served by the worker, see worker/main.ts).
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response, Router } from 'express';
import express from 'express';
import type { Pool } from 'pg';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from '../config/log';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export interface Observability {
  /** Request id, per-request logger (res.locals.log), and the request's line and metrics when it ends. */
  requests: (req: Request, res: Response, next: NextFunction) => void;
  router: Router;
  casesStarted: Counter<'procedure'>;
}

/** The route as Express matched it (/sager/:caseId, /svar/:token), never the concrete path: no token or case id
 * becomes a label, and the number of series stays fixed. */
const routeOf = (req: Request) => (req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : req.path.startsWith('/static/') ? '/static' : 'unmatched');

export function createObservability(deps: { pool: Pool; log: Logger }): Observability {
  const registry = new Registry();
  registry.setDefaultLabels({ process: 'web' });
  collectDefaultMetrics({ register: registry, prefix: 'kkr_web_' });
  const requests = new Counter({ name: 'kkr_http_requests_total', help: 'HTTP requests by method, route and status', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const latency = new Histogram({ name: 'kkr_http_request_duration_seconds', help: 'HTTP request latency by method and route', labelNames: ['method', 'route'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry] });
  const casesStarted = new Counter({ name: 'kkr_cases_started_total', help: 'Cases started through this web server, by procedure', labelNames: ['procedure'], registers: [registry] });
  const query = async (sql: string) => (await deps.pool.query(sql)).rows;
  new Gauge({
    name: 'kkr_cases',
    help: 'Cases in the read model by procedure and status (open, completed, withdrawn, failed, attention = Kræver handling)',
    labelNames: ['procedure', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await query(`SELECT procedure, status, count(*)::int AS n FROM case_summary GROUP BY 1, 2
                                    UNION ALL SELECT procedure, 'attention', count(*)::int FROM case_summary WHERE attention_reason IS NOT NULL GROUP BY 1`)) {
        this.set({ procedure: r.procedure, status: r.status }, r.n);
      }
    },
  });
  new Gauge({
    name: 'kkr_outbox_emails',
    help: 'E-mails in the outbox by status (pending, sending, sent, failed = retrying, rejected = refused by the receiving server)',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const s of ['pending', 'sending', 'sent', 'failed', 'rejected']) this.set({ status: s }, 0);
      for (const r of await query('SELECT status, count(*)::int AS n FROM email_outbox GROUP BY 1')) this.set({ status: r.status }, r.n);
    },
  });
  new Gauge({
    name: 'kkr_reminders_sent',
    help: 'Reminders and deadline notices sent (outbox rows of a reminder point, status sent)',
    registers: [registry],
    async collect() {
      this.set((await query(`SELECT count(*)::int AS n FROM email_outbox WHERE status = 'sent' AND reminder <> '' AND step <> 'leveringsfejl'`))[0].n);
    },
  });
  new Gauge({
    name: 'kkr_outbox_oldest_unsent_seconds',
    help: 'Age of the oldest e-mail not yet sent (0 when none waits)',
    registers: [registry],
    async collect() {
      this.set(Number((await query(`SELECT COALESCE(extract(epoch FROM now() - min(created_at)), 0) AS s FROM email_outbox WHERE status IN ('pending', 'sending', 'failed')`))[0].s));
    },
  });

  const router = express.Router();
  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });

  return {
    casesStarted,
    router,
    requests(req, res, next) {
      const header = req.get('X-Request-Id');
      const requestId = header && REQUEST_ID.test(header) ? header : randomUUID();
      res.setHeader('X-Request-Id', requestId);
      res.locals.log = deps.log.child({ requestId });
      const started = process.hrtime.bigint();
      res.on('finish', () => {
        const route = routeOf(req);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        requests.inc({ method: req.method, route, status: String(res.statusCode) });
        latency.observe({ method: req.method, route }, seconds);
        if (route === '/static' || route === '/metrics' || route === '/healthz') return;
        const caseId = (res.locals.caseId as string | undefined) ?? undefined;
        (res.locals.log as Logger).info({ method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000), ...(caseId ? { caseId } : {}) }, 'request');
      });
      next();
    },
  };
}
