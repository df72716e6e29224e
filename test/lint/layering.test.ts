/**
 * The layering lint (eslint/layering.mjs) fails on a planted violation, passes the allowed imports, and the
 * code base has no import circle. The rule is exercised twice: through ESLint's Linter on synthetic files with
 * the right paths (every rule of the one-line statement), and through the project's real eslint.config.mjs on a
 * file planted in the worktree (so a config that forgets to enable the rule fails too).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint, Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');

async function loadPlugin() {
  // eslint/layering.mjs is plain ESM (the ESLint config loads it); vitest imports it as it is.
  return (await import('../../eslint/layering.mjs')).default;
}

async function lint(file: string, code: string): Promise<Linter.LintMessage[]> {
  const linter = new Linter({ configType: 'flat', cwd: ROOT });
  const config: Linter.Config[] = [
    {
      files: ['**/*.ts'],
      languageOptions: { parser: tseslint.parser as Linter.Parser },
      plugins: { layering: await loadPlugin() },
      rules: { 'layering/layers': 'error' },
    },
  ];
  return linter.verify(code, config, { filename: path.join(ROOT, file) });
}

const errors = async (file: string, code: string) => (await lint(file, code)).map((m) => `${m.ruleId}: ${m.message}`);

describe('layering lint (the rule)', () => {
  it.each([
    ['activities/planted.ts', "import type { ClosureInput } from '../workflows/closure';", 'activities/ may not import workflows/'],
    ['activities/planted.ts', "import { caseStateQuery } from '../workflows/blocks/caseRecord';", 'activities/ may not import workflows/'],
    ['api/planted.ts', "import { closureCaseTitle } from '../workflows/closure';", 'api/ may not import workflows/'],
    ['api/views/planted.ts', "import type { CaseState } from '../../workflows/blocks/caseRecord';", 'api/ may not import workflows/'],
    ['api/planted.ts', "import { createActivities } from '../activities';", 'api/ may not import activities/'],
    ['api/planted.ts', "import { createWorker } from '../worker/createWorker';", 'api/ may not import worker/'],
    ['domain/planted.ts', "import type { CaseState } from '../contracts/caseState';", 'domain/ may not import contracts/'],
    ['domain/calendar/planted.ts', "import { pool } from '../../db/pool';", 'domain/ may not import db/'],
    ['contracts/planted.ts', "import type { DeadlineEntry } from '../workflows/blocks/deadlines';", 'contracts/ may not import workflows/'],
    ['contracts/planted.ts', "export type { OutgoingEmail } from '../activities/email';", 'contracts/ may not import activities/'],
    ['workflows/planted.ts', "import { createActivities } from '../activities';", 'workflows/ may import activities/ only with `import type`'],
    ['workflows/blocks/planted.ts', "import type { OutgoingEmail } from '../../activities/email';", 'workflows/ may import from activities/ only the type of its index'],
    ['workflows/planted.ts', "import { withTransaction } from '../db/pool';", 'workflows/ may not import db/'],
    ['workflows/planted.ts', "import { renderClosureAccount } from './closure';", 'A procedure does not import another procedure'],
    ['workflows/blocks/planted.ts', "import type { ClosureInput } from '../closure';", 'workflows/blocks/ does not import procedures'],
    ['api/planted.ts', "import { refugeeQuotaAgreement } from '../workflows/refugeeQuota/workflow';", 'api/ may not import workflows/'],
    ['activities/planted.ts', "import type { X } from '../workflows/refugeeQuota/workflow';", 'activities/ may not import workflows/'],
    ['workflows/refugeeQuota/contract.ts', "import { acts } from '../blocks/proxies';", 'contracts/ may not import workflows/'],
    // A procedure's phase files (workflows/<name>/phases/…) are workflow code of that procedure.
    ['workflows/closure/phases/planted.ts', "import { finish } from '../../capacityChange/phases/registration';", 'A procedure does not import another procedure'],
    ['workflows/closure/phases/planted.ts', "import { openCase } from '../../capacityChange/caseFile';", 'A procedure does not import another procedure'],
    ['workflows/closure/contract.ts', "import { settlement } from './phases/settlement';", 'contracts/ may not import workflows/'],
    ['workflows/closure/phases/contract.ts', "import { withTransaction } from '../../../db/pool';", 'workflows/ may not import db/'],
    ['api/planted.ts', "import { settlement } from '../workflows/closure/phases/settlement';", 'api/ may not import workflows/'],
    ['activities/planted.ts', "import type { ClosureCaseFile } from '../workflows/closure/caseFile';", 'activities/ may not import workflows/'],
    ['workflows/blocks/planted.ts', "import { settlement } from '../closure/phases/settlement';", 'workflows/blocks/ does not import procedures'],
  ])('%s: %s fails', async (file, code, expected) => {
    const found = await errors(file, code);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('layering/layers');
    expect(found[0]).toContain(expected);
  });

  it.each([
    ['domain/calendar/planted.ts', "import { addDays } from '../calendar/plainDate';\nimport { D } from '../money';\nimport { z } from 'zod';"],
    ['contracts/planted.ts', "import type { Body } from '../domain/bodies';\nimport type { DeadlineSpecInput } from './deadlines';"],
    ['api/planted.ts', "import { refugeeQuotaSteps } from '../workflows/refugeeQuota/contract';\nimport { quotaTable } from '../workflows/refugeeQuota/messages';"],
    ['workflows/refugeeQuota/contract.ts', "import { defineStep } from '../../contracts/kit/step';\nimport type { Body } from '../../domain/bodies';"],
    ['activities/planted.ts', "import type { RefugeeQuotaDetails } from '../workflows/refugeeQuota/contract';\nimport { withTransaction } from '../db/pool';\nimport { renderCaseEmail } from './emailTemplate';"],
    ['workflows/planted.ts', "import type { Activities } from '../activities';\nimport { type Activities as A } from '../activities/index';\nimport { CaseRecord } from './blocks/caseRecord';\nimport type { ClosureInput } from './closure/contract';"],
    ['workflows/index.ts', "export { closureOfTilbud } from './closure';"],
    ['workflows/closure/flow.ts', "import { closureMessages } from './messages';\nimport { acts } from '../blocks/proxies';"],
    [
      'workflows/closure/phases/planted.ts',
      "import type { ClosureCaseFile } from '../caseFile';\nimport { settlement } from './settlement';\nimport { fmt } from '../messages';\nimport type { ClosureInput } from '../contract';\nimport { acts } from '../../blocks/proxies';\nimport { HOME_REGION } from '../../../domain/region';",
    ],
    ['workflows/closure/workflow.ts', "import { settlement } from './phases/settlement';\nimport { ClosureCaseFile } from './caseFile';"],
    ['workflows/capacityChange/phases/planted.ts', "import type { ClosureInput } from '../../closure/contract';"],
    ['api/planted.ts', "import type { CaseState } from '../contracts/caseState';\nimport { HOME_REGION } from '../domain/region';\nimport { createPool } from '../db/pool';"],
    ['test/planted.ts', "import { closureOfTilbud } from '../workflows/closure';"],
  ])('%s: allowed imports pass', async (file, code) => {
    expect(await errors(file, code)).toEqual([]);
  });
});

describe('layering lint (the project config)', () => {
  it('eslint.config.mjs fails on a violation planted in activities/ and passes the same file without it', { timeout: 120_000 }, async () => {
    const planted = path.join(ROOT, 'activities', `__layering_probe_${process.pid}.ts`);
    const eslint = new ESLint({ cwd: ROOT });
    try {
      writeFileSync(planted, "import type { RefugeeQuotaDetails } from '../workflows/refugeeQuota/workflow';\nexport type Planted = RefugeeQuotaDetails;\n");
      const [bad] = await eslint.lintFiles([planted]);
      expect(bad!.messages.map((m) => m.ruleId)).toEqual(['layering/layers']);
      expect(bad!.messages[0]!.message).toContain('activities/ may not import workflows/');
      writeFileSync(planted, "import type { RefugeeQuotaDetails } from '../workflows/refugeeQuota/contract';\nexport type Planted = RefugeeQuotaDetails;\n");
      const [good] = await new ESLint({ cwd: ROOT }).lintFiles([planted]);
      expect(good!.messages).toEqual([]);
    } finally {
      rmSync(planted, { force: true });
    }
  });
});

/** Every relative import (value or type) of the layered folders, resolved to files. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const p = path.join(dir, name);
      return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
    });
  const files = ['domain', 'contracts', 'activities', 'workflows', 'api', 'db', 'config'].flatMap((d) => walk(path.join(ROOT, d)));
  const resolve = (from: string, spec: string): string | undefined => {
    const base = path.resolve(path.dirname(from), spec);
    return [`${base}.ts`, path.join(base, 'index.ts'), base].find((c) => files.includes(c));
  };
  for (const f of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(f, 'utf8'), true, true);
    graph.set(
      f,
      importedFiles.map((i) => i.fileName).filter((s) => s.startsWith('.')).map((s) => resolve(f, s)).filter((x): x is string => x !== undefined),
    );
  }
  return graph;
}

/** Tarjan's strongly connected components with more than one file: each is an import circle. */
function circles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.map((f) => path.relative(ROOT, f)).sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

describe('import circles', () => {
  it('finds a planted circle', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(circles(g)).toEqual([['a', 'b', 'c']]);
  });

  it('the code base has none (activities ↔ workflows was one of 12 files; type-only imports count too)', () => {
    expect(circles(importGraph())).toEqual([]);
  });
});
