/**
 * The local stand-in for the DLQ consumer's event source mapping: polls the generation queue's
 * dead-letter queue (GENERATION_DLQ_URL, infra/local/emulators.ts) and hands its messages to the
 * dead-letters handler (functions/queue/dead-letters.ts), through the same queue poller as the
 * generator (queue-poller.ts): what the handler reports as failed stays on the DLQ and comes back.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { type QueueHandler, type QueuePoller, startQueuePoller } from './queue-poller.js';

export interface DeadLetterPollerOptions {
  readonly sqs: SQSClient;
  /** The dead-letter queue of the generation queue. */
  readonly queueUrl: string;
  readonly handler: QueueHandler;
  readonly functionName?: string;
  readonly onError?: (error: unknown, phase: string) => void;
}

/** Batches of up to 10 dead messages, like the deployed event source (infra/constructs/stuck-job-guards.ts). */
export function startDeadLetterPoller(options: DeadLetterPollerOptions): QueuePoller {
  return startQueuePoller({
    sqs: options.sqs,
    queueUrl: options.queueUrl,
    handler: options.handler,
    functionName: options.functionName ?? 'dead-letters',
    batchSize: 10,
    waitTimeSeconds: 1,
    timeoutMs: 60_000,
    onError: options.onError,
  });
}
