import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../domain/errors.js';
import { type CreditLineRecord, journalJson, type LoanRecord } from '../../domain/loan.js';
import type { JournalEntry } from '../../domain/servicing/index.js';
import type { LoanStore, Transition } from '../../ports/stores.js';
import { transitionUpdate } from './application-store.js';
import { isConditionFailure, stripKeys } from './conditions.js';
import { eventItem } from './event-items.js';
import { ACTIVE_LOAN_SHARDS, keys, type TableContext } from './table.js';

/** Spreads active loans over index partitions by a stable hash of the id. */
export function loanShard(loanId: string): number {
  let hash = 0;
  for (const char of loanId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % ACTIVE_LOAN_SHARDS;
}

function loanItem(loan: LoanRecord) {
  return {
    ...keys.loan(loan.loanId),
    entity: 'LOAN',
    gsi1pk: keys.enterprise(loan.uscc),
    gsi1sk: `LOAN#${loan.loanId}`,
    ...(loan.status === 'ACTIVE'
      ? { gsi2pk: keys.activeLoanShard(loanShard(loan.loanId)), gsi2sk: loan.loanId }
      : {}),
    ...loan,
  };
}

export class DynamoLoanStore implements LoanStore {
  readonly activeLoanShards = ACTIVE_LOAN_SHARDS;

  constructor(private readonly table: TableContext) {}

  async activate({
    creditLine,
    loan,
    journal,
    application,
  }: {
    creditLine?: CreditLineRecord;
    loan: LoanRecord;
    journal: JournalEntry[];
    application: Transition;
  }) {
    const { client, tableName } = this.table;
    try {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            transitionUpdate(tableName, application),
            ...(creditLine
              ? [
                  {
                    Put: {
                      TableName: tableName,
                      Item: {
                        ...keys.creditLine(creditLine.creditLineId),
                        entity: 'CREDIT_LINE',
                        gsi1pk: keys.enterprise(creditLine.uscc),
                        gsi1sk: `LINE#${creditLine.creditLineId}`,
                        ...creditLine,
                      },
                      ConditionExpression: 'attribute_not_exists(pk)',
                    },
                  },
                ]
              : []),
            {
              Put: {
                TableName: tableName,
                Item: loanItem(loan),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...journal.map((entry) => ({
              Put: {
                TableName: tableName,
                Item: {
                  ...keys.journalEntry(entry.loanId, entry.businessDate, entry.kind, entry.reference),
                  entity: 'JOURNAL_ENTRY',
                  ...journalJson(entry),
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            })),
            ...(application.events ?? []).map((event) => ({
              Put: { TableName: tableName, Item: eventItem(event) },
            })),
          ],
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new ConflictError(`application ${application.applicationId} was already activated`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  async journal(loanId: string) {
    const { Items = [] } = await this.table.client.send(
      new QueryCommand({
        TableName: this.table.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.loan(loanId).pk, ':prefix': 'JOURNAL#' },
        ConsistentRead: true,
      }),
    );
    return Items.map((item) => stripKeys<ReturnType<typeof journalJson>>(item));
  }

  async getCreditLine(id: string): Promise<CreditLineRecord | undefined> {
    const { Item } = await this.table.client.send(
      new GetCommand({ TableName: this.table.tableName, Key: keys.creditLine(id), ConsistentRead: true }),
    );
    return Item ? stripKeys<CreditLineRecord>(Item) : undefined;
  }

  async getLoan(id: string): Promise<LoanRecord | undefined> {
    const { Item } = await this.table.client.send(
      new GetCommand({ TableName: this.table.tableName, Key: keys.loan(id), ConsistentRead: true }),
    );
    return Item ? stripKeys<LoanRecord>(Item) : undefined;
  }

  async activeLoans(shard: number, cursor?: string) {
    const { Items = [], LastEvaluatedKey } = await this.table.client.send(
      new QueryCommand({
        TableName: this.table.tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.activeLoanShard(shard) },
        ExclusiveStartKey: cursor
          ? (JSON.parse(Buffer.from(cursor, 'base64url').toString()) as Record<string, unknown>)
          : undefined,
        Limit: 100,
      }),
    );
    return {
      loans: Items.map((item) => stripKeys<LoanRecord>(item)),
      cursor: LastEvaluatedKey
        ? Buffer.from(JSON.stringify(LastEvaluatedKey)).toString('base64url')
        : undefined,
    };
  }

  async recordMonitoringRun(
    loanId: string,
    businessDate: string,
    at: string,
    observations: Record<string, unknown>,
  ) {
    const { client, tableName } = this.table;
    try {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: {
                  ...keys.monitoringRun(loanId, businessDate),
                  entity: 'MONITORING_RUN',
                  loanId,
                  businessDate,
                  at,
                  observations,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: tableName,
                Key: keys.loan(loanId),
                UpdateExpression: 'SET lastMonitoredOn = :date',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeValues: { ':date': businessDate },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
