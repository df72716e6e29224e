// The layering of the code base, checked on every import (no plugin dependency: a local ESLint rule).
//
//   domain/     imports nothing of ours
//   contracts/  imports domain/ only                    (shared types and pure helpers of the procedures)
//   activities/ imports contracts/, domain/, db/, config/ — never workflow code
//   workflows/  imports contracts/, domain/ and workflows/blocks/; of activities/ only `import type { Activities }`
//               from the index (for proxyActivities): what activities and workflows exchange is a contract
//   api/        imports contracts/, domain/, db/, config/ — never workflow or activity implementations
//
// A procedure in workflows/ (workflows/<name>.ts or workflows/<name>/…) does not import another procedure;
// what two procedures share is a contract or a block. workflows/index.ts lists the procedures and may import them.
//
// A procedure's folder holds its contract: workflows/<name>/contract.ts and workflows/<name>/messages.ts are of
// the contracts layer (they import contracts/ and domain/ only, and the API and activities may import them), so
// the procedure is one folder while its workflow code stays out of the API's and the activities' reach. Every other
// file of the folder, in subfolders too (workflows/<name>/phases/…, caseFile.ts, steps.ts), is workflow code of that
// procedure: it may import the folder's other files, never another procedure's workflow code.
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..');

/** Which top-level folders each layer may import from (its own folder included). */
export const LAYERS = {
  domain: ['domain'],
  contracts: ['contracts', 'domain'],
  activities: ['activities', 'contracts', 'domain', 'db', 'config'],
  workflows: ['workflows', 'contracts', 'domain'],
  api: ['api', 'contracts', 'domain', 'db', 'config'],
  db: ['db', 'config', 'domain', 'contracts'],
  config: ['config', 'domain'],
};

/** Imports a layer may make only as `import type` (erased at compile time, so no code crosses), and only of
 * these modules. */
export const TYPE_ONLY = { workflows: { activities: ['activities', path.join('activities', 'index')] } };

const CONTRACT_FILES = new Set(['contract', 'messages']);

/** The layer of a file or an import target: its top folder, except a procedure's contract files. */
function topFolder(rel) {
  const parts = rel.split(path.sep);
  if (parts.length === 3 && parts[0] === 'workflows' && parts[1] !== 'blocks' && CONTRACT_FILES.has(parts[2].replace(/\.ts$/, ''))) return 'contracts';
  return parts.length > 1 ? parts[0] : undefined;
}

/** The procedure a workflows/ file belongs to; undefined for blocks and the index. */
function procedureOf(rel) {
  const parts = rel.split(path.sep);
  if (parts[0] !== 'workflows' || parts[1] === 'blocks') return undefined;
  if (parts.length === 2) return parts[1] === 'index.ts' ? undefined : parts[1].replace(/\.ts$/, '');
  return parts[1];
}

/** Import paths name modules without the extension; procedureOf on a target needs the file's own name. */
function targetProcedure(relTarget) {
  const parts = relTarget.split(path.sep);
  if (parts[0] !== 'workflows' || parts[1] === 'blocks' || parts[1] === undefined) return undefined;
  if (parts.length === 2) return parts[1] === 'index' ? undefined : parts[1].replace(/\.ts$/, '');
  return parts[1];
}

function isTypeOnly(node) {
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  const specs = node.specifiers ?? [];
  return specs.length > 0 && specs.every((s) => s.importKind === 'type' || s.exportKind === 'type');
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforces the layering domain ← contracts ← activities / workflows ← api (see eslint/layering.mjs).' },
    schema: [],
    messages: {
      layer: '{{from}}/ may not import {{to}}/ ("{{source}}"). Allowed: {{allowed}}. Move what is shared into contracts/ or domain/.',
      typeOnly: '{{from}}/ may import {{to}}/ only with `import type` ("{{source}}").',
      typeOnlyModule: '{{from}}/ may import from {{to}}/ only the type of its index ("{{source}}"); shared types belong in contracts/.',
      procedure: 'A procedure does not import another procedure ("{{source}}"); share it through contracts/ or workflows/blocks/.',
      blocks: 'workflows/blocks/ does not import procedures ("{{source}}").',
    },
  },
  create(context) {
    const file = context.filename ?? context.getFilename();
    const rel = path.relative(REPO_ROOT, file);
    if (rel.startsWith('..')) return {};
    const from = topFolder(rel);
    const allowed = from && LAYERS[from];
    if (!allowed) return {};
    const check = (node, sourceNode) => {
      const source = sourceNode?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = path.relative(REPO_ROOT, path.resolve(path.dirname(file), source));
      if (target.startsWith('..')) return;
      const to = topFolder(target) ?? target;
      if (!allowed.includes(to)) {
        const typeOnlyModules = TYPE_ONLY[from]?.[to];
        if (typeOnlyModules) {
          const module = target.replace(/\.ts$/, '');
          if (!typeOnlyModules.includes(module)) context.report({ node, messageId: 'typeOnlyModule', data: { from, to, source } });
          else if (!isTypeOnly(node)) context.report({ node, messageId: 'typeOnly', data: { from, to, source } });
          return;
        }
        context.report({ node, messageId: 'layer', data: { from, to, source, allowed: allowed.map((a) => `${a}/`).join(', ') } });
        return;
      }
      if (from === 'workflows' && to === 'workflows') {
        const mine = procedureOf(rel);
        const theirs = targetProcedure(target);
        const inBlocks = rel.split(path.sep)[1] === 'blocks';
        if (theirs !== undefined && inBlocks) context.report({ node, messageId: 'blocks', data: { source } });
        else if (theirs !== undefined && mine !== undefined && theirs !== mine) context.report({ node, messageId: 'procedure', data: { source } });
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      TSImportType: (node) => check({ ...node, importKind: 'type' }, node.argument?.literal ?? node.argument),
    };
  },
};

export default { meta: { name: 'layering' }, rules: { layers: rule } };
