/**
 * A local stand-in for the Lambda SQS event source mapping: long-polls the queue, hands batches to the
 * SQS handler in-process, deletes every message except the reported batchItemFailures, and leaves the
 * whole batch for redelivery when the handler throws (when its visibility ends the queue redelivers
 * it, and after maxReceiveCount it moves to the DLQ, as in AWS). One invocation at a time; with a
 * heartbeat, the visibility of the messages it holds is renewed in short windows while it runs.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { LOCAL_STAGE } from '../config/generation-timing.js';
import { createLambdaContext, LOCAL_ACCOUNT, LOCAL_REGION } from './lambda-context.js';

export type QueueHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

/** A message an invocation holds: what the supervisor needs to release it if the process dies. */
export interface HeldMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
}

/**
 * Keeps the messages of a running invocation hidden by short, renewed windows instead of the queue's
 * long visibility timeout: a process that dies stops renewing, and its messages come back within one
 * window (memory/decisions/0902-local-workers.md).
 */
export interface VisibilityHeartbeat {
  /** Seconds each receive and each renewal hides the messages for. */
  readonly windowSeconds: number;
  /** Seconds between renewals; below windowSeconds. */
  readonly everySeconds: number;
}

export interface QueuePollerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly handler: QueueHandler;
  readonly functionName?: string;
  /** Messages per invocation (the event source mapping's BatchSize; SQS allows at most 10 per receive). */
  readonly batchSize?: number;
  /** Long-poll wait in seconds (1..20). */
  readonly waitTimeSeconds?: number;
  /** Renew the visibility of held messages while the handler runs; absent: the queue's timeout. */
  readonly heartbeat?: VisibilityHeartbeat;
  /**
   * The generator's Lambda timeout, for context.getRemainingTimeInMillis() (default the stages'
   * generator timeout, LOCAL_STAGE in infra/config/generation-timing.ts).
   */
  readonly timeoutMs?: number;
  /** How long stop() waits for the running invocation before it returns. */
  readonly drainTimeoutMs?: number;
  readonly onError?: (error: unknown, phase: 'receive' | 'invoke' | 'delete' | 'heartbeat') => void;
  /** An invocation starts (with the messages it holds) or ends (its messages deleted or left). */
  readonly onInvocation?: (phase: 'start' | 'end', messages: readonly HeldMessage[]) => void;
  readonly onBatch?: (info: {
    readonly size: number;
    readonly failures: number;
    readonly ms: number;
  }) => void;
}

export interface QueuePoller {
  /** Resolves when the running invocation has finished (or drainTimeoutMs passed). */
  stop(): Promise<void>;
  /** Invocations running now: 0 or 1. */
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

/**
 * One poller is one execution environment: it runs one invocation at a time, as Lambda does, so a
 * handler never shares module state with a second invocation in its process (memory/fixes/0064).
 * More concurrency means more processes (infra/local/worker-pool.ts).
 */
export function startQueuePoller(options: QueuePollerOptions): QueuePoller {
  const batchSize = Math.min(10, Math.max(1, options.batchSize ?? 10));
  const wait = Math.min(20, Math.max(1, options.waitTimeSeconds ?? 1));
  const heartbeat = options.heartbeat;
  if (heartbeat && !(heartbeat.everySeconds > 0 && heartbeat.everySeconds < heartbeat.windowSeconds)) {
    throw new Error('heartbeat.everySeconds must be above 0 and below heartbeat.windowSeconds');
  }
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

  /** Renews the window of the held messages every `everySeconds` until the returned stop is called. */
  const keepHidden = (held: readonly HeldMessage[]): (() => Promise<void>) => {
    if (!heartbeat) return async () => undefined;
    let renewing: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      renewing = options.sqs
        .send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: options.queueUrl,
            Entries: held.map((m, i) => ({
              Id: String(i),
              ReceiptHandle: m.receiptHandle,
              VisibilityTimeout: heartbeat.windowSeconds,
            })),
          }),
        )
        .then((out) => {
          if (out.Failed?.length)
            options.onError?.(
              new Error(`renewing ${out.Failed.length} message(s) failed: ${out.Failed[0].Message}`),
              'heartbeat',
            );
        })
        .catch((error: unknown) => options.onError?.(error, 'heartbeat'));
    }, heartbeat.everySeconds * 1000);
    return async () => {
      clearInterval(timer);
      // A renewal in flight must not land after the delete.
      await renewing;
    };
  };

  const runBatch = async (messages: Message[]): Promise<void> => {
    const records = messages.map((m) => toSqsRecord(m, options.queueUrl));
    const held = records.map((r) => ({ messageId: r.messageId, receiptHandle: r.receiptHandle }));
    const context = createLambdaContext({
      functionName: options.functionName ?? 'generate-patients',
      timeoutMs: options.timeoutMs ?? LOCAL_STAGE.generatorTimeoutSeconds * 1000,
    });
    const started = performance.now();
    let response: SQSBatchResponse | undefined;
    busy++;
    options.onInvocation?.('start', held);
    const stopHeartbeat = keepHidden(held);
    try {
      response = await options.handler({ Records: records }, context);
    } catch (error) {
      // The whole batch stays on the queue and comes back when its visibility ends.
      options.onError?.(error, 'invoke');
      options.onBatch?.({ size: records.length, failures: records.length, ms: performance.now() - started });
      await stopHeartbeat();
      busy--;
      options.onInvocation?.('end', held);
      return;
    }
    await stopHeartbeat();
    const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    const done = records.filter((r) => !failed.has(r.messageId));
    options.onBatch?.({ size: records.length, failures: failed.size, ms: performance.now() - started });
    try {
      // Deleting must not be aborted by stop(): a finished batch must never be redelivered.
      if (done.length > 0) {
        await options.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: options.queueUrl,
            Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
          }),
        );
      }
    } catch (error) {
      options.onError?.(error, 'delete');
    } finally {
      busy--;
      options.onInvocation?.('end', held);
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
            // With a heartbeat, a message is hidden one window at a time from its first receive.
            VisibilityTimeout: heartbeat?.windowSeconds,
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

  const running = loop();

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
        running,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, drain);
          timer.unref();
        }),
      ]);
      clearTimeout(timer);
    },
  };
}
