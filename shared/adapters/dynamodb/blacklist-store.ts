import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import {
  AlreadyListedError,
  type AuditAppend,
  type BlacklistEntry,
  type BlacklistKey,
  type BlacklistStore,
  StaleAuditHeadError,
} from '../../ports/stores.js';
import { auditWrites, isAuditHeadMoved } from './audit-log.js';
import { failedConditionIndex, isConditionFailure, isTransactionConflict, stripKeys } from './conditions.js';
import { keys, type TableContext } from './table.js';

/**
 * Each entry is an item of its own (kept after removal, for the audit trail) plus, while it is
 * active, a guard item under its lookup key. The guard makes "one active entry per key" a
 * conditional write and lets a lookup be a GetItem per key.
 */
export class DynamoBlacklistStore implements BlacklistStore {
  constructor(private readonly table: TableContext) {}

  async add(entry: BlacklistEntry, key: BlacklistKey, audit: AuditAppend): Promise<void> {
    const { client, tableName } = this.table;
    try {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: {
                  ...keys.blacklistGuard(key.kind, key.key),
                  entity: 'BLACKLIST_GUARD',
                  entryId: entry.entryId,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: {
                  ...keys.blacklistEntry(entry.entryId),
                  entity: 'BLACKLIST_ENTRY',
                  gsi2pk: keys.activeBlacklist,
                  gsi2sk: `${entry.addedAt}#${entry.entryId}`,
                  lookupKind: key.kind,
                  lookupKey: key.key,
                  ...entry,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...auditWrites(tableName, audit),
          ],
        }),
      );
    } catch (error) {
      // The guard and the entry are items 0 and 1; the audit items follow.
      if (isAuditHeadMoved(error, 2))
        throw new StaleAuditHeadError('the audit trail moved on meanwhile', { cause: error });
      if (isTransactionConflict(error)) {
        throw new ConflictError('another change to this blacklist value is in progress; retry', {
          cause: error,
        });
      }
      if (failedConditionIndex(error) !== 0) throw error;
      const [existing] = await this.matching([key]);
      if (!existing) throw error;
      throw new AlreadyListedError(existing);
    }
  }

  async remove(
    entryId: string,
    by: string,
    reason: string,
    at: string,
    audit: AuditAppend,
  ): Promise<BlacklistEntry> {
    const { client, tableName } = this.table;
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: keys.blacklistEntry(entryId), ConsistentRead: true }),
    );
    if (!Item) throw new NotFoundError(`blacklist entry ${entryId} not found`);
    try {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName,
                Key: keys.blacklistEntry(entryId),
                UpdateExpression:
                  'SET #status = :removed, removedBy = :by, removedAt = :at, removalReason = :reason REMOVE gsi2pk, gsi2sk',
                ConditionExpression: '#status = :active',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':removed': 'REMOVED',
                  ':active': 'ACTIVE',
                  ':by': by,
                  ':at': at,
                  ':reason': reason,
                },
              },
            },
            {
              Delete: {
                TableName: tableName,
                Key: keys.blacklistGuard(String(Item.lookupKind), String(Item.lookupKey)),
                ConditionExpression: 'entryId = :entryId',
                ExpressionAttributeValues: { ':entryId': entryId },
              },
            },
            ...auditWrites(tableName, audit),
          ],
        }),
      );
    } catch (error) {
      if (isAuditHeadMoved(error, 2))
        throw new StaleAuditHeadError('the audit trail moved on meanwhile', { cause: error });
      if (isTransactionConflict(error)) {
        throw new ConflictError(`blacklist entry ${entryId} is being changed by another request; retry`, {
          cause: error,
        });
      }
      if (isConditionFailure(error))
        throw new ConflictError(`blacklist entry ${entryId} is not active`, { cause: error });
      throw error;
    }
    return { ...this.entryOf(Item), status: 'REMOVED', removedBy: by, removedAt: at, removalReason: reason };
  }

  async get(entryId: string): Promise<BlacklistEntry | undefined> {
    const { Item } = await this.table.client.send(
      new GetCommand({
        TableName: this.table.tableName,
        Key: keys.blacklistEntry(entryId),
        ConsistentRead: true,
      }),
    );
    return Item ? this.entryOf(Item) : undefined;
  }

  async listActive(limit: number): Promise<BlacklistEntry[]> {
    const { Items = [] } = await this.table.client.send(
      new QueryCommand({
        TableName: this.table.tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.activeBlacklist },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return Items.map((item) => this.entryOf(item));
  }

  async matching(lookups: BlacklistKey[]): Promise<BlacklistEntry[]> {
    if (lookups.length === 0) return [];
    const { client, tableName } = this.table;
    // One consistent GetItem per key: a BatchGetItem may leave keys unprocessed, and a check
    // that silently skips a key would let a listed applicant through.
    const guards = await Promise.all(
      lookups.map(async (lookup) => {
        const { Item } = await client.send(
          new GetCommand({
            TableName: tableName,
            Key: keys.blacklistGuard(lookup.kind, lookup.key),
            ConsistentRead: true,
          }),
        );
        return Item;
      }),
    );
    const entries = await Promise.all(
      guards.filter((guard) => guard !== undefined).map((guard) => this.get(String(guard.entryId))),
    );
    return entries.filter((entry): entry is BlacklistEntry => entry?.status === 'ACTIVE');
  }

  private entryOf(item: Record<string, unknown>): BlacklistEntry {
    const { lookupKind, lookupKey, ...entry } = stripKeys<
      BlacklistEntry & { lookupKind?: string; lookupKey?: string }
    >(item);
    return entry;
  }
}
