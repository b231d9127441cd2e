import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * One logger, metrics and tracer per Lambda (module scope, reused across invocations). The
 * log level comes from POWERTOOLS_LOG_LEVEL; nothing here logs events or bodies, which may
 * carry personal data.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'fast-loan' });
export const metrics = new Metrics({
  namespace: 'FastLoan',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'fast-loan',
  // Its own warnings (an invalid dimension, say) go through the structured logger and its level.
  logger,
});
export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'fast-loan' });
