/**
 * Helpers for integration tests that run a fanned-out job through a real queue (the local SQS) by
 * hand: its messages one after another, and a store that notes where each read starts.
 */
import type { Readable } from 'node:stream';
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  type GenerationMessage,
  type JobRunner,
  parseGenerationMessage,
  type ResultStore,
} from '../../lib/domain/index.js';
import { fanOutRunner, principalOf, type TestPlatform } from './platform.js';

/** `store`, noting the byte each open starts at, and the key each open reads; `onOpen` sees each stream. */
export function recordingStore(
  store: ResultStore,
  onOpen?: (stream: Readable) => void,
): {
  store: ResultStore;
  opens: number[];
  openedKeys: string[];
  /** Every stream `open` answered, to check that each was released. */
  streams: Readable[];
} {
  const opens: number[] = [];
  const openedKeys: string[] = [];
  const streams: Readable[] = [];
  const recording = Object.create(store) as ResultStore;
  recording.open = async (key: string, from?: number, signal?: AbortSignal) => {
    opens.push(from ?? 0);
    openedKeys.push(key);
    const stream = await store.open(key, from, signal);
    streams.push(stream);
    onOpen?.(stream);
    return stream;
  };
  return { store: recording, opens, openedKeys, streams };
}

/** Runs the job's messages until none is left: the job message, its chunk tasks, the finalise task. */
export async function runToCompletion(
  runner: JobRunner,
  jobId: string,
  queue: { readonly sqs: SQSClient; readonly queueUrl: string },
): Promise<void> {
  await runner.run(jobId, { receiveCount: 1 });
  for (let round = 0; round < 30; round++) {
    const { Messages = [] } = await queue.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    const mine = Messages.filter((m) => parseGenerationMessage(m.Body ?? '').job_id === jobId);
    if (mine.length === 0 && round > 0) return;
    for (const message of mine) {
      const task: GenerationMessage = parseGenerationMessage(message.Body ?? '');
      await queue.sqs.send(
        new DeleteMessageCommand({ QueueUrl: queue.queueUrl, ReceiptHandle: message.ReceiptHandle }),
      );
      if (task.kind !== 'job') await runner.run(task, { receiveCount: 1 });
    }
  }
}

/**
 * A job created for `owner` from `request` and run to completion through the queue, fanned out in
 * chunks of `perChunk` patients; resolves with its id.
 */
export async function completedFanOutJob(
  platform: TestPlatform,
  owner: string,
  request: Parameters<TestPlatform['generationService']['create']>[1],
  queue: { readonly sqs: SQSClient; readonly queueUrl: string },
  perChunk = 300,
): Promise<string> {
  const { job } = await platform.generationService.create(principalOf(owner), request);
  await runToCompletion(fanOutRunner(platform, perChunk), job.job_id, queue);
  return job.job_id;
}
