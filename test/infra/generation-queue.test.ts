/**
 * The generation queue's timing comes from the one stage config (infra/config/stages.ts, built from
 * the plain figures of infra/config/generation-timing.ts that the local stack reads): the
 * visibility timeout is derived from the generator's timeout (at least 6 ×, AWS's rule for Lambda SQS
 * event sources), the deployed queue of every stage and the local stack's queue read the same
 * figures, and the job runner's attempts are the receive count.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  DEPLOY_STAGES,
  generationQueueTiming,
  LOCAL_STAGE,
  STAGE_CONFIGS,
  STALE_WAITING_AFTER,
  STALE_WAITING_AFTER_SECONDS,
  staleRunningAfter,
  staleRunningAfterSeconds,
} from '../../infra/config/index.js';
import { GenerationQueue } from '../../infra/constructs/index.js';
import { DEAD_LETTER_TIMEOUT } from '../../infra/constructs/stuck-job-guards.js';
import { LOCAL_VISIBILITY_HEARTBEAT } from '../../infra/local/local-stack.js';
import {
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_RUNNING_IDLE_LIMIT_MS,
  DEFAULT_TIME_SAFETY_MARGIN_MS,
} from '../../lib/domain/index.js';

describe('generation queue timing', () => {
  it.each(DEPLOY_STAGES)(
    'gives the %s queue a visibility timeout of 6 × its generator timeout and the receive count of its stage config',
    (stage) => {
      // Prepare
      const { generationQueue, generator } = STAGE_CONFIGS[stage];
      const stack = new Stack();
      // Act
      new GenerationQueue(stack, 'Generation', {
        ...generationQueue,
        consumerTimeout: generator.timeout,
        deadLetterConsumerTimeout: DEAD_LETTER_TIMEOUT,
      });
      // Assert
      Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', {
        VisibilityTimeout: generationQueue.visibilityTimeout.toSeconds(),
        RedrivePolicy: { maxReceiveCount: generationQueue.maxReceiveCount },
      });
      expect(generator.timeout.toSeconds()).toBe(120);
      expect(generationQueue.visibilityTimeout.toSeconds()).toBe(6 * generator.timeout.toSeconds());
      expect(generationQueue.maxReceiveCount).toBe(DEFAULT_MAX_ATTEMPTS);
    },
  );

  it('gives the local stack the deployed cap, generator timeout and queue timing, with a heartbeat window inside the visibility', () => {
    // Prepare / Act
    const deployed = DEPLOY_STAGES.map((stage) => STAGE_CONFIGS[stage]);
    // Assert
    for (const config of deployed) {
      expect({
        visibilityTimeoutSeconds: config.generationQueue.visibilityTimeout.toSeconds(),
        maxReceiveCount: config.generationQueue.maxReceiveCount,
      }).toEqual(LOCAL_STAGE.generationQueue);
      expect(config.generator.timeout.toSeconds()).toBe(LOCAL_STAGE.generatorTimeoutSeconds);
      expect(config.maxPatientsPerJob).toBe(LOCAL_STAGE.maxPatientsPerJob);
    }
    expect(LOCAL_VISIBILITY_HEARTBEAT).toBe(LOCAL_STAGE.visibilityHeartbeat);
    expect(LOCAL_VISIBILITY_HEARTBEAT.windowSeconds).toBeLessThan(
      LOCAL_STAGE.generationQueue.visibilityTimeoutSeconds,
    );
  });

  it("derives the sweeper's running bound and keeps the domain's defaults and the time budget's margin in step with it", () => {
    // Prepare
    const { generationQueue, generatorTimeoutSeconds } = LOCAL_STAGE;
    // Act
    const local = staleRunningAfterSeconds(generationQueue);
    const deployed = DEPLOY_STAGES.map((stage) => staleRunningAfter(STAGE_CONFIGS[stage].generationQueue));
    // Assert: 3 receives × 720 s; the domain's default (used when no env sets it) is the same.
    expect(local).toBe(3 * 720);
    for (const bound of deployed) expect(bound.toSeconds()).toBe(local);
    expect(DEFAULT_RUNNING_IDLE_LIMIT_MS).toBe(local * 1000);
    expect(STALE_WAITING_AFTER.toSeconds()).toBe(STALE_WAITING_AFTER_SECONDS);
    // The runner keeps its margin free before the timeout: a small share of the invocation.
    expect(DEFAULT_TIME_SAFETY_MARGIN_MS).toBeLessThanOrEqual((generatorTimeoutSeconds * 1000) / 4);
  });

  it('derives the visibility from any generator timeout', () => {
    // Prepare
    const generator = { timeout: Duration.seconds(45), memorySizeMb: 1769, reservedConcurrency: 2 };
    // Act
    const timing = generationQueueTiming(generator, 5);
    // Assert
    expect(timing.visibilityTimeout.toSeconds()).toBe(270);
    expect(timing.maxReceiveCount).toBe(5);
  });

  it('refuses a visibility timeout below 6 × the consumer timeout', () => {
    // Prepare
    const stack = new Stack();
    // Act
    const build = () =>
      new GenerationQueue(stack, 'Generation', {
        visibilityTimeout: Duration.seconds(719),
        maxReceiveCount: 3,
        consumerTimeout: Duration.seconds(120),
        deadLetterConsumerTimeout: DEAD_LETTER_TIMEOUT,
      });
    // Assert
    expect(build).toThrow(
      /visibility timeout \(719 s\) must be at least 6 × its consumer's timeout \(120 s\): 720 s/,
    );
  });
});
