import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Transporter } from 'nodemailer';

type Status = 'ok' | string;

async function check(fn: () => Promise<unknown>, ms = 3_000): Promise<Status> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
    return 'ok';
  } catch (e) {
    return `error: ${(e as Error).message}`;
  } finally {
    clearTimeout(timer);
  }
}

export async function health(deps: { client: Client; pool: Pool; smtp: Transporter }) {
  const [temporal, postgres, smtp] = await Promise.all([
    check(() => deps.client.workflowService.getSystemInfo({})),
    check(() => deps.pool.query('SELECT 1')),
    check(() => deps.smtp.verify()),
  ]);
  const components = { temporal, postgres, smtp };
  const ok = Object.values(components).every((v) => v === 'ok');
  return { status: ok ? 200 : 503, body: { status: ok ? 'ok' : 'degraded', components } };
}
