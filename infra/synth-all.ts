/**
 * `npm run synth`: synthesises every stage offline into `cdk.out`, with aws-cdk-lib's CloudFormation
 * validator and cdk-nag's AwsSolutions checks on (`--no-nag` skips cdk-nag; `--no-bundling` leaves the
 * functions' code unbundled, for a template lint: test/infra/function-bundles.test.ts bundles them). It runs in this process, not
 * through the CLI, so there is no version check, notice or telemetry call and no network is needed.
 * All stages share one App, so each handler is bundled once (the asset cache is per output directory).
 * Exits non-zero when a stage fails to build, fails validation or carries an error annotation.
 *
 * Deploy one stage from the result: `npx cdk deploy --app cdk.out 'MilmedPatientGenerator-prod-*'`.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { DEPLOY_STAGES, stageConfigFromContext } from './config/index.js';
import { PROJECT_ROOT } from './constructs/app-function.js';
import { addNagChecks, buildAccountStack, buildStage, readCdkJsonContext } from './stage-app.js';

const OUT = join(PROJECT_ROOT, 'cdk.out');
const nag = !process.argv.includes('--no-nag');
const bundling = !process.argv.includes('--no-bundling');
const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);

function main(): number {
  // A stale validation report in cdk.out can resurface old errors.
  rmSync(OUT, { recursive: true, force: true });
  const app = new App({
    outdir: OUT,
    context: { ...readCdkJsonContext(), ...(bundling ? {} : { 'aws:cdk:bundling-stacks': [] }) },
  });
  const configs = DEPLOY_STAGES.map((stage) => stageConfigFromContext({ stage }));
  buildAccountStack(app, configs[0].env);
  for (const config of configs) buildStage(app, config);
  if (nag) addNagChecks(app);
  const assembly = app.synth();

  let errors = 0;
  for (const stack of assembly.stacks) {
    for (const message of stack.messages) {
      if (message.level === 'info') continue;
      if (message.level === 'error') errors++;
      console.error(`  [${message.level}] ${stack.stackName} ${message.id}: ${String(message.entry.data)}`);
    }
  }
  const checks = [
    nag
      ? 'CloudFormation validation and cdk-nag AwsSolutions'
      : 'CloudFormation validation (cdk-nag skipped)',
    ...(bundling ? [] : ['functions not bundled']),
  ].join(', ');
  if (errors > 0) {
    console.error(`FAIL: ${errors} error annotation(s)`);
    return 1;
  }
  console.log(
    `synthesised ${assembly.stacks.length} stacks (account, ${DEPLOY_STAGES.join(', ')}) into cdk.out in ${seconds()} s (${checks})`,
  );
  for (const stack of assembly.stacks) console.log(`  ${stack.stackName}`);
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`FAIL after ${seconds()} s: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
