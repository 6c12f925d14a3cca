/**
 * X-Ray tracing (Powertools Tracer): one process-wide tracer, a subsegment around each handler
 * invocation, and the AWS SDK clients instrumented so every DynamoDB, SQS, S3 and KMS call shows in
 * the trace. Outside Lambda, or with POWERTOOLS_TRACE_ENABLED=false (stages without active tracing),
 * there is no tracer at all: the X-Ray SDK is not even loaded, because loading it installs an async
 * hook that tracks every promise of the process, traced or not (memory/fixes/0237-x-ray-sdk-only-where-traced.md).
 */
import type { Tracer } from '@aws-lambda-powertools/tracer';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { AppMetrics } from './metrics.js';

/**
 * Whether this process records traces, by the Powertools Tracer's own rule: in a Lambda execution
 * environment (not SAM's or Amplify's mock of one), unless POWERTOOLS_TRACE_ENABLED is false.
 */
export function tracingEnabled(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  if ((env.POWERTOOLS_TRACE_ENABLED ?? '').toLowerCase() === 'false') return false;
  const executionEnv = env.AWS_EXECUTION_ENV ?? '';
  return (
    executionEnv !== '' && executionEnv !== 'AWS_Lambda_amplify-mock' && (env.AWS_SAM_LOCAL ?? '') === ''
  );
}

const powertools = tracingEnabled()
  ? await Promise.all([
      import('@aws-lambda-powertools/tracer'),
      import('@aws-lambda-powertools/tracer/middleware'),
    ])
  : undefined;

let shared: Tracer | undefined;

/** The process-wide tracer (service name from POWERTOOLS_SERVICE_NAME); undefined where tracing is off. */
function tracer(): Tracer | undefined {
  if (!powertools) return undefined;
  shared ??= new powertools[0].Tracer();
  return shared;
}

/** An AWS SDK v3 client whose calls become trace subsegments (the client itself when tracing is off). */
export function traced<T>(client: T): T {
  return tracer()?.captureAWSv3Client(client) ?? client;
}

/**
 * A trace subsegment around each invocation (responses are not copied: they can hold patient data);
 * no middleware where tracing is off. For middy's `use`, which takes a list.
 */
export function traceInvocations<E, R>(): middy.MiddlewareObj<E, R, Error, Context>[] {
  const active = tracer();
  if (!powertools || !active) return [];
  const middleware = powertools[1].captureLambdaHandler(active, { captureResponse: false });
  return [middleware as middy.MiddlewareObj<E, R, Error, Context>];
}

export type LambdaHandler<E, R> = (event: E, context: Context) => Promise<R>;

export interface ObservedOptions<R> {
  readonly metrics: AppMetrics;
  /** Turns a result into figures (e.g. a 401 into an auth failure) before they are flushed. */
  readonly onResult?: (result: R, metrics: AppMetrics) => void;
}

/**
 * Wraps a handler: a trace subsegment (responses are not copied into the trace: they can hold patient
 * data), then one EMF line with whatever the invocation recorded, also when it throws.
 */
export function observed<E, R>(
  handler: LambdaHandler<E, R>,
  options: ObservedOptions<R>,
): LambdaHandler<E, R> {
  const { metrics, onResult } = options;
  // The wrapped handler keeps its own early-timeout answer; this layer adds no second timer.
  const wrapped = middy<E, R, Error, Context>({ timeoutEarlyInMillis: 0 })
    .use(traceInvocations<E, R>())
    .use({
      after: async (request) => {
        if (onResult && request.response !== undefined) onResult(request.response, metrics);
        metrics.flush();
      },
      onError: async () => metrics.flush(),
    })
    .handler((event, context) => handler(event, context));
  return wrapped as unknown as LambdaHandler<E, R>;
}

/** HTTP responses: a 401 counts as an authentication failure. */
export function countAuthFailures(result: { readonly statusCode: number }, metrics: AppMetrics): void {
  if (result.statusCode === 401) metrics.authFailure();
}
