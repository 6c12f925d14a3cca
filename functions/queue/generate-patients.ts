/**
 * The generator worker: one SQS record = one job ({"job_id": …}). Powertools BatchProcessor reports
 * failed records as batchItemFailures, so only they are retried (and after maxReceiveCount reach the
 * DLQ); the correlation_id message attribute puts the API request id on every log line of the job.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { correlationIdOf, tracer, ValidationError, withLogContext, zodIssues } from '../../lib/core/index.js';
import { logger, metrics, runner } from '../composition/worker.js';

const GenerationMessageSchema = z.object({ job_id: z.string().min(1) });

const processor = new BatchProcessor(EventType.SQS);

function parseMessage(record: SQSRecord): string {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    throw new ValidationError(`message ${record.messageId} is not JSON`);
  }
  const parsed = GenerationMessageSchema.safeParse(body);
  if (!parsed.success) throw ValidationError.fromIssues(zodIssues(parsed.error));
  return parsed.data.job_id;
}

async function recordHandler(record: SQSRecord): Promise<void> {
  try {
    await processRecord(record);
  } finally {
    metrics.flush(); // one EMF line per job, whatever its outcome
  }
}

async function processRecord(record: SQSRecord): Promise<void> {
  // Queue wait of the first delivery only: a retry's SentTimestamp also counts the earlier attempts.
  const sentAt = Number(record.attributes.SentTimestamp);
  if (record.attributes.ApproximateReceiveCount === '1' && sentAt > 0) metrics.queueWait(Date.now() - sentAt);
  const correlationId = correlationIdOf(record);
  await withLogContext(logger, { correlation_id: correlationId }, async () => {
    let jobId: string;
    try {
      jobId = parseMessage(record);
    } catch (error) {
      // A poison message: reported as a batch item failure, retried, then moved to the DLQ.
      logger.error('invalid generation message', {
        message_id: record.messageId,
        receive_count: record.attributes.ApproximateReceiveCount,
        error: error as Error,
      });
      throw error;
    }
    const outcome = await runner.run(jobId, { correlationId });
    logger.info('message processed', {
      job_id: jobId,
      message_id: record.messageId,
      outcome,
      receive_count: record.attributes.ApproximateReceiveCount,
    });
  });
}

export const handler = middy(
  async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, recordHandler, processor, { context, processInParallel: false }),
)
  .use(captureLambdaHandler(tracer(), { captureResponse: false }))
  .use(injectLambdaContext(logger, { resetKeys: true }));
