/**
 * The production service definitions in deploy/production/ are checked with the tools that know their formats:
 * systemd's own verifier for the units, hadolint for the Dockerfile (when HADOLINT names it or it is on PATH; see
 * README, "Production services").
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { configSchema } from '../../config';

const dir = path.resolve(__dirname, '..', '..', 'deploy', 'production');
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const hadolint = process.env.HADOLINT ?? (has('hadolint') ? 'hadolint' : undefined);

describe('production service definitions', () => {
  it.skipIf(!has('systemd-analyze'))('the systemd units pass systemd-analyze verify without a warning', () => {
    const units = ['kkr-worker.service', 'kkr-web.service'].map((u) => path.join(dir, u));
    const r = spawnSync('systemd-analyze', ['verify', ...units], { encoding: 'utf8' });
    // verify exits 0 on unknown keys and bad values too, and only says so: any output is a finding.
    expect(r.status).toBe(0);
    expect(`${r.stdout}${r.stderr}`.trim()).toBe('');
  });

  it('the units run the entry points the README names, with the configuration file of the example', () => {
    const worker = readFileSync(path.join(dir, 'kkr-worker.service'), 'utf8');
    const web = readFileSync(path.join(dir, 'kkr-web.service'), 'utf8');
    expect(worker).toMatch(/^ExecStart=\/usr\/bin\/node --import tsx worker\/main\.ts$/m);
    expect(web).toMatch(/^ExecStart=\/usr\/bin\/node --import tsx api\/main\.ts$/m);
    for (const unit of [worker, web]) expect(unit).toMatch(/^EnvironmentFile=\/etc\/kkr\/kkr\.env$/m);
    // Every variable the example sets is one the configuration knows.
    const known = Object.keys(configSchema.shape);
    const set = readFileSync(path.join(dir, 'kkr.env.example'), 'utf8').split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => l.split('=')[0]!);
    expect(set.filter((v) => !known.includes(v))).toEqual([]);
  });

  it.skipIf(!hadolint)('the Dockerfile passes hadolint', () => {
    const r = spawnSync(hadolint!, [path.join(dir, 'Dockerfile')], { encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`.trim()).toBe('');
    expect(r.status).toBe(0);
  });
});
