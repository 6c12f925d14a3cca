/**
 * The local stack's own process and its generator workers load no aws-cdk-lib: they read the figures
 * they share with the deployed stages from infra/config/generation-timing.ts, not from stages.ts,
 * whose Durations cost each process about 0.9 s at start-up (memory/decisions/0926).
 */
import { describe, expect, it } from 'vitest';
import { AUTHORIZER, handlerModule, QUEUE_HANDLERS, ROUTES } from '../../../functions/routes.js';
import { importedFiles } from '../../support/imported-files.js';

const CDK = /^(aws-cdk-lib|constructs|cdk-nag)(\/|$)/;

describe('local stack imports', () => {
  it('never imports aws-cdk-lib in the stack process, its handlers or a worker, while the CDK app does', async () => {
    // Prepare
    const stack = ['infra/local/start.ts', 'infra/local/local-stack.ts'];
    const handlers = [
      AUTHORIZER.module,
      ...ROUTES.map(handlerModule),
      ...QUEUE_HANDLERS.map((queue) => queue.module),
    ];
    const worker = 'infra/local/worker-process.ts';
    // Act
    const [stackFiles, workerFiles, cdkFiles] = await Promise.all([
      importedFiles(...stack, ...handlers),
      importedFiles(worker),
      importedFiles('infra/config/stages.ts'),
    ]);
    // Assert
    expect(stackFiles).toContain('infra/config/generation-timing.ts');
    expect(stackFiles.filter((f) => CDK.test(f))).toEqual([]);
    expect(workerFiles).toContain('infra/local/queue-poller.ts');
    expect(workerFiles.filter((f) => CDK.test(f))).toEqual([]);
    expect(cdkFiles.filter((f) => CDK.test(f))).not.toEqual([]);
  });
});
