/**
 * The generator worker: one SQS record = one message of the generation queue: a job's
 * `{"job_id"}` (plan it, send its chunk tasks, run chunk 0), a chunk task, a seal task or a finalise
 * task (lib/domain/job-messages.ts, memory/decisions/0906-job-fan-out.md). Powertools BatchProcessor reports
 * failed records as batchItemFailures, so only they are retried (and after maxReceiveCount reach the
 * DLQ); the correlation_id message attribute puts the API request id on every log line of the job.
 *
 * Everything that belongs to one invocation is made per invocation, never per module: the batch
 * processor (its records and results), the logger that carries the Lambda context and the job's
 * keys, and the job runner that logs through it. Lambda runs one invocation per environment at a
 * time, but nothing here relies on it (memory/fixes/0064).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { correlationIdOf, type Logger, traceInvocations, withLogContext } from '../../lib/core/index.js';
import { type GenerationMessage, type JobRunner, parseGenerationMessage } from '../../lib/domain/index.js';
import { logger, metrics, runnerWith } from '../composition/worker.js';

/** What one invocation works with. */
interface Invocation {
  readonly log: Logger;
  readonly runner: JobRunner;
  /** Time left to the invocation: the runner fails a job that cannot finish in it (lib/domain/time-budget.ts). */
  readonly remainingTimeMs: () => number;
}

async function recordHandler(record: SQSRecord, invocation: Invocation): Promise<void> {
  try {
    await processRecord(record, invocation);
  } finally {
    metrics.flush(); // one EMF line per job, whatever its outcome
  }
}

async function processRecord(record: SQSRecord, { log, runner, remainingTimeMs }: Invocation): Promise<void> {
  // Queue wait of the first delivery only: a retry's SentTimestamp also counts the earlier attempts.
  const sentAt = Number(record.attributes.SentTimestamp);
  if (record.attributes.ApproximateReceiveCount === '1' && sentAt > 0) metrics.queueWait(Date.now() - sentAt);
  const correlationId = correlationIdOf(record);
  await withLogContext(log, { correlation_id: correlationId }, async () => {
    let message: GenerationMessage;
    try {
      message = parseGenerationMessage(record.body);
    } catch (error) {
      // A poison message: reported as a batch item failure, retried, then moved to the DLQ.
      log.error('invalid generation message', {
        message_id: record.messageId,
        receive_count: record.attributes.ApproximateReceiveCount,
        error: error as Error,
      });
      throw error;
    }
    // The last delivery of a task fails its job for good (lib/domain/job-runner.ts).
    const receiveCount = Number(record.attributes.ApproximateReceiveCount) || undefined;
    const outcome = await runner.run(message, { correlationId, remainingTimeMs, receiveCount });
    log.info('message processed', {
      job_id: message.job_id,
      kind: message.kind,
      ...(message.kind === 'chunk' ? { chunk: message.chunk } : {}),
      ...(message.kind === 'seal' ? { seal: message.seal } : {}),
      ...(message.kind === 'finalise' ? { finalise: true } : {}),
      message_id: record.messageId,
      outcome,
      receive_count: record.attributes.ApproximateReceiveCount,
    });
  });
}

/**
 * This invocation's logger: the module's logger takes the Lambda context (it keeps the cold start
 * flag of the process) and is copied at once, in the same synchronous step, so a later invocation
 * changing the module's logger never reaches this copy.
 */
function invocationLogger(context: Context): Logger {
  logger.addContext(context);
  return logger.createChild();
}

export const handler = middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  const log = invocationLogger(context);
  const invocation: Invocation = {
    log,
    runner: runnerWith(log),
    remainingTimeMs: () => context.getRemainingTimeInMillis(),
  };
  const processor = new BatchProcessor(EventType.SQS);
  return processPartialResponse(event, (record: SQSRecord) => recordHandler(record, invocation), processor, {
    context,
    processInParallel: false,
  });
}).use(traceInvocations());
