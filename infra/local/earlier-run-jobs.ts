/**
 * Jobs a stopped local stack left unfinished in a kept `--data-dir` (memory/fixes/0174). The job
 * records persist (dynalite) but the queue and the files do not (fauxqs, in memory): a job that was
 * pending, queued or running has no message left that could run it, and a running one has lost its
 * parts. Deployed, the sweeper would fail such a job only after its bound (36 min running, an hour
 * waiting); here the stack knows at start that none can go on, so they are failed before it serves:
 * one conditional write each, the key's running slot given back (lib/domain/stuck-jobs.ts), with a
 * reason that says what happened. A job whose run failed with a retry to come (shown `queued`) lost
 * that retry with the queue and is failed the same way (memory/fixes/0184).
 */
import { paginateScan } from '@aws-sdk/lib-dynamodb';
import { createLogger, createMetrics, ErrorCode } from '../../lib/core/index.js';
import { DEFAULT_MAX_ATTEMPTS, type JobError, StuckJobService } from '../../lib/domain/index.js';
import {
  createAwsClients,
  DynamoJobRepository,
  DynamoUsageCounters,
} from '../../lib/infrastructure/index.js';

/** Why a job of the earlier run was failed. */
export const EARLIER_RUN_JOB_ERROR: JobError = {
  code: ErrorCode.GENERATION_ERROR,
  message:
    'The local stack stopped before this job ended: its queued messages and generated files were kept in ' +
    'memory and are gone (only job records persist in --data-dir). Submit it again.',
};

/** The sweeper's service with the bounds at 0 (every job updated before now) and the restart's reason. */
class EarlierRunJobs extends StuckJobService {
  override sweepError(): JobError {
    return EARLIER_RUN_JOB_ERROR;
  }

  override deadLetterError(): JobError {
    return EARLIER_RUN_JOB_ERROR;
  }
}

/**
 * Jobs whose run failed with a retry of their message to come (shown `queued`, memory/fixes/0153):
 * the retry was that message, in the earlier run's queue. Not in the active-status index the sweep
 * reads, so a scan: once, at start, over a local table.
 */
async function jobsAwaitingRetry(
  clients: ReturnType<typeof createAwsClients>,
  table: string,
): Promise<string[]> {
  const ids: string[] = [];
  const pages = paginateScan(
    { client: clients.documents },
    {
      TableName: table,
      ProjectionExpression: 'job_id',
      FilterExpression: '#status = :failed AND attempts >= :one AND attempts < :max',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':failed': 'failed', ':one': 1, ':max': DEFAULT_MAX_ATTEMPTS },
    },
  );
  for await (const page of pages) for (const item of page.Items ?? []) ids.push(item.job_id as string);
  return ids;
}

/**
 * Fails every pending, queued or running job last updated before this call, and every job awaiting a
 * retry its lost message would have brought. Call it before the
 * gateway serves and while the new queue is empty, so it can only meet jobs of an earlier run.
 * Answers how many it failed.
 */
export async function failJobsOfEarlierRun(env: Readonly<Record<string, string>>): Promise<number> {
  const clients = createAwsClients();
  const jobs = new DynamoJobRepository(clients.documents, env.JOBS_TABLE);
  const metrics = createMetrics({ serviceName: env.POWERTOOLS_SERVICE_NAME, stage: env.STAGE });
  const service = new EarlierRunJobs({
    jobs,
    idle: jobs,
    usage: new DynamoUsageCounters(clients.documents, env.USAGE_TABLE),
    logger: createLogger({
      serviceName: env.POWERTOOLS_SERVICE_NAME,
      logLevel: env.LOG_LEVEL,
      persistentKeys: { stage: env.STAGE, function: 'local-stack-start' },
    }),
    metrics,
    runningIdleLimitMs: 0,
    waitingIdleLimitMs: 0,
  });
  let failed = 0;
  try {
    // Failed for good under the condition that it still awaits its retry (the dead-letter path).
    for (const jobId of await jobsAwaitingRetry(clients, env.JOBS_TABLE)) {
      if ((await service.failDeadLetter(jobId)) === 'failed') failed++;
    }
    // A sweep fails at most its page bound per status; the next one goes on until none is left.
    for (;;) {
      const report = await service.sweep();
      const now = report.failed.pending + report.failed.queued + report.failed.running;
      failed += now;
      if (now === 0) break;
    }
  } finally {
    metrics.flush();
    clients.dynamodb.destroy();
  }
  return failed;
}
