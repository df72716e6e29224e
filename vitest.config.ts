import { defineConfig } from 'vitest/config';

// The root project's globalSetup runs once per run, whichever projects run, and what it provides reaches every
// project: one Temporal dev server, PostgreSQL, SMTP catcher and workflow bundle for the whole run. The
// projects below do not extend the root config, so none of them starts the servers again.
const shared = { testTimeout: 60_000, hookTimeout: 120_000 };

export default defineConfig({
  test: {
    globalSetup: ['test/support/globalSetup.ts'],
    projects: [
      {
        // Pure code (domain rules, calendar, deploy helpers): no servers, files in parallel on both cores.
        test: {
          ...shared,
          name: 'unit',
          include: ['test/domain/**/*.test.ts', 'test/deploy/**/*.test.ts'],
          // Starts the whole system (its own dev server and PostgreSQL): with the integration tests, one at a time.
          exclude: ['test/deploy/startStop.test.ts'],
          fileParallelism: true,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        // The stored histories replayed on the run's workflow bundle (CPU only, no servers).
        test: { ...shared, name: 'workflow', include: ['test/procedures/replay.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 } },
      },
      // The rest share the one Temporal dev server, PostgreSQL and SMTP catcher; one file at a time keeps the
      // 2-core machine from starving the Java test server's start-up.
      { test: { ...shared, name: 'integration', include: ['test/integration/**/*.test.ts', 'test/deploy/startStop.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 } } },
      {
        test: {
          ...shared,
          name: 'calendar',
          include: ['test/procedures/**/*.test.ts'],
          exclude: ['test/procedures/replay.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      { test: { ...shared, name: 'browser', include: ['test/browser/**/*.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
