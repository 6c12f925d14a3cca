/**
 * The one way this app builds a Lambda function: Node.js 22 on arm64,
 * bundled by the local esbuild (no Docker) into an ESM `index.mjs` that targets node20 so the same code
 * runs on the laptop, with its own log group (generated name, so a retained one never blocks a new
 * stack) and retention. Callers choose only entry, name, sizing,
 * environment and logging.
 */
import { fileURLToPath } from 'node:url';
import { type Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** The repository root (the folder of package.json and package-lock.json). */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Deployed runtime: nodejs20.x is deprecated, 22 keeps closest to the local Node 20. */
export const FUNCTION_RUNTIME = Runtime.NODEJS_22_X;
export const FUNCTION_ARCHITECTURE = Architecture.ARM_64;

/** ESM bundles still meet CommonJS dependencies that call `require`; this gives them one. */
const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * How every function is bundled: ESM for node20 (the local Node), minified with names kept and
 * source maps. test/infra/function-bundles.test.ts builds every function's entry with these options.
 */
export const FUNCTION_BUNDLING = {
  forceDockerBundling: false,
  format: OutputFormat.ESM,
  target: 'node20',
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  minify: true,
  keepNames: true,
  sourceMap: true,
  sourcesContent: false,
  // The runtime ships AWS SDK v3; production therefore uses the runtime's SDK version.
  externalModules: ['@aws-sdk/*'],
} as const satisfies BundlingOptions;

export interface AppFunctionProps {
  /** Entry module relative to the project root, exporting `handler` (e.g. `functions/http/get-job.ts`). */
  readonly entry: string;
  /** Physical function name, at most 64 characters. */
  readonly functionName: string;
  readonly description?: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  /** Reserved concurrent executions (none by default: the function shares the account's pool). */
  readonly reservedConcurrentExecutions?: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: RetentionDays;
  /** Applied to the log group. */
  readonly removalPolicy: RemovalPolicy;
  readonly tracing: boolean;
  /** Where `entry` and package-lock.json are looked up. @default PROJECT_ROOT */
  readonly projectRoot?: string;
}

export class AppFunction extends NodejsFunction {
  /** The entry module's absolute path. */
  readonly entry: string;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    if (props.functionName.length > 64) {
      throw new Error(`function name ${props.functionName} is longer than 64 characters`);
    }
    const root = props.projectRoot ?? PROJECT_ROOT;
    // No fixed name: a retained log group (prod) must not block re-creating the stack, so CloudFormation
    // names it and the function logs there through its logging config.
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    super(scope, id, {
      entry: `${root}/${props.entry}`,
      handler: 'handler',
      projectRoot: root,
      depsLockFilePath: `${root}/package-lock.json`,
      functionName: props.functionName,
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: FUNCTION_ARCHITECTURE,
      memorySize: props.memorySize,
      timeout: props.timeout,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      tracing: props.tracing ? Tracing.ACTIVE : Tracing.DISABLED,
      logGroup,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      bundling: FUNCTION_BUNDLING,
    });
    this.entry = `${root}/${props.entry}`;
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'The AWS-managed basic execution role only lets the function write its own CloudWatch logs.',
    });
    if (props.tracing) {
      Validations.of(this).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions.',
      });
    }
  }
}
