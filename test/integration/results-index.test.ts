/**
 * A filtered page of a fanned-out job's results comes from the job's results index, then only the
 * page's records (lib/domain/results-index.ts, memory/fixes/0211-filtered-results-read-the-whole-file.md):
 * the same total and records as the scan of the whole file, plain or compressed, JSON or NDJSON; a
 * filter's next pages reuse its matches (fix 0213); an encrypted job keeps no index. Over dynalite and
 * the local S3.
 */
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ResultsFilter, resultsIndexPrefix } from '../../lib/domain/index.js';
import { createAwsClients } from '../../lib/infrastructure/index.js';
import { useAwsEnv } from '../support/aws-env.js';
import { completedFanOutJob, recordingStore, runToCompletion } from '../support/job-queue.js';
import {
  createTestPlatform,
  fanOutRunner,
  jobServiceOver,
  principalOf,
  type TestPlatform,
  uniqueOwner,
} from '../support/platform.js';

const env = useAwsEnv();
const sqs = createAwsClients().sqs;
let platform: TestPlatform;
let queueUrl: string;

beforeAll(async () => {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: `results-index-test-${Date.now()}` }),
  );
  queueUrl = QueueUrl!;
  platform = createTestPlatform(env, { queueUrl });
});

describe.each([
  { format: 'json', compressed: false },
  { format: 'ndjson', compressed: true },
  { format: 'json', compressed: true },
])('filtered results of a fanned-out $format job (compressed: $compressed)', ({ format, compressed }) => {
  it('come from the index with the same total and records as the scan of the whole file', async () => {
    // Prepare: 1,000 patients in chunks of 300: [0, 250, 500, 750, 1000].
    const owner = uniqueOwner('index');
    const jobId = await completedFanOutJob(
      platform,
      owner,
      {
        configuration: { name: 'Indexed', count: 1_000, days_of_fighting: 3 },
        output_formats: [format, 'csv'],
        use_compression: compressed,
        seed: 91,
      },
      { sqs, queueUrl },
    );
    const { store, opens } = recordingStore(platform.store);
    const service = jobServiceOver(platform, store);
    const all = (await service.results(owner, jobId, { page: 1, per_page: 1_000 })).patients as {
      id: number;
      nationality: string;
      front: string;
      demographics: { family_name: string };
    }[];
    const late = all[990];
    const filters: ResultsFilter[] = [
      { triage: ['T1'] },
      { status: ['KIA', 'DOW'] },
      { nationality: [late.nationality], triage: ['T2'] },
      { front: late.front },
      { q: late.demographics.family_name },
    ];
    const pages = [
      { page: 1, per_page: 20 },
      { page: 4, per_page: 30 },
    ];
    // A service that keeps no matches, so the scan below is a scan.
    const noCache = jobServiceOver(platform, store, { matchIdCacheBytes: 0 });
    const ask = (by = service) =>
      Promise.all(
        filters.flatMap((filter) => pages.map((page) => by.results(owner, jobId, { ...filter, ...page }))),
      );

    // Act: through the index, then (the index removed) by the scan of the whole file
    const indexKeys = await platform.store.list(resultsIndexPrefix(jobId));
    opens.length = 0;
    const indexed = await ask();
    const indexedOpens = [...opens];
    await platform.store.deletePrefix(resultsIndexPrefix(jobId));
    const scanned = await ask(noCache);

    // Assert: one index object per chunk, the parts gone, the same answers
    expect(indexKeys).toHaveLength(4);
    expect(await platform.store.list(`jobs/${jobId}/parts/`)).toEqual([]);
    expect(indexed).toEqual(scanned);
    expect(indexed.some((page) => page.patients.length > 0 && page.total < 1_000)).toBe(true);
    // The family name of patient 990: its page is read from the last chunk, not from the file's start.
    const byName = indexed[8];
    expect(byName.patients.map((p) => (p as { id: number }).id)).toContain(990);
    expect(indexedOpens.filter((from) => from > 0).length).toBeGreaterThan(0);
  });
});

it('keeps a filter`s matches for its next pages: no second pass over the index, the same answers', async () => {
  // Prepare
  const owner = uniqueOwner('index-cache');
  const jobId = await completedFanOutJob(
    platform,
    owner,
    {
      configuration: { name: 'Paged', count: 1_000, days_of_fighting: 3 },
      output_formats: ['json'],
      seed: 13,
    },
    { sqs, queueUrl },
  );
  const { store, openedKeys } = recordingStore(platform.store);
  const service = jobServiceOver(platform, store);
  const fresh = () => jobServiceOver(platform);
  const indexReads = () => openedKeys.filter((key) => key.startsWith(resultsIndexPrefix(jobId))).length;
  const t1 = { triage: ['T1'], per_page: 25 };

  // Act
  const first = await service.results(owner, jobId, { ...t1, page: 1 });
  const afterFirst = indexReads();
  const next = await Promise.all([2, 3, 4].map((page) => service.results(owner, jobId, { ...t1, page })));
  const afterNext = indexReads();
  const other = await service.results(owner, jobId, { status: ['KIA'], page: 1 });

  // Assert: four index objects read once for T1, not again for its next pages, again for KIA
  expect(afterFirst).toBe(4);
  expect(afterNext).toBe(4);
  expect(indexReads()).toBe(8);
  expect(next).toEqual(
    await Promise.all([2, 3, 4].map((page) => fresh().results(owner, jobId, { ...t1, page }))),
  );
  expect(first.total).toBe(next[0].total);
  expect(other).toEqual(await fresh().results(owner, jobId, { status: ['KIA'], page: 1 }));
});

it('an encrypted job keeps no results index', async () => {
  // Prepare
  const owner = uniqueOwner('index-enc');
  const { job_id: jobId } = (
    await platform.generationService.create(principalOf(owner), {
      configuration: { name: 'Sealed', count: 600, days_of_fighting: 2 },
      output_formats: ['json'],
      use_encryption: true,
      encryption_password: 'correct horse battery',
      seed: 5,
    })
  ).job;

  // Act
  await runToCompletion(fanOutRunner(platform, 300), jobId, { sqs, queueUrl });

  // Assert
  expect((await platform.jobs.get(jobId))!.status).toBe('completed');
  expect(await platform.store.list(`jobs/${jobId}/`)).not.toContainEqual(
    expect.stringContaining('results-index'),
  );
});
