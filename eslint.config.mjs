// Lint is part of `npm test`. Two things matter most here: no floating promises anywhere (a lost await in an
// activity or a route silently drops work), nothing in workflow code that breaks determinism, and no import
// across the layers (eslint/layering.mjs).
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import layering from './eslint/layering.mjs';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', 'coverage/**', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    // The layers and what each may import: eslint/layering.mjs (and the README's "Layers").
    files: ['domain/**/*.ts', 'contracts/**/*.ts', 'activities/**/*.ts', 'workflows/**/*.ts', 'api/**/*.ts', 'db/**/*.ts', 'config/**/*.ts'],
    plugins: { layering },
    rules: { 'layering/layers': 'error' },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no I/O, no node built-ins, no clients, and
    // activities only as types (their implementations run in the worker, outside the sandbox).
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'Node built-ins are not deterministic; do this in an activity.' })),
            ...['pg', 'nodemailer', 'express', 'date-holidays', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'].map((name) => ({
              name,
              message: 'Not allowed in workflow code: do this in an activity.',
            })),
          ],
          patterns: [
            { group: ['**/activities', '**/activities/*', '**/activities/**'], allowTypeImports: true, message: 'Import activities with `import type` and call them through proxyActivities.' },
            { group: ['**/api/**', '**/db/**', '**/worker/**', '**/deploy/**', '**/config', '**/config/**'], message: 'Not allowed in workflow code.' },
            { group: ['**/domain/calendar/holidays'], message: 'Holiday tables come from an activity; workflows get deadline values.' },
          ],
        },
      ],
    },
  },
);
