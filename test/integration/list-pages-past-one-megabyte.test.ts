/**
 * A DynamoDB query reads at most 1 MB: a page of large items (jobs and configurations with inline
 * scenarios of some 150 KB) comes back shorter than asked, and must still carry the cursor to the rest
 * (JobService and ConfigurationService over dynalite, which applies the same 1 MB limit).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO, NATION_CODES } from '../../lib/generation/index.js';
import { useAwsEnv } from '../support/aws-env.js';
import { createTestPlatform, principalOf, type TestPlatform, uniqueOwner } from '../support/platform.js';

const env = useAwsEnv();
let platform: TestPlatform;

beforeAll(() => {
  platform = createTestPlatform(env);
});

/** A valid scenario near the largest the bounds allow: 50 fronts of every nation, 50 facilities. */
function largeScenario(): Record<string, unknown> {
  const share = 100 / NATION_CODES.length;
  return {
    ...DEFAULT_SCENARIO,
    total_patients: 1,
    description: 'd'.repeat(500),
    front_configs: Array.from({ length: 50 }, (_, i) => ({
      id: `front-${i}-${'x'.repeat(80)}`,
      name: `Front ${i} ${'y'.repeat(80)}`,
      description: 'z'.repeat(500),
      casualty_rate: 1,
      nationality_distribution: NATION_CODES.map((code) => ({ nationality_code: code, percentage: share })),
    })),
    facility_configs: Array.from({ length: 50 }, (_, i) => ({
      id: `facility-${i}-${'q'.repeat(80)}`,
      name: 'w'.repeat(100),
      role: 'Role2',
      description: 'e'.repeat(500),
      kia_rate: 0.01,
      rtd_rate: 0.5,
    })),
  };
}

/** Every item id of a list, page after page. */
async function everyId<T>(
  page: (cursor: string | null) => Promise<{ items: readonly T[]; next_cursor: string | null }>,
  idOf: (item: T) => string,
): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let n = 0; n < 50; n++) {
    const { items, next_cursor } = await page(cursor);
    ids.push(...items.map(idOf));
    cursor = next_cursor;
    if (!cursor) break;
  }
  return ids;
}

describe('list pages of items past 1 MB', () => {
  it("lists every one of an owner's 12 large jobs, 100 a page", async () => {
    // Prepare
    const principal = principalOf(uniqueOwner());
    const scenario = largeScenario();
    const created: string[] = [];
    for (let i = 0; i < 12; i++) {
      const { job } = await platform.generationService.create(principal, {
        configuration: scenario,
        seed: i,
      });
      created.push(job.job_id);
    }
    // Act
    const listed = await everyId(
      async (cursor) => {
        const page = await platform.jobService.list(principal.owner, { limit: 100, cursor });
        return { items: page.jobs, next_cursor: page.next_cursor };
      },
      (job) => job.job_id,
    );
    // Assert
    expect([...listed].sort()).toEqual([...created].sort());
  });

  it("lists every one of an owner's 12 large configurations, 100 a page", async () => {
    // Prepare
    const owner = uniqueOwner();
    const body = { ...largeScenario(), name: 'Large' };
    const created: string[] = [];
    for (let i = 0; i < 12; i++) created.push((await platform.configurationService.create(owner, body)).id);
    // Act
    const listed = await everyId(
      async (cursor) => {
        const page = await platform.configurationService.list(owner, { limit: 100, cursor });
        return { items: page.configurations, next_cursor: page.next_cursor };
      },
      (configuration) => configuration.id,
    );
    // Assert
    expect([...listed].sort()).toEqual([...created].sort());
  });
});
