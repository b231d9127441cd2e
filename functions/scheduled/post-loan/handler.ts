import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { clock, coreBanking, loans, wire } from '../../../shared/adapters/wiring.js';
import { logger, metrics } from '../../../shared/lambda/observability.js';
import { monitorActiveLoans } from '../../../shared/services/monitor-active-loans.js';

const dependencies = wire({ clock, coreBanking, loans });

/** The nightly post-loan job, run by the schedule for the business date of the event's time. */
export const handler = middy<ScheduledEvent, unknown>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    const summary = await monitorActiveLoans(dependencies, new Date(event.time));
    metrics.addMetric('LoansMonitored', MetricUnit.Count, summary.visited);
    for (const [outcome, count] of Object.entries(summary.autoDebits))
      metrics.addMetric(`AutoDebit${outcome}`, MetricUnit.Count, count);
    logger.info('post-loan monitoring done', { ...summary });
    return summary;
  });
