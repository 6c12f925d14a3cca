import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// One project per test folder (memory/reference/architecture.md). Integration and e2e start real emulators in their globalSetup.
const emulatorSetup = existsSync('test/support/global-setup.ts') ? ['test/support/global-setup.ts'] : [];

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 120_000 } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: emulatorSetup,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: ['test/e2e/console/**'],
          globalSetup: emulatorSetup,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        // The web console in headless Chromium, against one local stack for all its files (README "Web console").
        test: {
          name: 'console',
          include: ['test/e2e/console/**/*.test.ts'],
          globalSetup: ['test/e2e/console/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      { test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 180_000 } },
    ],
  },
});
