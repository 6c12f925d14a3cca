/**
 * The local event source mapping (infra/local/queue-poller.ts) against the SQS emulator: one
 * invocation at a time per poller (memory/fixes/0064), a running message kept hidden by heartbeat past
 * its window, and a message that is not deleted back within one window instead of the queue's long
 * visibility timeout (memory/decisions/0902-local-workers.md).
 */
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOCAL_STAGE } from '../../infra/config/index.js';
import { type QueuePoller, startQueuePoller } from '../../infra/local/queue-poller.js';
import { useAwsEnv } from '../support/aws-env.js';

useAwsEnv();
let sqs: SQSClient;
const pollers: QueuePoller[] = [];

beforeAll(() => {
  sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
});

afterAll(async () => {
  await Promise.all(pollers.map((p) => p.stop()));
  sqs.destroy();
});

/** The deployed (and local) queue's visibility timeout: 720 s, 6 × the generator's timeout. */
const VISIBILITY_SECONDS = LOCAL_STAGE.generationQueue.visibilityTimeoutSeconds;

/** A queue of its own with the deployed visibility timeout, so only a heartbeat can shorten it. */
async function newQueue(label: string): Promise<string> {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
      Attributes: { VisibilityTimeout: String(VISIBILITY_SECONDS) },
    }),
  );
  return QueueUrl!;
}

async function counts(queueUrl: string): Promise<{ visible: number; hidden: number }> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(Attributes?.ApproximateNumberOfMessages ?? 0),
    hidden: Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('local queue poller', () => {
  it('runs one invocation at a time and deletes each finished message', async () => {
    // Prepare: three messages waiting, a handler that notes how many invocations overlap.
    const queueUrl = await newQueue('one-at-a-time');
    for (const n of [1, 2, 3]) {
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ n }) }));
    }
    let running = 0;
    let most = 0;
    const seen: string[] = [];
    const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
      running++;
      most = Math.max(most, running);
      await sleep(300);
      seen.push(...event.Records.map((r) => r.body));
      running--;
      return { batchItemFailures: [] };
    };

    // Act
    const poller = startQueuePoller({ sqs, queueUrl, handler, batchSize: 1, waitTimeSeconds: 1 });
    pollers.push(poller);
    await vi.waitUntil(() => seen.length === 3, { timeout: 20_000, interval: 50 });
    await poller.stop();

    // Assert
    expect(most).toBe(1);
    expect(seen.sort()).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
    expect(await counts(queueUrl)).toEqual({ visible: 0, hidden: 0 });
  });

  it('keeps a running message hidden by heartbeat well past its window, then deletes it', async () => {
    // Prepare: a 2 s window renewed every 0.5 s, a handler that runs 5 s.
    const queueUrl = await newQueue('heartbeat');
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'long' }));
    let started = false;
    let finished = false;
    const handler = async (): Promise<SQSBatchResponse> => {
      started = true;
      await sleep(5_000);
      finished = true;
      return { batchItemFailures: [] };
    };
    const poller = startQueuePoller({
      sqs,
      queueUrl,
      handler,
      batchSize: 1,
      waitTimeSeconds: 1,
      heartbeat: { windowSeconds: 2, everySeconds: 0.5 },
    });
    pollers.push(poller);
    await vi.waitUntil(() => started, { timeout: 10_000, interval: 20 });

    // Act: another consumer asks for it again and again while the handler runs.
    const stolen: string[] = [];
    while (!finished) {
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
      stolen.push(...(out.Messages ?? []).map((m) => m.Body ?? ''));
    }
    await poller.stop();

    // Assert
    expect(stolen).toEqual([]);
    expect(await counts(queueUrl)).toEqual({ visible: 0, hidden: 0 });
  });

  it('lets a message it does not delete come back within one window, not the queue visibility timeout', async () => {
    // Prepare: a handler that reports its record failed once, then succeeds.
    const queueUrl = await newQueue('window');
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'retry me' }));
    const receives: Array<{ at: number; count: string }> = [];
    const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
      const [record] = event.Records;
      receives.push({ at: Date.now(), count: record.attributes.ApproximateReceiveCount });
      return { batchItemFailures: receives.length === 1 ? [{ itemIdentifier: record.messageId }] : [] };
    };

    // Act
    const poller = startQueuePoller({
      sqs,
      queueUrl,
      handler,
      batchSize: 1,
      waitTimeSeconds: 1,
      heartbeat: { windowSeconds: 2, everySeconds: 1 },
    });
    pollers.push(poller);
    await vi.waitUntil(() => receives.length === 2, { timeout: 15_000, interval: 50 });
    await poller.stop();

    // Assert: back after about one window (2 s), far below the queue's visibility timeout.
    expect(receives.map((r) => r.count)).toEqual(['1', '2']);
    const gap = receives[1].at - receives[0].at;
    expect(gap).toBeGreaterThanOrEqual(1_500);
    expect(gap).toBeLessThan(6_000);
    expect(await counts(queueUrl)).toEqual({ visible: 0, hidden: 0 });
  });
});
