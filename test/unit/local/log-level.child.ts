// Run by log-level.test.ts in a fresh process, as `npm start` runs: the local runtime's module
// graph first (it sets the process defaults before Powertools builds its logger), then one
// route's handler invoked several times, logging at every level.
import '../../../local/runtime.js';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { lambdaContext } from '../../../shared/adapters/local/lambda-context.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import { ROUTES } from '../../../shared/http/routes.js';
import { logger } from '../../../shared/lambda/observability.js';

const handler = apiHandler(ROUTES.health, async () => {
  logger.debug('child debug line');
  logger.info('child info line');
  logger.warn('child warn line');
  return { body: { status: 'ok', version: 'test' } };
});
const event = {
  path: '/health',
  httpMethod: 'GET',
  headers: {},
  queryStringParameters: null,
  multiValueQueryStringParameters: null,
  pathParameters: null,
  body: null,
  requestContext: {},
} as unknown as APIGatewayProxyEvent;
for (let i = 0; i < 3; i++) await handler(event, lambdaContext('Health'));
