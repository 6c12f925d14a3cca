/**
 * Child process of the local stack: one execution environment of the generator Lambda
 * (functions/queue) behind the queue poller, like its event source mapping: one invocation at a time
 * (memory/fixes/0064). The stack runs several of these (worker-pool.ts). While an invocation runs,
 * the poller renews its messages' visibility in short windows, and the process tells its parent which
 * messages it holds, so the parent can release them at once if this process dies.
 *
 * It runs at a lower CPU priority than the stack (worker-pool.ts WORKER_NICE).
 *
 *   worker-process.ts <handler module> <function name> '{"windowSeconds":60,"everySeconds":20}' <timeout ms>
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SQSClient } from '@aws-sdk/client-sqs';
import { serveChild } from './child-process.js';
import {
  type HeldMessage,
  type QueueHandler,
  startQueuePoller,
  type VisibilityHeartbeat,
} from './queue-poller.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** What a worker process tells its parent, besides the child-process protocol. */
export interface InvocationMessage {
  readonly type: 'invocation';
  readonly phase: 'start' | 'end';
  readonly messages: readonly HeldMessage[];
}

serveChild(async () => {
  const [modulePath, name = 'generate-patients', heartbeatJson, timeoutText] = process.argv.slice(2);
  const queueUrl = process.env.GENERATION_QUEUE_URL;
  if (!modulePath || !queueUrl)
    throw new Error('usage: worker-process.ts <handler module> [name] [heartbeat JSON] [timeout ms]');
  const heartbeat = heartbeatJson ? (JSON.parse(heartbeatJson) as VisibilityHeartbeat) : undefined;
  // The deployed generator's timeout (infra/config/stages.ts), so the runner's time budget sees the same.
  const timeoutMs = timeoutText ? Number(timeoutText) : undefined;
  if (timeoutMs !== undefined && !(Number.isSafeInteger(timeoutMs) && timeoutMs > 0)) {
    throw new Error(`the invocation timeout must be a positive whole number of ms, got ${timeoutText}`);
  }
  const mod = (await import(pathToFileURL(resolve(ROOT, modulePath)).href)) as { handler?: QueueHandler };
  if (typeof mod.handler !== 'function') throw new Error(`${modulePath} does not export a handler function`);
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  const poller = startQueuePoller({
    sqs,
    queueUrl,
    handler: mod.handler,
    functionName: name,
    batchSize: 1,
    waitTimeSeconds: 1,
    heartbeat,
    timeoutMs,
    onInvocation: (phase, messages) => {
      const message: InvocationMessage = { type: 'invocation', phase, messages };
      if (process.connected) process.send?.(message);
    },
    onError: (error, phase) => {
      // A handler that throws leaves the batch for redelivery; the worker logged why.
      if (phase !== 'invoke') console.error(`queue poller ${phase} failed`, error);
    },
  });
  return {
    data: { pid: process.pid },
    stop: async () => {
      await poller.stop();
      sqs.destroy();
    },
  };
});
