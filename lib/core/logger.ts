/**
 * Structured logging (Powertools Logger): one JSON object per line. Every line of a request or a job
 * carries `request_id`, `correlation_id`, `job_id` and `tenant` when known. The correlation id is the
 * API request id; it travels to the worker as the SQS message attribute `correlation_id` and comes
 * back into the worker's lines, so one query finds a job's whole story.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { ConstructorOptions } from '@aws-lambda-powertools/logger/types';

export const DEFAULT_SERVICE_NAME = 'milmed-patient-generator';
/** Name of the SQS message attribute that carries the correlation id (platform contract). */
export const CORRELATION_ID_ATTRIBUTE = 'correlation_id';

export type { Logger };

export interface LoggerOptions {
  readonly serviceName?: string;
  readonly logLevel?: string;
  /** Keys on every line of this logger (stage, function kind, …). */
  readonly persistentKeys?: Record<string, unknown>;
}

/** A Powertools Logger; service name and level default to POWERTOOLS_SERVICE_NAME and LOG_LEVEL. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const logLevel = (
    options.logLevel ??
    process.env.LOG_LEVEL ??
    process.env.POWERTOOLS_LOG_LEVEL ??
    'INFO'
  ).toUpperCase();
  return new Logger({
    serviceName: options.serviceName ?? process.env.POWERTOOLS_SERVICE_NAME ?? DEFAULT_SERVICE_NAME,
    logLevel: logLevel as ConstructorOptions['logLevel'],
    persistentKeys: options.persistentKeys ?? {},
  });
}

/** What ties a log line to a request and a job. */
export interface LogContext {
  readonly request_id?: string;
  readonly correlation_id?: string;
  readonly job_id?: string;
  /** The API key's owner. */
  readonly tenant?: string;
  /** The API key's id (never the key). */
  readonly key_id?: string;
  /** The caller's address (API Gateway's requestContext.identity.sourceIp): audit lines carry it. */
  readonly source_ip?: string;
}

function defined(context: LogContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(context)) if (typeof v === 'string' && v !== '') out[k] = v;
  return out;
}

/**
 * Adds the context as temporary keys (cleared by `logger.resetKeys()`, which injectLambdaContext
 * with `resetKeys: true` does after each invocation) and sets Powertools' correlation id.
 */
export function appendLogContext(logger: Logger, context: LogContext): void {
  const keys = defined(context);
  const { correlation_id: correlationId, ...rest } = keys;
  if (Object.keys(rest).length > 0) logger.appendKeys(rest);
  if (correlationId) logger.setCorrelationId(correlationId);
}

/** Removes the keys `appendLogContext` added. */
export function removeLogContext(logger: Logger, context: LogContext): void {
  const keys = Object.keys(defined(context)).filter((k) => k !== 'correlation_id');
  if (keys.length > 0) logger.removeKeys(keys);
  if (context.correlation_id) logger.removeKeys(['correlation_id']);
}

/** Runs `fn` with the context on every line it logs, then removes it (one SQS record, one job). */
export async function withLogContext<T>(
  logger: Logger,
  context: LogContext,
  fn: () => Promise<T>,
): Promise<T> {
  appendLogContext(logger, context);
  try {
    return await fn();
  } finally {
    removeLogContext(logger, context);
  }
}

/** The SQS message attribute that carries the correlation id, in the form SendMessage takes. */
export function correlationAttribute(
  correlationId: string,
): Record<string, { DataType: 'String'; StringValue: string }> {
  return { [CORRELATION_ID_ATTRIBUTE]: { DataType: 'String', StringValue: correlationId } };
}

/** The correlation id of an SQS record (Lambda event shape or SDK ReceiveMessage shape), if any. */
export function correlationIdOf(record: {
  readonly messageAttributes?: Record<string, { stringValue?: string } | undefined>;
  readonly MessageAttributes?: Record<string, { StringValue?: string } | undefined>;
}): string | undefined {
  return (
    record.messageAttributes?.[CORRELATION_ID_ATTRIBUTE]?.stringValue ??
    record.MessageAttributes?.[CORRELATION_ID_ATTRIBUTE]?.StringValue ??
    undefined
  );
}
