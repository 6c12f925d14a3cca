/** A Lambda `Context` for handlers invoked in-process by the local gateway and queue poller. */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';

export interface LambdaContextOptions {
  readonly functionName: string;
  /** The function timeout the deployed Lambda has (ms): API handlers 29 s, the generator its stage's. */
  readonly timeoutMs: number;
  readonly memoryMb?: number;
  readonly requestId?: string;
}

export function createLambdaContext(options: LambdaContextOptions): Context {
  const started = Date.now();
  const functionName = `local-${options.functionName}`;
  const unsupported = () => {
    throw new Error('callback-style Lambda completion is not supported');
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: String(options.memoryMb ?? 1024),
    awsRequestId: options.requestId ?? randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${new Date(started).toISOString().slice(0, 10)}/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, options.timeoutMs - (Date.now() - started)),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
