/**
 * Builds the CDK app of one stage: `<App>-<stage>-stateful` and `<App>-<stage>-api`, plus the
 * account-wide `<App>-account` (API Gateway's logging role, deployed once per account). Used by the CLI
 * entry (infra/app.ts), by `npm run synth` (infra/synth-all.ts) and by the infra tests, so all three
 * synthesise exactly the same thing with the same feature flags (cdk.json context).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { APP_NAME, APP_SLUG, type StageConfig, stageConfigFromContext } from './config/index.js';
import { PROJECT_ROOT } from './constructs/app-function.js';
import { AccountStack } from './stacks/account-stack.js';
import { ApiStack } from './stacks/api-stack.js';
import { StatefulStack } from './stacks/stateful-stack.js';

export interface StageStacks {
  readonly stateful: StatefulStack;
  readonly api: ApiStack;
}

export interface StageApp extends StageStacks {
  readonly app: App;
  readonly config: StageConfig;
  readonly account: AccountStack;
}

export interface StageAppOptions {
  /** Context that wins over cdk.json and `-c` values, e.g. `{ stage: 'prod' }`. */
  readonly context?: Record<string, unknown>;
  /** Cloud assembly directory. @default the CLI's, or a temporary one */
  readonly outdir?: string;
  /** Where handler modules are found. @default the repository root */
  readonly projectRoot?: string;
  /** The built web console. @default web/dist, built when missing */
  readonly webDistDir?: string;
}

/** CloudFormation's schema (and cfn-lint) give dashboards no Tags property, though CDK would set one. */
const UNTAGGED = { excludeResourceTypes: ['AWS::CloudWatch::Dashboard'] };

/** `<App>-account`: one per account and region, shared by every stage. */
export const ACCOUNT_STACK_NAME = `${APP_NAME}-account`;

/** The account-wide stack (API Gateway's CloudWatch role), in the given environment. */
export function buildAccountStack(scope: Construct, env: StageConfig['env']): AccountStack {
  const stack = new AccountStack(scope, ACCOUNT_STACK_NAME, {
    env,
    description:
      'Military Medical Exercise Patient Generator: API Gateway CloudWatch logging role (once per account and region, retained)',
  });
  Tags.of(stack).add('Application', APP_SLUG);
  return stack;
}

/** The `context` block of cdk.json: feature flags and defaults such as `stage`. */
export function readCdkJsonContext(root: string = PROJECT_ROOT): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

/** `-c nag=true` arrives as a string from the CLI and as a boolean from code. */
function flag(value: unknown): boolean {
  return value === true || value === 'true';
}

/** Adds the two stacks of a stage to `scope`. */
export function buildStage(
  scope: Construct,
  config: StageConfig,
  options: { readonly projectRoot?: string; readonly webDistDir?: string } = {},
): StageStacks {
  const prefix = `${APP_NAME}-${config.stage}`;
  const env = config.env;
  const stateful = new StatefulStack(scope, `${prefix}-stateful`, {
    env,
    config,
    description: `Military Medical Exercise Patient Generator (${config.stage}): tables and results bucket`,
    terminationProtection: config.deletionProtection,
  });
  const api = new ApiStack(scope, `${prefix}-api`, {
    env,
    config,
    description: `Military Medical Exercise Patient Generator (${config.stage}): API, functions and generation queue`,
    data: stateful.names,
    projectRoot: options.projectRoot,
    webDistDir: options.webDistDir,
  });
  // No cross-stack references: the order of deployment is declared instead.
  api.addStackDependency(stateful, 'functions use the tables and the bucket');
  for (const stack of [stateful, api]) {
    Tags.of(stack).add('Application', APP_SLUG, UNTAGGED);
    Tags.of(stack).add('Stage', config.stage, UNTAGGED);
  }
  return { stateful, api };
}

/** cdk-nag's AwsSolutions pack as a validation plugin: findings fail the synth unless acknowledged. */
export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
}

/** True when the app's context asks for cdk-nag (`-c nag=true`). */
export function nagRequested(app: App): boolean {
  return flag(app.node.tryGetContext('nag'));
}

/**
 * A new App for the stage named by the `stage` context (`-c stage=...`, default from cdk.json), with
 * cdk-nag's AwsSolutions checks as a validation plugin when `-c nag=true`.
 */
export function createStageApp(options: StageAppOptions = {}): StageApp {
  const app = new App({
    outdir: options.outdir,
    context: readCdkJsonContext(),
    postCliContext: options.context,
  });
  const config = stageConfigFromContext({
    stage: app.node.tryGetContext('stage'),
    alarmEmail: app.node.tryGetContext('alarmEmail'),
  });
  const account = buildAccountStack(app, config.env);
  const stacks = buildStage(app, config, {
    projectRoot: options.projectRoot,
    webDistDir: options.webDistDir,
  });
  if (nagRequested(app)) addNagChecks(app);
  return { app, config, account, ...stacks };
}
