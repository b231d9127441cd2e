import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { type AuditHead, type AuditRecord, GENESIS } from '../../domain/audit.js';
import { ValidationError } from '../../domain/errors.js';
import type { AuditAppend, AuditLog, AuditPage, AuditPageRequest } from '../../ports/stores.js';
import { decodeCursor, encodeCursor, stripKeys } from './conditions.js';
import { AUDIT_CHAIN, keys, type TableContext } from './table.js';

/**
 * The audit trail in the single table. Records live in one partition, sorted by sequence
 * number (the chain's order, read by verification); each is also on gsi1 under its entity,
 * on gsi2 under its actor and on gsi3 by time. The head item holds the last sequence number
 * and hash. No audit item has a TTL: the trail is kept for as long as the table is.
 */

const sortKeyOf = (sequence: number) => keys.auditRecord(sequence).sk;

export function auditRecordItem(record: AuditRecord): Record<string, unknown> {
  const position = sortKeyOf(record.sequence);
  return {
    ...keys.auditRecord(record.sequence),
    entity: 'AUDIT_RECORD',
    gsi1pk: keys.auditByEntity(record.entityId),
    gsi1sk: position,
    gsi2pk: keys.auditByActor(record.actor.subject),
    gsi2sk: position,
    gsi3pk: keys.auditByTime,
    gsi3sk: `${record.at}#${position}`,
    ...record,
  };
}

/**
 * The transaction items that append `append` to the chain: the head moved from the head the
 * records were computed from to their last one (conditioned on it still being the one read),
 * and each record put only if its sequence number is free. A store puts them after its own
 * items and tells a failure among them apart with `isAuditHeadMoved`.
 */
export function auditWrites(tableName: string, append: AuditAppend) {
  const last = append.records.at(-1);
  if (!last) return [];
  const { expected } = append;
  return [
    {
      Put: {
        TableName: tableName,
        Item: {
          ...keys.auditHead,
          entity: 'AUDIT_HEAD',
          sequence: last.sequence,
          hash: last.hash,
          at: last.at,
        },
        ...(expected.sequence === GENESIS.sequence
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: '#sequence = :sequence AND #hash = :hash',
              ExpressionAttributeNames: { '#sequence': 'sequence', '#hash': 'hash' },
              ExpressionAttributeValues: { ':sequence': expected.sequence, ':hash': expected.hash },
            }),
      },
    },
    ...append.records.map((record) => ({
      Put: {
        TableName: tableName,
        Item: auditRecordItem(record),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    })),
  ];
}

/**
 * True when a transaction whose audit items start at `firstAuditIndex` was refused because of
 * them alone: the head moved, a sequence number was taken, or another transaction was writing
 * the head at that moment, while every condition of the change itself held. The caller then
 * reads the head again and retries (StaleAuditHeadError). When a condition of the change failed
 * too, that refusal is the answer: a retry would be refused the same way.
 */
export function isAuditHeadMoved(error: unknown, firstAuditIndex: number): boolean {
  if (!(error instanceof TransactionCanceledException)) return false;
  const reasons = error.CancellationReasons ?? [];
  const refusedChange = reasons.some(
    (reason, index) => index < firstAuditIndex && reason.Code === 'ConditionalCheckFailed',
  );
  return (
    !refusedChange &&
    reasons.some(
      (reason, index) =>
        index >= firstAuditIndex &&
        (reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict'),
    )
  );
}

type IndexName = 'gsi1' | 'gsi2' | 'gsi3';

export class DynamoAuditLog implements AuditLog {
  constructor(private readonly table: TableContext) {}

  async head(): Promise<AuditHead> {
    const { Item } = await this.table.client.send(
      new GetCommand({ TableName: this.table.tableName, Key: keys.auditHead, ConsistentRead: true }),
    );
    return Item ? { sequence: Number(Item.sequence), hash: String(Item.hash) } : GENESIS;
  }

  async range(from: number, to: number): Promise<AuditRecord[]> {
    const records: AuditRecord[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.table.client.send(
        new QueryCommand({
          TableName: this.table.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': AUDIT_CHAIN, ':from': sortKeyOf(from), ':to': sortKeyOf(to) },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      records.push(...(page.Items ?? []).map((item) => stripKeys<AuditRecord>(item)));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return records;
  }

  byEntity(entityId: string, page: AuditPageRequest): Promise<AuditPage> {
    return this.page('gsi1', keys.auditByEntity(entityId), page);
  }

  byActor(subject: string, page: AuditPageRequest): Promise<AuditPage> {
    return this.page('gsi2', keys.auditByActor(subject), page);
  }

  between(from: string, to: string, page: AuditPageRequest): Promise<AuditPage> {
    // Time index keys are `<at>#<sequence>`: "~" sorts after every sequence of the last instant.
    return this.page('gsi3', keys.auditByTime, page, {
      condition: ' AND gsi3sk BETWEEN :from AND :to',
      values: { ':from': from, ':to': `${to}#~` },
    });
  }

  private async page(
    index: IndexName,
    partition: string,
    { limit, cursor }: AuditPageRequest,
    range?: { condition: string; values: Record<string, string> },
  ): Promise<AuditPage> {
    const input: QueryCommandInput = {
      TableName: this.table.tableName,
      IndexName: index,
      KeyConditionExpression: `${index}pk = :pk${range?.condition ?? ''}`,
      ExpressionAttributeValues: { ':pk': partition, ...range?.values },
      ExclusiveStartKey: startKeyOf(cursor, index, partition),
      Limit: limit,
    };
    const { Items = [], LastEvaluatedKey } = await this.table.client.send(new QueryCommand(input));
    return {
      records: Items.map((item) => stripKeys<AuditRecord>(item)),
      ...(LastEvaluatedKey ? { cursor: encodeCursor(LastEvaluatedKey) } : {}),
    };
  }
}

/**
 * The start key a cursor stands for, refused (422 naming `query.cursor`) unless it is one this
 * list could have given out: a key of an audit record on the same index partition. A cursor is
 * base64 the caller can edit; an arbitrary key would otherwise reach DynamoDB and come back as
 * a 500, or start another list's page.
 */
function startKeyOf(cursor: string | undefined, index: IndexName, partition: string) {
  if (cursor === undefined) return undefined;
  const refuse = () => new ValidationError('is not a cursor this list gave out', 'query.cursor');
  let key: Record<string, unknown> | undefined;
  try {
    key = decodeCursor(cursor);
  } catch {
    throw refuse();
  }
  const expected = ['pk', 'sk', `${index}pk`, `${index}sk`];
  const valid =
    typeof key === 'object' &&
    key !== null &&
    !Array.isArray(key) &&
    Object.keys(key).length === expected.length &&
    expected.every((name) => typeof key[name] === 'string') &&
    key.pk === AUDIT_CHAIN &&
    /^\d{12}$/.test(String(key.sk)) &&
    key[`${index}pk`] === partition;
  if (!valid) throw refuse();
  return key;
}
