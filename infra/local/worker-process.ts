/**
 * Child process of the local stack: the generator Lambda (functions/queue) behind the queue poller,
 * like its event source mapping. Reads the stack's environment; the handler module is the argument.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SQSClient } from '@aws-sdk/client-sqs';
import { serveChild } from './child-process.js';
import { type QueueHandler, startQueuePoller } from './queue-poller.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

serveChild(async () => {
  const [modulePath, name = 'generate-patients', concurrency = '2'] = process.argv.slice(2);
  const queueUrl = process.env.GENERATION_QUEUE_URL;
  if (!modulePath || !queueUrl)
    throw new Error('usage: worker-process.ts <handler module> [name] [concurrency]');
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
    concurrency: Number(concurrency),
    onError: (error, phase) => {
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
