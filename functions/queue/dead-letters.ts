/**
 * The DLQ consumer: one record = one generation message that failed every delivery
 * (maxReceiveCount) and moved to the generation queue's dead-letter queue. Its job is failed with
 * GENERATION_ERROR and the reason, unless it has ended, and its API key's running slot is given back
 * (lib/domain/stuck-jobs.ts). Any message of the generation queue carries `job_id` (the job message,
 * a chunk, seal or finalise task: lib/domain/job-messages.ts), so a dead task fails its job too. A message
 * without one has no job to fail: it is logged and consumed. A record whose job could not be written is reported as a batch
 * item failure, so the DLQ hands it back later (the DLQ keeps messages 14 days).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { correlationIdOf, traceInvocations, withLogContext } from '../../lib/core/index.js';
import { deadMessageJobId } from '../../lib/domain/index.js';
import { logger, metrics, stuckJobs } from '../composition/dead-letters.js';

async function recordHandler(record: SQSRecord): Promise<void> {
  const correlationId = correlationIdOf(record);
  await withLogContext(logger, { correlation_id: correlationId }, async () => {
    const jobId = deadMessageJobId(record.body);
    if (!jobId) {
      logger.error('dead message was not a valid generation message; consumed', {
        message_id: record.messageId,
        body_bytes: Buffer.byteLength(record.body),
      });
      return;
    }
    const outcome = await stuckJobs.failDeadLetter(jobId);
    logger.info('dead message handled', { job_id: jobId, message_id: record.messageId, outcome });
  });
}

export const handler = middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  // One processor per invocation: concurrent invocations in one process share nothing.
  const processor = new BatchProcessor(EventType.SQS);
  try {
    return await processPartialResponse(event, recordHandler, processor, { context });
  } finally {
    metrics.flush();
  }
})
  .use(traceInvocations())
  .use(injectLambdaContext(logger, { resetKeys: true }));
