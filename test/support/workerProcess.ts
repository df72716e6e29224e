/** The worker as a separate process a test can SIGKILL, on the harness's servers and task queue. */
import type { ChildProcess } from 'node:child_process';
import { killHard, spawnTs } from '../../deploy/services';

export { killHard };

export function startWorkerProcess(env: NodeJS.ProcessEnv): ChildProcess {
  return spawnTs('worker/main.ts', env);
}

/** Posts a form, again while the system answers 503 (the worker is still starting after a kill), as a user would. */
export async function postWhileRestarting(fetchFn: typeof fetch, url: string, form: Record<string, string>, timeoutMs = 90_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetchFn(url, { method: 'POST', body: new URLSearchParams(form) });
    if (res.status !== 503 || Date.now() > deadline) return res;
    await res.text();
    await new Promise((r) => setTimeout(r, 500));
  }
}
