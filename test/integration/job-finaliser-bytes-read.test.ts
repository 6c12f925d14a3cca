/**
 * What the finaliser reads back (lib/domain/object-assembly.ts's bytesRead): with chunk parts of S3's
 * 5 MiB minimum or more, as the chunk plan sizes them (lib/domain/job-chunk-plan.ts), every part is
 * copied in by UploadPartCopy and only the few small pieces (gzip header and trailer, ZIP headers,
 * manifest, central directory) are merged with a bounded read of a neighbour: the bytes read per
 * file stay under a constant, whatever the number of chunks. Over dynalite + the local S3.
 */
import { gunzipSync } from 'node:zlib';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { jobObjectKey } from '../../lib/domain/index.js';
import { JobFinaliser } from '../../lib/domain/job-finaliser.js';
import { JobTransitions } from '../../lib/domain/job-transitions.js';
import { createAwsClients } from '../../lib/infrastructure/index.js';
import { S3_MIN_PART_SIZE } from '../../lib/output/index.js';
import { useAwsEnv } from '../support/aws-env.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { cliBytes, pythonZip, runningJob, sha256, storedBytes, writeAllChunks } from './finaliser-support.js';

const env = useAwsEnv();
let platform: TestPlatform;

beforeAll(async () => {
  const { QueueUrl } = await createAwsClients().sqs.send(
    new CreateQueueCommand({ QueueName: `finaliser-reads-test-${Date.now()}` }),
  );
  platform = createTestPlatform(env, { queueUrl: QueueUrl });
});

/** JSON patients per chunk whose deflated part passes 5 MiB (about 358 bytes a patient). */
const PER_CHUNK = 16_000;

async function assembled(chunks: number) {
  const total = PER_CHUNK * chunks;
  const bounds = Array.from({ length: chunks + 1 }, (_, i) => i * PER_CHUNK);
  const { record, plan } = await runningJob(platform, { formats: ['json'], total, compress: true }, bounds);
  const done = await writeAllChunks(platform, record, plan);
  const transitions = new JobTransitions({
    jobs: platform.jobs,
    usage: platform.usage,
    clock: () => new Date(),
    maxAttempts: 3,
    staleAfterMs: 300_000,
  });
  const finaliser = new JobFinaliser({
    jobs: platform.jobs,
    store: platform.store,
    transitions,
    clock: () => new Date(),
  });
  return { result: await finaliser.assemble(done), record, plan };
}

describe('JobFinaliser reads', () => {
  it('reads a bounded number of bytes per file whatever the chunks: 2 and 4 chunks of 5+ MiB parts', async () => {
    // Act
    const two = await assembled(2);
    const four = await assembled(4);

    // Assert
    const figures = [two, four].map(({ result }) =>
      result.files.map((f) => ({ file: f.file.file_name, size: f.file.size_bytes, bytesRead: f.bytesRead })),
    );
    console.info(
      'finaliser bytes read (2 chunks, 4 chunks of 16,000 JSON patients, gzip):',
      JSON.stringify(figures),
    );
    for (const { result } of [two, four]) {
      for (const file of result.files) {
        // Two small pieces per file at most (head and tail), each merged with under 2 × 5 MiB read.
        expect(file.bytesRead, file.file.file_name).toBeLessThan(4 * S3_MIN_PART_SIZE);
      }
    }
    // Twice the patients, twice the file, not more bytes read.
    expect(four.result.files[0].file.size_bytes).toBeGreaterThan(1.9 * two.result.files[0].file.size_bytes);
    expect(four.result.bytesRead).toBeLessThanOrEqual(two.result.bytesRead + S3_MIN_PART_SIZE);
    // And the files are still right.
    const { record, plan } = four;
    const gz = await storedBytes(platform, jobObjectKey(record.job_id, 'patients.json.gz'));
    expect(gunzipSync(gz).equals((await cliBytes(plan, ['json'])).get('json')!)).toBe(true);
    const zip = await pythonZip(await storedBytes(platform, jobObjectKey(record.job_id, 'patients.zip')));
    expect(zip.entries[0]).toMatchObject({ name: 'patients.json.gz', method: 0, sha256: sha256(gz) });
  }, 300_000);
});
