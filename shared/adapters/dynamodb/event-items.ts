import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '../../domain/events.js';
import type { EventOutbox } from '../../ports/stores.js';
import { decodeCursor, encodeCursor, isConditionFailure, stripKeys } from './conditions.js';
import { keys, type TableContext } from './table.js';

/** Unrelayed events are spread over this many index partitions, so no one partition is hot. */
export const OUTBOX_SHARDS = 8;

function outboxShard(eventId: string): number {
  let hash = 0;
  for (const char of eventId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % OUTBOX_SHARDS;
}

function eventKey(event: DomainEvent) {
  return event.applicationId
    ? keys.applicationEvent(event.applicationId, event.occurredAt, event.eventId)
    : keys.loanEvent(event.loanId ?? event.creditLineId ?? 'unknown', event.occurredAt, event.eventId);
}

/**
 * An event item lives beside the aggregate it announces, so its timeline is one Query. Until
 * the relay has acted on it, it is also on the outbox index (gsi2), which reconciliation
 * sweeps for events the stream never delivered.
 */
export function eventItem(event: DomainEvent): Record<string, unknown> {
  return {
    ...eventKey(event),
    entity: 'EVENT',
    gsi2pk: keys.outboxShard(outboxShard(event.eventId)),
    gsi2sk: `${event.occurredAt}#${event.eventId}`,
    ...event,
  };
}

export class DynamoEventOutbox implements EventOutbox {
  readonly shards = OUTBOX_SHARDS;

  constructor(private readonly table: TableContext) {}

  async unrelayed(shard: number, before: string, cursor?: string) {
    const { Items = [], LastEvaluatedKey } = await this.table.client.send(
      new QueryCommand({
        TableName: this.table.tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :before',
        ExpressionAttributeValues: { ':pk': keys.outboxShard(shard), ':before': before },
        ExclusiveStartKey: decodeCursor(cursor),
        Limit: 100,
      }),
    );
    return {
      events: Items.map((item) => stripKeys<DomainEvent>(item)),
      cursor: encodeCursor(LastEvaluatedKey),
    };
  }

  async markRelayed(events: readonly DomainEvent[]) {
    await Promise.all(
      events.map(async (event) => {
        try {
          await this.table.client.send(
            new UpdateCommand({
              TableName: this.table.tableName,
              Key: eventKey(event),
              UpdateExpression: 'REMOVE gsi2pk, gsi2sk',
              ConditionExpression: 'attribute_exists(pk)',
            }),
          );
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
        }
      }),
    );
  }
}
