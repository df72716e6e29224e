/** The worker as a separate process a test can SIGKILL, on the harness's servers and task queue. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');

// node itself with tsx as its loader: the tsx wrapper would run the worker in a child of its own, which a
// SIGKILL to the wrapper leaves running (the kill would then kill nothing that matters).
export function startWorkerProcess(env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'worker', 'main.ts')], { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: root });
  child.stdout?.resume();
  child.stderr?.on('data', (d: Buffer) => process.env.KKR_TEST_DEBUG && process.stderr.write(d));
  return child;
}

/** Kills the process hard (no shutdown, no flushing) and waits until it is gone. */
export async function killHard(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
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
