import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { z } from 'zod';
import { logger, metrics, tracer } from './observability.js';

/**
 * An SQS consumer with partial batch failures: each record is parsed with `schema` and
 * handled on its own; a failing record is reported back (never swallowed), so SQS redelivers
 * it and, after the queue's maxReceiveCount, moves it to the dead-letter queue.
 */
export function sqsHandler<S extends z.ZodType>(
  name: string,
  schema: S,
  fn: (message: z.output<S>, record: SQSRecord) => Promise<void>,
) {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord) => {
    try {
      await fn(schema.parse(JSON.parse(record.body)), record);
    } catch (error) {
      logger.warn('record failed; it will be retried', {
        consumer: name,
        messageId: record.messageId,
        receiveCount: record.attributes.ApproximateReceiveCount,
        error: error instanceof Error ? error.name : 'unknown',
      });
      throw error;
    }
  };
  return (
    middy<SQSEvent, SQSBatchResponse>()
      .use(injectLambdaContext(logger, { resetKeys: true }))
      .use(captureLambdaHandler(tracer))
      .use(logMetrics(metrics))
      // Records of a batch run concurrently; a batch that fails whole is still answered with its
      // failures (not thrown), so every runtime sees the same per-record outcome.
      .handler(async (event, context) => {
        const response = await processPartialResponse(event, recordHandler, processor, {
          context,
          throwOnFullBatchFailure: false,
        });
        const failed = response.batchItemFailures.length;
        metrics.addMetric('RecordsProcessed', MetricUnit.Count, event.Records.length - failed);
        metrics.addMetric('RecordsFailed', MetricUnit.Count, failed);
        return response;
      })
  );
}
