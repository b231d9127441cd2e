import { defineConfig } from 'vitest/config';

const shared = {
  env: {
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
  },
};

export default defineConfig({
  test: {
    projects: [
      // Training a scorecard takes about a second alone; the margin covers a busy 2-core CI machine.
      { test: { ...shared, name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000 } },
      {
        test: {
          ...shared,
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          // The handlers log at DEBUG here, captured and scanned for personal data, never printed.
          setupFiles: ['test/support/capture-logs.ts'],
          env: { ...shared.env, POWERTOOLS_LOG_LEVEL: 'DEBUG' },
          globalSetup: ['test/support/dynamodb-global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          ...shared,
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
