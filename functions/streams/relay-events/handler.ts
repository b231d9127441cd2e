import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import {
  applications,
  disbursementQueue,
  outbox,
  webhookQueue,
  wire,
  workflow,
} from '../../../shared/adapters/wiring.js';
import { logger } from '../../../shared/lambda/observability.js';
import { relayEvents } from '../../../shared/services/relay-events.js';

const dependencies = wire({ applications, disbursementQueue, outbox, webhookQueue, workflow });

/**
 * Reads the table's stream and forwards partner events to the webhook queue. A failure
 * fails the batch, which the event source mapping retries (bisecting) before its on-failure
 * destination.
 */
export const handler = middy<DynamoDBStreamEvent, void>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const items = event.Records.filter((r) => r.eventName === 'INSERT' && r.dynamodb?.NewImage).map((r) =>
      unmarshall(r.dynamodb?.NewImage as Record<string, AttributeValue>),
    );
    const relayed = await relayEvents(dependencies, items);
    logger.debug('relayed events', { records: event.Records.length, relayed });
  });
