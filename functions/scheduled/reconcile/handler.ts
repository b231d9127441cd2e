import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import {
  applications,
  clock,
  coreBanking,
  disbursementQueue,
  loans,
  outbox,
  webhookQueue,
  wire,
  workflow,
} from '../../../shared/adapters/wiring.js';
import { logger, metrics } from '../../../shared/lambda/observability.js';
import { ReconciliationWindowSchema, reconcile } from '../../../shared/services/reconcile.js';

const dependencies = wire({
  applications,
  clock,
  coreBanking,
  disbursementQueue,
  loans,
  outbox,
  webhookQueue,
  workflow,
});

/** The schedule's event, or an operator's `{ "window": { "from": ..., "to": ... } }` to match an older statement. */
const ReconciliationEvent = z.looseObject({ window: ReconciliationWindowSchema.optional() });

/**
 * Reconciliation, nightly after the post-loan job and on demand (invoke the function): one
 * metric per kind of repair (an alarm fires on any money repair or anything unresolved) and
 * the whole report in the log, with references and amounts but no personal data.
 */
export const handler = middy<unknown, unknown>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    const { window } = ReconciliationEvent.parse(event ?? {});
    const report = await reconcile(dependencies, { window });
    metrics.addMetric('ReconciliationMovements', MetricUnit.Count, report.checked.movements);
    for (const [action, count] of Object.entries(report.counts))
      metrics.addMetric(`Reconciliation${action}`, MetricUnit.Count, count);
    logger.info('reconciliation done', { ...report });
    return report;
  });
