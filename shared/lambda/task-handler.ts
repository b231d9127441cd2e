import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { logger, metrics, tracer } from './observability.js';

/** The task's input did not have the expected shape: a bug in the state machine, never retried. */
export class InvalidTaskInputError extends Error {
  override name = 'InvalidTaskInputError';
}

export const ApplicationTaskInput = z.object({ applicationId: z.uuid() });
export const CallbackTaskInput = ApplicationTaskInput.extend({ taskToken: z.string().min(1) });

/**
 * A workflow stage's Lambda: the state machine calls it with a small JSON input and gets its
 * result back (payloadResponseOnly). Errors keep their class name, which the state machine's
 * Retry and Catch match; nothing here shapes HTTP responses.
 */
export function taskHandler<S extends z.ZodType, O>(
  stage: string,
  schema: S,
  /** `context.awsRequestId` identifies the invocation, e.g. in the audit records a stage writes. */
  fn: (input: z.output<S>, context: Context) => Promise<O>,
) {
  return middy<unknown, O>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(captureLambdaHandler(tracer))
    .use(logMetrics(metrics))
    .handler(async (event, context) => {
      logger.appendKeys({ stage });
      const parsed = schema.safeParse(event);
      if (!parsed.success) throw new InvalidTaskInputError(`${stage}: ${z.prettifyError(parsed.error)}`);
      if (typeof parsed.data === 'object' && parsed.data && 'applicationId' in parsed.data) {
        logger.appendKeys({ applicationId: String(parsed.data.applicationId) });
      }
      try {
        const result = await fn(parsed.data, context);
        metrics.addMetric('StageSucceeded', MetricUnit.Count, 1);
        return result;
      } catch (error) {
        metrics.addMetric('StageFailed', MetricUnit.Count, 1);
        throw error;
      }
    });
}
