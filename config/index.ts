/**
 * Configuration comes from environment variables only, validated once at start-up. A wrong value stops the
 * program with a message naming the variable and what it expects, instead of failing later mid-procedure.
 */
import { isIP } from 'node:net';
import { z } from 'zod';

const url = (protocols: string[], example: string) =>
  z
    .string()
    .refine((v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, `expected a URL starting with ${protocols.map((p) => p + '//').join(' or ')}, e.g. ${example}`);

const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/, 'expected host:port, e.g. temporal.example.net:7233');

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Tokens and keys of the provider must not travel in clear text; plain http is only accepted on this machine,
 * where a test or a developer runs a provider of their own. */
const issuerUrl = z.string().refine((v) => {
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK_HOSTS.has(u.hostname));
  } catch {
    return false;
  }
}, 'expected the https URL of the OpenID provider (its issuer), e.g. https://login.microsoftonline.com/<tenant-id>/v2.0');

/** Express's own vocabulary for `trust proxy`: a hop count, true/false, or addresses, subnets and the names
 * loopback, linklocal and uniquelocal, separated by commas. Checked here because Express only fails on the
 * first request. */
const trustProxy = z.string().trim().refine(
  (v) =>
    /^(true|false|\d{1,2})$/.test(v) ||
    v.split(',').every((part) => {
      const [addr = '', prefix, ...rest] = part.trim().split('/');
      if (rest.length) return false;
      if (prefix === undefined && ['loopback', 'linklocal', 'uniquelocal'].includes(addr)) return true;
      const family = isIP(addr);
      return family !== 0 && (prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128)));
    }),
  'expected a number of proxies (e.g. 1), loopback, or the proxies\' addresses/subnets separated by commas (e.g. 10.0.0.0/8)',
);

const port = z.coerce.number('expected a port number 1-65535').int('expected a whole number').min(1, 'expected a port 1-65535').max(65535, 'expected a port 1-65535');

export const configSchema = z.object({
  PORT: port.default(3000),
  // The interface the web server listens on: loopback unless set, so a plain-http server is not reachable from
  // the network by accident. Behind a reverse proxy on another machine (or in a container): HOST=0.0.0.0.
  HOST: z.string().regex(/^[A-Za-z0-9.\-:]+$/, 'expected an interface address or host name, e.g. 127.0.0.1 or 0.0.0.0').default('127.0.0.1'),
  PUBLIC_URL: url(['http:', 'https:'], 'https://sager.kkr-syddanmark.dk').optional(),
  TEMPORAL_ADDRESS: hostPort.default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('kkr-cases'),
  TEMPORAL_TLS: z.enum(['true', 'false'], 'expected true or false').default('false'),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  DATABASE_URL: url(['postgres:', 'postgresql:'], 'postgres://user:password@db.example.net:5432/kkr'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  SMTP_URL: url(['smtp:', 'smtps:'], 'smtp://user:password@mail.example.net:587'),
  MAIL_FROM: z.string().min(3).default('KKR Syddanmark, sekretariatet <sekretariat@kkr-syddanmark.example>'),
  MAIL_REPLY_TO: z.string().min(3).optional(),
  SECRETARIAT_EMAIL: z.email('expected an e-mail address, e.g. sekretariat@kkr-syddanmark.dk').default('sekretariat@kkr-syddanmark.example'),
  LINK_SECRET: z.string().min(32, 'expected a secret of at least 32 characters (used to sign links in e-mails)'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error'], 'expected one of debug, info, warn, error').default('info'),
  NOTICE_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time HH:MM (Copenhagen time), e.g. 08:00')
    .default('08:00'),
  // How long an e-mail claimed by a sending attempt stays that attempt's before a retry may take it over (the
  // attempt died between claim and status update). Longer than the send activity's start-to-close timeout
  // (1 minute), so a slow attempt that is still alive is never overtaken; shorter only where attempts are known
  // dead, e.g. the tests that SIGKILL the worker.
  OUTBOX_LEASE_SECONDS: z.coerce.number('expected a number of seconds').int('expected a whole number of seconds').min(1).max(86_400).default(120),
  // A workflow bundle built beforehand (bundleWorkflowCode's code, written to a file); unset, the worker bundles
  // workflows/ itself at start-up, which costs several seconds of CPU.
  WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
  // Empty means unset: coerced, '' would be 0, which turns the workflow cache off.
  /** Where the worker serves the Temporal SDK's own metrics (Prometheus, GET /metrics); "off" serves none. */
  WORKER_METRICS_ADDRESS: z.union([z.literal('off'), z.string().regex(/^[\w.:[\]-]+:\d{1,5}$/, 'expected host:port or off')]).default('127.0.0.1:9464'),
  WORKER_MAX_CACHED_WORKFLOWS: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number('expected a whole number').int('expected a whole number').min(0).max(1_000_000).optional()),
  TRUST_PROXY: trustProxy.optional(),
  OIDC_ISSUER: issuerUrl.optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_LABEL: z.string().trim().min(1).default('Log ind med organisationens login'),
  // An address the provider does not say it verified may be one the person typed in themselves (Entra ID's `email`
  // can be edited by guests and admins), so by default it opens nothing. `if-present` accepts a missing flag, for a
  // provider known to vouch for every address it sends.
  OIDC_EMAIL_VERIFIED: z.enum(['required', 'if-present'], 'expected required or if-present').default('required'),
}).superRefine((c, ctx) => {
  if (!c.OIDC_ISSUER) return;
  for (const name of ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const) {
    if (!c[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required when OIDC_ISSUER is set (from the client registered at the OpenID provider)' });
  }
});

export type Config = z.infer<typeof configSchema> & { PUBLIC_URL: string };

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? '?');
      const got = env[name];
      return `  ${name}: ${i.code === 'invalid_type' && got === undefined ? 'is required' : i.message}${got !== undefined && !/SECRET|PASSWORD|KEY/.test(name) ? ` (got "${got}")` : ''}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return { ...c, PUBLIC_URL: c.PUBLIC_URL ?? `http://localhost:${c.PORT}` };
}

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The text of the sign-in button. */
  label: string;
  /** Whether the e-mail claim must come with email_verified: true, or is accepted when the flag is missing. */
  emailVerified?: 'required' | 'if-present';
}

/** OpenID Connect is on exactly when an issuer is configured; the schema has then made sure the client is too. */
export function oidcSettings(c: Pick<Config, 'OIDC_ISSUER' | 'OIDC_CLIENT_ID' | 'OIDC_CLIENT_SECRET' | 'OIDC_LABEL' | 'OIDC_EMAIL_VERIFIED'>): OidcSettings | undefined {
  if (!c.OIDC_ISSUER || !c.OIDC_CLIENT_ID || !c.OIDC_CLIENT_SECRET) return undefined;
  return { issuer: c.OIDC_ISSUER, clientId: c.OIDC_CLIENT_ID, clientSecret: c.OIDC_CLIENT_SECRET, label: c.OIDC_LABEL, emailVerified: c.OIDC_EMAIL_VERIFIED };
}

/** The value Express's `trust proxy` setting takes for TRUST_PROXY: hop counts as numbers, true/false as booleans. */
export function trustProxyValue(v: string | undefined): boolean | number | string {
  if (v === undefined || v === 'false') return false;
  if (v === 'true') return true;
  return /^\d+$/.test(v) ? Number(v) : v;
}

/** For entry points: print the problem and exit with a non-zero status instead of a stack trace. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
}
