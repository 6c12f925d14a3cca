/**
 * X-Ray tracing (Powertools Tracer): one process-wide tracer, a subsegment around each handler
 * invocation, and the AWS SDK clients instrumented so every DynamoDB, SQS, S3 and KMS call shows in
 * the trace. Outside Lambda, or with POWERTOOLS_TRACE_ENABLED=false (stages without active tracing),
 * the tracer does nothing, so the local stack and the tests run the same code.
 */
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { AppMetrics } from './metrics.js';

let shared: Tracer | undefined;

/** The process-wide tracer; its service name comes from POWERTOOLS_SERVICE_NAME. */
export function tracer(): Tracer {
  shared ??= new Tracer();
  return shared;
}

/** An AWS SDK v3 client whose calls become trace subsegments (unchanged when tracing is off). */
export function traced<T>(client: T): T {
  return tracer().captureAWSv3Client(client);
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
    .use(captureLambdaHandler(tracer(), { captureResponse: false }))
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
