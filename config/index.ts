/**
 * Configuration comes from environment variables only, validated once at start-up. A wrong value stops the
 * program with a message naming the variable and what it expects, instead of failing later mid-procedure.
 */
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

const port = z.coerce.number('expected a port number 1-65535').int('expected a whole number').min(1, 'expected a port 1-65535').max(65535, 'expected a port 1-65535');

export const configSchema = z.object({
  PORT: port.default(3000),
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
