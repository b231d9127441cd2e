import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** Account and region that local ARNs use; no AWS call ever sees them. */
export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_REGION = 'us-east-1';

export interface LambdaContextOptions {
  /** The function's configured timeout; getRemainingTimeInMillis counts down from it. */
  timeoutSeconds?: number;
  memoryLimitInMB?: number;
  region?: string;
}

/**
 * A fresh invocation context as Lambda would hand it to a handler. The remaining time follows the
 * wall clock, not a ControllableClock: it measures how long the handler itself runs.
 */
export function lambdaContext(functionName: string, options: LambdaContextOptions = {}): Context {
  const region = options.region ?? LOCAL_REGION;
  const deadline = Date.now() + (options.timeoutSeconds ?? 30) * 1000;
  const awsRequestId = randomUUID();
  const callbackStyle = () => {
    throw new Error('callback-style context methods (done/fail/succeed) are not supported: return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: String(options.memoryLimitInMB ?? 1024),
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${awsRequestId.replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: callbackStyle,
    fail: callbackStyle,
    succeed: callbackStyle,
  };
}

/**
 * How local runtimes log a failed invocation: the error's name and message only. The event is never
 * logged, because it can carry personal data (ID and phone numbers) that must not appear in clear.
 */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : `non-Error thrown (${typeof error})`;
}
