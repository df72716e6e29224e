/**
 * Starts the real servers once for the whole test run: a Temporal dev server, PostgreSQL (embedded unless
 * TEST_DATABASE_URL is given) and the SMTP catcher. Everything lives in a fresh temporary directory and is
 * stopped at the end. Test files reach them through `inject(...)`.
 */
import { mkdtempSync, rmSync, chmodSync, writeFileSync } from 'node:fs';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, startEmbeddedPostgres, startTemporalDevServer, toolsEnv, type Started } from '../../deploy/services';
import { startMailCatcher } from '../../deploy/mailCatcher';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    databaseUrl: string;
    smtpUrl: string;
    mailApiUrl: string;
    testServerPath: string;
    chromiumPath: string;
    /** The workflow code bundled once for the whole run (see support/workflowBundle.ts). */
    workflowBundlePath: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kkr-test-'));
  chmodSync(dir, 0o755);
  const started: Started[] = [];
  const logs: string[] = [];
  const log = (l: string) => {
    logs.push(l);
    if (logs.length > 200) logs.shift();
  };
  try {
    const [temporal, pg, mail, bundlePath] = await Promise.all([
      startTemporalDevServer({ dataDir: path.join(dir, 'temporal'), uiPort: null, log }),
      process.env.TEST_DATABASE_URL
        ? Promise.resolve({ name: 'postgres', url: process.env.TEST_DATABASE_URL, stop: async () => undefined })
        : startEmbeddedPostgres({ dataDir: path.join(dir, 'postgres'), log }),
      (async () => startMailCatcher({ smtpPort: await freePort(), httpPort: 0 }))(),
      (async () => {
        const bundle = await bundleWorkflowCode({ workflowsPath: path.join(__dirname, '..', '..', 'workflows', 'index.ts'), logger: new DefaultLogger('WARN') });
        const file = path.join(dir, 'workflow-bundle.js');
        writeFileSync(file, bundle.code);
        return file;
      })(),
    ]);
    started.push(temporal, pg, mail);
    project.provide('temporalAddress', temporal.address);
    project.provide('databaseUrl', pg.url);
    project.provide('smtpUrl', mail.smtpUrl);
    project.provide('mailApiUrl', `${mail.webUrl}/api/messages`);
    project.provide('testServerPath', process.env.TEMPORAL_TEST_SERVER ?? toolsEnv().TEMPORAL_TEST_SERVER ?? '');
    project.provide('workflowBundlePath', bundlePath);
    project.provide('chromiumPath', process.env.CHROMIUM ?? toolsEnv().CHROMIUM ?? '/usr/bin/chromium');
  } catch (e) {
    console.error(logs.join(''));
    for (const s of started) await s.stop().catch(() => undefined);
    throw e;
  }
  return async () => {
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
}
