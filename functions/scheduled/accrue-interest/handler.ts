import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { clock, loans, wire } from '../../../shared/adapters/wiring.js';
import { logger, metrics } from '../../../shared/lambda/observability.js';
import { accrueInterest } from '../../../shared/services/accrue-interest.js';

const dependencies = wire({ clock, loans });

/** The end-of-day accrual: books every open loan's interest up to the day before the event's time. */
export const handler = middy<ScheduledEvent, unknown>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    const summary = await accrueInterest(dependencies, new Date(event.time));
    metrics.addMetric('LoanDatesAccrued', MetricUnit.Count, summary.datesBooked);
    logger.info('interest accrual done', { ...summary });
    return summary;
  });
