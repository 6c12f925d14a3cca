/**
 * A local stand-in for the Lambda SQS event source mapping: long-polls the queue, hands batches to the
 * SQS handler in-process, deletes every message except the reported batchItemFailures, and leaves the
 * whole batch for redelivery when the handler throws (after the visibility timeout the queue redelivers
 * it, and after maxReceiveCount it moves to the DLQ, as in AWS).
 */
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createLambdaContext, LOCAL_ACCOUNT, LOCAL_REGION } from './lambda-context.js';

export type QueueHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

export interface QueuePollerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly handler: QueueHandler;
  readonly functionName?: string;
  /** Messages per invocation (the event source mapping's BatchSize; SQS allows at most 10 per receive). */
  readonly batchSize?: number;
  /** Long-poll wait in seconds (1..20). */
  readonly waitTimeSeconds?: number;
  /** Concurrent pollers, like the mapping's concurrency. */
  readonly concurrency?: number;
  /** The generator's Lambda timeout, for context.getRemainingTimeInMillis(). */
  readonly timeoutMs?: number;
  /** How long stop() waits for running invocations before it returns. */
  readonly drainTimeoutMs?: number;
  readonly onError?: (error: unknown, phase: 'receive' | 'invoke' | 'delete') => void;
  readonly onBatch?: (info: {
    readonly size: number;
    readonly failures: number;
    readonly ms: number;
  }) => void;
}

export interface QueuePoller {
  /** Resolves when every running invocation has finished (or drainTimeoutMs passed). */
  stop(): Promise<void>;
  /** Invocations running now. */
  readonly busy: number;
}

function queueArn(queueUrl: string): string {
  const name = queueUrl.split('/').pop() ?? 'queue';
  return `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${name}`;
}

export function toSqsRecord(message: Message, queueUrl: string): SQSRecord {
  const system = message.Attributes ?? {};
  const now = String(Date.now());
  const messageAttributes: SQSRecord['messageAttributes'] = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      dataType: value.DataType ?? 'String',
      stringValue: value.StringValue,
      binaryValue: value.BinaryValue ? Buffer.from(value.BinaryValue).toString('base64') : undefined,
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
    };
  }
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: system.ApproximateReceiveCount ?? '1',
      SentTimestamp: system.SentTimestamp ?? now,
      SenderId: system.SenderId ?? LOCAL_ACCOUNT,
      ApproximateFirstReceiveTimestamp: system.ApproximateFirstReceiveTimestamp ?? now,
    },
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    md5OfMessageAttributes: message.MD5OfMessageAttributes,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn(queueUrl),
    awsRegion: LOCAL_REGION,
  };
}

export function startQueuePoller(options: QueuePollerOptions): QueuePoller {
  const batchSize = Math.min(10, Math.max(1, options.batchSize ?? 10));
  const wait = Math.min(20, Math.max(1, options.waitTimeSeconds ?? 1));
  const controller = new AbortController();
  let stopped = false;
  let busy = 0;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      controller.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });

  const runBatch = async (messages: Message[]): Promise<void> => {
    const records = messages.map((m) => toSqsRecord(m, options.queueUrl));
    const context = createLambdaContext({
      functionName: options.functionName ?? 'generate-patients',
      timeoutMs: options.timeoutMs ?? 900_000,
    });
    const started = performance.now();
    let response: SQSBatchResponse | undefined;
    busy++;
    try {
      response = await options.handler({ Records: records }, context);
    } catch (error) {
      // The whole batch stays on the queue and is redelivered after its visibility timeout.
      options.onError?.(error, 'invoke');
      options.onBatch?.({ size: records.length, failures: records.length, ms: performance.now() - started });
      return;
    } finally {
      busy--;
    }
    const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    const done = records.filter((r) => !failed.has(r.messageId));
    options.onBatch?.({ size: records.length, failures: failed.size, ms: performance.now() - started });
    if (done.length === 0) return;
    try {
      // Deleting must not be aborted by stop(): a finished batch must never be redelivered.
      await options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
        }),
      );
    } catch (error) {
      options.onError?.(error, 'delete');
    }
  };

  const loop = async (): Promise<void> => {
    while (!stopped) {
      let messages: Message[] = [];
      try {
        const out = await options.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: batchSize,
            WaitTimeSeconds: wait,
            MessageAttributeNames: ['All'],
            MessageSystemAttributeNames: ['All'],
          }),
          { abortSignal: controller.signal },
        );
        messages = out.Messages ?? [];
      } catch (error) {
        if (stopped) break;
        options.onError?.(error, 'receive');
        await pause(1_000);
        continue;
      }
      if (messages.length > 0) await runBatch(messages);
    }
  };

  const loops = Array.from({ length: Math.max(1, options.concurrency ?? 2) }, () => loop());

  return {
    get busy() {
      return busy;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      controller.abort();
      const drain = options.drainTimeoutMs ?? 10_000;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled(loops),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, drain);
          timer.unref();
        }),
      ]);
      clearTimeout(timer);
    },
  };
}
