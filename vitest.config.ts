import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/globalSetup.ts'],
    // Integration tests share one Temporal dev server, PostgreSQL and SMTP catcher started by deploy/test.sh;
    // running files one at a time keeps the 2-core machine from starving the Java test server's 5 s start-up.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
