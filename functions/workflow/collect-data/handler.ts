import { MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  applications,
  blacklist,
  clock,
  enterpriseData,
  partnerData,
  wire,
} from '../../../shared/adapters/wiring.js';
import { logger, metrics } from '../../../shared/lambda/observability.js';
import { ApplicationTaskInput, taskHandler } from '../../../shared/lambda/task-handler.js';
import { collectData } from '../../../shared/services/collect-data.js';

const dependencies = wire({ applications, blacklist, clock, enterpriseData, partnerData });

/** Errors that only a bug raises, never a vendor's answer or silence. */
const BUGS = new Set(['TypeError', 'ReferenceError', 'SyntaxError', 'RangeError']);

export const handler = taskHandler('CollectData', ApplicationTaskInput, async ({ applicationId }) => {
  const { failures, ...result } = await collectData(dependencies, applicationId);
  // A failed source is a finding, not a failed stage: the decision goes on without it. Each one
  // is logged and counted by source, a bug louder than a vendor's failure.
  for (const failure of failures) {
    metrics
      .singleMetric()
      .addDimension('source', failure.source)
      .addMetric('SourceFailed', MetricUnit.Count, 1);
    if (BUGS.has(failure.errorType)) logger.error('a data source failed with a bug', { ...failure });
    else logger.warn('a data source failed', { ...failure });
  }
  return result;
});
