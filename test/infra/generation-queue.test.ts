/**
 * The generation queue's timing comes from the one stage config (infra/config/stages.ts): the
 * deployed queue of every stage and the local stack's queue read the same figures, and the job
 * runner's attempts follow the receive count.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { DEPLOY_STAGES, LOCAL_STAGE, STAGE_CONFIGS } from '../../infra/config/index.js';
import { GenerationQueue } from '../../infra/constructs/index.js';
import { GENERATOR_TIMEOUT } from '../../infra/stacks/index.js';
import { DEFAULT_MAX_ATTEMPTS } from '../../lib/domain/index.js';

describe('generation queue timing', () => {
  it.each(DEPLOY_STAGES)(
    'gives the %s queue the visibility timeout and receive count of its stage config',
    (stage) => {
      // Prepare
      const { generationQueue } = STAGE_CONFIGS[stage];
      const stack = new Stack();
      // Act
      new GenerationQueue(stack, 'Generation', { ...generationQueue, consumerTimeout: GENERATOR_TIMEOUT });
      // Assert
      Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', {
        VisibilityTimeout: generationQueue.visibilityTimeout.toSeconds(),
        RedrivePolicy: { maxReceiveCount: generationQueue.maxReceiveCount },
      });
      expect(generationQueue.visibilityTimeout.toSeconds()).toBeGreaterThan(GENERATOR_TIMEOUT.toSeconds());
    },
  );

  it("lets the local stack use the deployed stages' timing, and the job runner count the same runs", () => {
    // Prepare / Act
    const timings = DEPLOY_STAGES.map((stage) => STAGE_CONFIGS[stage].generationQueue);
    // Assert
    for (const timing of timings) expect(timing).toBe(LOCAL_STAGE.generationQueue);
    expect(LOCAL_STAGE.generationQueue.maxReceiveCount).toBe(DEFAULT_MAX_ATTEMPTS);
  });

  it('refuses a visibility timeout that does not exceed the consumer timeout', () => {
    // Prepare
    const stack = new Stack();
    // Act
    const build = () =>
      new GenerationQueue(stack, 'Generation', {
        visibilityTimeout: Duration.seconds(900),
        maxReceiveCount: 3,
        consumerTimeout: Duration.seconds(900),
      });
    // Assert
    expect(build).toThrow(/visibility timeout \(900 s\) must exceed its consumer's timeout \(900 s\)/);
  });
});
