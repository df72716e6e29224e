import { defineConfig } from 'vitest/config';

// The root project's globalSetup runs once per run, whichever projects run, and what it provides reaches every
// project: one Temporal dev server, PostgreSQL, SMTP catcher and workflow bundle for the whole run. The
// projects below do not extend the root config, so none of them starts the servers again.
const shared = { testTimeout: 60_000, hookTimeout: 120_000 };
// Pure code: no servers. A deploy test that starts the whole system (startStop) belongs to integration.
const UNIT = [
  'test/domain/**/*.test.ts',
  'test/api/**/*.test.ts',
  'test/activities/**/*.test.ts',
  'test/lint/**/*.test.ts',
  'test/deploy/embeddedPostgresPath.test.ts',
  'test/deploy/mailCatcher.test.ts',
];
// The stored histories replayed, and each procedure's branches on the time-skipping server with in-memory
// activities (support/workflowHarness.ts).
const WORKFLOW = ['test/procedures/replay.test.ts', 'test/workflows/**/*.test.ts'];
const CALENDAR = ['test/procedures/**/*.test.ts'];
const BROWSER = ['test/browser/**/*.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/support/globalSetup.ts'],
    projects: [
      {
        // Pure code (domain rules, calendar, deploy helpers): no servers, files in parallel on both cores.
        test: {
          ...shared,
          name: 'unit',
          include: UNIT,
          fileParallelism: true,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        // The stored histories replayed on the run's workflow bundle, and the branch tests (a time-skipping test
        // server per file, activities in memory).
        test: { ...shared, name: 'workflow', include: WORKFLOW, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
      // The rest share the one Temporal dev server, PostgreSQL and SMTP catcher; one file at a time keeps the
      // 2-core machine from starving the Java test server's start-up.
      // Every test file no other project takes runs here, so a new folder of tests is never left out.
      {
        test: {
          ...shared,
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: [...UNIT, ...WORKFLOW, ...CALENDAR, ...BROWSER],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          ...shared,
          name: 'calendar',
          include: CALENDAR,
          exclude: WORKFLOW,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      { test: { ...shared, name: 'browser', include: BROWSER, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
