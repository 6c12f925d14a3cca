/**
 * What keeps a local job from staying stuck, as deployed (memory/decisions/0903-no-stuck-jobs.md):
 * the DLQ consumer behind a poller of the dead-letter queue (dead-letter-poller.ts), and the stale-job
 * sweeper on a timer instead of an EventBridge rule: once at start, then every `everyMinutes` of
 * SCHEDULED_HANDLERS. Both run in the stack's own process: they are light, a few DynamoDB calls. The
 * jobs a kept --data-dir holds from an earlier run, whose messages died with the in-memory queue, are
 * failed before this starts (earlier-run-jobs.ts), not after the sweeper's bounds.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { queueHandler, SCHEDULED_HANDLERS } from '../../functions/routes.js';
import { startDeadLetterPoller } from './dead-letter-poller.js';
import { createLambdaContext, LOCAL_ACCOUNT, LOCAL_REGION } from './lambda-context.js';
import type { QueueHandler } from './queue-poller.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

type ScheduledHandler = (event: ScheduledEvent, context: Context) => Promise<unknown>;

export interface StuckJobGuardOptions {
  /** Time between sweeps (default: the schedule of SCHEDULED_HANDLERS, 5 minutes). */
  readonly sweepEveryMs?: number;
  /** STALE_RUNNING_AFTER_SECONDS of the sweeper (default the domain's bound). */
  readonly staleRunningAfterSeconds?: number;
  /** STALE_WAITING_AFTER_SECONDS of the sweeper (default the domain's bound). */
  readonly staleWaitingAfterSeconds?: number;
}

export interface StuckJobGuards {
  /** Runs one sweep now (tests); resolves when it is done. */
  sweep(): Promise<void>;
  stop(): Promise<void>;
}

async function importHandler<T>(modulePath: string): Promise<T> {
  const mod = (await import(pathToFileURL(resolve(ROOT, modulePath)).href)) as { handler?: T };
  if (typeof mod.handler !== 'function') throw new Error(`${modulePath} does not export a handler function`);
  return mod.handler;
}

function scheduledEvent(): ScheduledEvent {
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: LOCAL_ACCOUNT,
    time: new Date().toISOString(),
    region: LOCAL_REGION,
    resources: [`arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/local-sweep-stale-jobs`],
    detail: {},
  };
}

/**
 * Starts the DLQ poller and the sweeper timer. The environment (tables, GENERATION_DLQ_URL) must be
 * in process.env: the handlers' composition roots read it when imported here.
 */
export async function startStuckJobGuards(
  sqs: SQSClient,
  options: StuckJobGuardOptions = {},
): Promise<StuckJobGuards> {
  const dlqUrl = process.env.GENERATION_DLQ_URL;
  if (!dlqUrl) throw new Error('GENERATION_DLQ_URL is not set: the local emulators create the DLQ');
  if (options.staleRunningAfterSeconds !== undefined)
    process.env.STALE_RUNNING_AFTER_SECONDS = String(options.staleRunningAfterSeconds);
  if (options.staleWaitingAfterSeconds !== undefined)
    process.env.STALE_WAITING_AFTER_SECONDS = String(options.staleWaitingAfterSeconds);

  const deadLetters = queueHandler('generation-dlq');
  const [sweeper] = SCHEDULED_HANDLERS;
  const [dlqHandler, sweepHandler] = await Promise.all([
    importHandler<QueueHandler>(deadLetters.module),
    importHandler<ScheduledHandler>(sweeper.module),
  ]);
  const poller = startDeadLetterPoller({
    sqs,
    queueUrl: dlqUrl,
    handler: dlqHandler,
    functionName: deadLetters.name,
    onError: (error, phase) => {
      if (phase !== 'invoke') console.error(`dead-letter poller ${phase} failed`, error);
    },
  });

  let sweeping: Promise<void> | undefined;
  const sweep = (): Promise<void> => {
    // One sweep at a time: a slow one is not stacked on.
    sweeping ??= sweepHandler(
      scheduledEvent(),
      createLambdaContext({ functionName: sweeper.name, timeoutMs: 60_000 }),
    )
      .then(() => undefined)
      .catch((error: unknown) => console.error('stale-job sweep failed', error))
      .finally(() => {
        sweeping = undefined;
      });
    return sweeping;
  };
  const everyMs = options.sweepEveryMs ?? sweeper.everyMinutes * 60_000;
  const timer = setInterval(sweep, everyMs);
  timer.unref();
  void sweep();

  return {
    sweep,
    async stop() {
      clearInterval(timer);
      await Promise.allSettled([poller.stop(), sweeping]);
    },
  };
}
