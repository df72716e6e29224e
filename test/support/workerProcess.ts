/** The worker as a separate process a test can SIGKILL, on the harness's servers and task queue. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');

export function startWorkerProcess(env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, 'worker', 'main.ts')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.resume();
  child.stderr?.on('data', (d: Buffer) => process.env.KKR_TEST_DEBUG && process.stderr.write(d));
  return child;
}

/** Kills the process hard (no shutdown, no flushing) and waits until it is gone. */
export async function killHard(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
}
