import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// One project per test folder (memory/reference/architecture.md). Integration and e2e start real emulators in their globalSetup.
// Groups run in order: unit and infra on two workers, then integration, e2e and the console one file at
// a time (they share emulators, or time jobs and browsers that other files would slow down).
const UNIT_ISOLATED = [
  'test/unit/output/write-patients.test.ts',
  'test/unit/output/crypto-stream.test.ts',
  'test/unit/infrastructure/clients.test.ts',
];
/** FAST_CHECK_SEED, where set, replays one seed in every property test (.ci/run sets it per commit). */
const propertySeed = ['test/support/property-seed.ts'];
const emulatorSetup = existsSync('test/support/global-setup.ts') ? ['test/support/global-setup.ts'] : [];

export default defineConfig({
  test: {
    projects: [
      {
        // Unit files share their workers' module graph (no re-import per file: about 90 s less in CI)...
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          exclude: UNIT_ISOLATED,
          setupFiles: propertySeed,
          testTimeout: 120_000,
          isolate: false,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        // ...except those that measure their process's heap or change its environment.
        test: {
          name: 'unit-isolated',
          include: UNIT_ISOLATED,
          setupFiles: propertySeed,
          testTimeout: 120_000,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          // One module graph for all its files, as the unit project (memory/decisions/0925).
          isolate: false,
          include: ['test/integration/**/*.test.ts'],
          globalSetup: emulatorSetup,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
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
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
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
          maxWorkers: 1,
          sequence: { groupOrder: 3 },
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 180_000,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
    ],
  },
});
