/**
 * The DLQ consumer: one record = one generation message that failed every delivery
 * (maxReceiveCount) and moved to the generation queue's dead-letter queue. Its job is failed with
 * GENERATION_ERROR and the reason, unless it has ended, and its API key's running slot is given back
 * (lib/domain/stuck-jobs.ts). A message that is not a generation message ({"job_id": …}) has no job
 * to fail: it is logged and consumed. A record whose job could not be written is reported as a batch
 * item failure, so the DLQ hands it back later (the DLQ keeps messages 14 days).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { correlationIdOf, tracer, withLogContext } from '../../lib/core/index.js';
import { logger, metrics, stuckJobs } from '../composition/dead-letters.js';

/** The generator's message (functions/queue/generate-patients.ts, lib/infrastructure/sqs-job-queue.ts). */
const GenerationMessageSchema = z.object({ job_id: z.string().min(1) });

/** The job id of a generation message, or undefined for anything else. */
export function jobIdOf(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const message = GenerationMessageSchema.safeParse(parsed);
  return message.success ? message.data.job_id : undefined;
}

async function recordHandler(record: SQSRecord): Promise<void> {
  const correlationId = correlationIdOf(record);
  await withLogContext(logger, { correlation_id: correlationId }, async () => {
    const jobId = jobIdOf(record.body);
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
  .use(captureLambdaHandler(tracer(), { captureResponse: false }))
  .use(injectLambdaContext(logger, { resetKeys: true }));
