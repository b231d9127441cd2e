import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../domain/errors.js';
import type { DomainEvent } from '../../domain/events.js';
import {
  type CreditLineRecord,
  type DrawdownRecord,
  type JournalEntryJson,
  journalJson,
  type LoanRecord,
  OPEN_LOAN_STATUSES,
  type RepaymentRecord,
} from '../../domain/loan.js';
import { Money } from '../../domain/money.js';
import type { JournalEntry } from '../../domain/servicing/index.js';
import {
  type AuditAppend,
  CreditLineUnavailableError,
  type IdempotencyClaim,
  IdempotencyRecordExistsError,
  type LoanStore,
  type ServicingCommit,
  StaleAuditHeadError,
  StaleLoanError,
  type Transition,
} from '../../ports/stores.js';
import { idempotencyPut, transitionUpdate } from './application-store.js';
import { auditWrites, isAuditHeadMoved } from './audit-log.js';
import {
  decodeCursor,
  encodeCursor,
  failedConditionIndex,
  isConditionFailure,
  isTransactionConflict,
  stripKeys,
} from './conditions.js';
import { eventItem } from './event-items.js';
import { ACTIVE_LOAN_SHARDS, keys, type TableContext } from './table.js';

/** Spreads open loans over index partitions by a stable hash of the id. */
export function loanShard(loanId: string): number {
  let hash = 0;
  for (const char of loanId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % ACTIVE_LOAN_SHARDS;
}

/**
 * Only open loans are on the active index, so the nightly jobs never read a settled one; a
 * closed loan with a repayment still being collected stays on it until reconciliation has
 * finished that repayment.
 */
export function loanItem(loan: LoanRecord) {
  return {
    ...keys.loan(loan.loanId),
    entity: 'LOAN',
    gsi1pk: keys.enterprise(loan.uscc),
    gsi1sk: `LOAN#${loan.loanId}`,
    ...(OPEN_LOAN_STATUSES.includes(loan.status) || (loan.pendingRepayments?.length ?? 0) > 0
      ? { gsi2pk: keys.activeLoanShard(loanShard(loan.loanId)), gsi2sk: loan.loanId }
      : {}),
    ...loan,
  };
}

/**
 * A credit line keeps what is used as a number of fen (exact: DynamoDB numbers hold 38
 * digits), so a draw-down reserves with an atomic, conditional ADD; `used` and `available` are
 * derived from it when the line is read.
 */
function creditLineItem(line: CreditLineRecord) {
  const { used, available, ...rest } = line;
  return {
    ...keys.creditLine(line.creditLineId),
    entity: 'CREDIT_LINE',
    gsi1pk: keys.enterprise(line.uscc),
    gsi1sk: `LINE#${line.creditLineId}`,
    ...rest,
    limitMinor: Number(Money.fromJson(line.limit).minor),
    usedMinor: Number(Money.fromJson(used).minor),
  };
}

function creditLineRecord(item: Record<string, unknown>): CreditLineRecord {
  const { limitMinor, usedMinor, ...rest } = stripKeys<
    Omit<CreditLineRecord, 'used' | 'available'> & { limitMinor: number; usedMinor: number }
  >(item);
  const limit = Money.ofMinor(BigInt(limitMinor));
  const used = Money.ofMinor(BigInt(usedMinor));
  return { ...rest, used: used.toJSON(), available: limit.subtract(used).toJSON() };
}

function journalItem(entry: JournalEntry) {
  return {
    ...keys.journalEntry(entry.loanId, entry.businessDate, entry.kind, entry.reference),
    entity: 'JOURNAL_ENTRY',
    ...journalJson(entry),
  };
}

export class DynamoLoanStore implements LoanStore {
  readonly activeLoanShards = ACTIVE_LOAN_SHARDS;

  constructor(private readonly table: TableContext) {}

  private put(Item: Record<string, unknown>, ConditionExpression = 'attribute_not_exists(pk)') {
    return { Put: { TableName: this.table.tableName, Item, ConditionExpression } };
  }

  private putEvents(events: readonly DomainEvent[]) {
    return events.map((event) => ({ Put: { TableName: this.table.tableName, Item: eventItem(event) } }));
  }

  async activate({
    creditLine,
    loan,
    journal,
    application,
    audit,
  }: {
    creditLine?: CreditLineRecord;
    loan: LoanRecord;
    journal: JournalEntry[];
    application: Transition;
    audit?: AuditAppend;
  }) {
    const items = [
      transitionUpdate(this.table.tableName, application),
      ...(creditLine ? [this.put(creditLineItem(creditLine))] : []),
      this.put(loanItem(loan)),
      ...journal.map((entry) => this.put(journalItem(entry))),
      ...this.putEvents(application.events ?? []),
    ];
    const firstAuditIndex = items.length;
    try {
      await this.table.client.send(
        new TransactWriteCommand({
          TransactItems: [...items, ...(audit ? auditWrites(this.table.tableName, audit) : [])],
        }),
      );
    } catch (error) {
      if (audit && isAuditHeadMoved(error, firstAuditIndex))
        throw new StaleAuditHeadError('the audit trail moved on meanwhile', { cause: error });
      if (isConditionFailure(error)) {
        throw new ConflictError(`application ${application.applicationId} was already activated`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  async journal(loanId: string, range: { from?: string; to?: string } = {}): Promise<JournalEntryJson[]> {
    // Journal sort keys are JOURNAL#<date>#<n>-<kind>#<reference>; '~' sorts after all of a date's.
    const from = `JOURNAL#${range.from ?? ''}`;
    const to = `JOURNAL#${range.to ?? '9999-12-31'}#~`;
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': keys.loan(loanId).pk, ':from': from, ':to': to },
      ConsistentRead: true,
    });
    return items.map((item) => stripKeys<JournalEntryJson>(item));
  }

  async getCreditLine(id: string): Promise<CreditLineRecord | undefined> {
    const Item = await this.get(keys.creditLine(id));
    return Item ? creditLineRecord(Item) : undefined;
  }

  async getLoan(id: string): Promise<LoanRecord | undefined> {
    const Item = await this.get(keys.loan(id));
    return Item ? stripKeys<LoanRecord>(Item) : undefined;
  }

  async loansOfCreditLine({ creditLineId, uscc }: Pick<CreditLineRecord, 'creditLineId' | 'uscc'>) {
    const items = await this.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
      FilterExpression: 'creditLineId = :line',
      ExpressionAttributeValues: {
        ':pk': keys.enterprise(uscc),
        ':prefix': 'LOAN#',
        ':line': creditLineId,
      },
    });
    return items
      .map((item) => stripKeys<LoanRecord>(item))
      .sort((a, b) => a.disbursedAt.localeCompare(b.disbursedAt));
  }

  async requestDrawdown({
    drawdown,
    event,
    idempotency,
    today,
  }: {
    drawdown: DrawdownRecord;
    event: DomainEvent;
    idempotency: IdempotencyClaim;
    today: string;
  }): Promise<void> {
    const line = await this.getCreditLine(drawdown.creditLineId);
    if (!line) throw new CreditLineUnavailableError(`credit line ${drawdown.creditLineId} not found`);
    const limit = Money.fromJson(line.limit);
    const amount = Money.fromJson(drawdown.amount);
    const maxUsed = limit.subtract(amount);
    if (maxUsed.minor < 0n) throw unavailable(line, amount);
    try {
      await this.table.client.send(
        new TransactWriteCommand({
          TransactItems: [
            idempotencyPut(this.table.tableName, idempotency),
            {
              Update: {
                TableName: this.table.tableName,
                Key: keys.creditLine(drawdown.creditLineId),
                UpdateExpression: 'SET usedMinor = usedMinor + :amount',
                ConditionExpression:
                  '#status = :active AND limitMinor = :limit AND usedMinor <= :maxUsed AND expiresOn >= :today',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':amount': Number(amount.minor),
                  ':active': 'ACTIVE',
                  ':limit': Number(limit.minor),
                  ':maxUsed': Number(maxUsed.minor),
                  ':today': today,
                },
              },
            },
            this.put({
              ...keys.drawdown(drawdown.creditLineId, drawdown.drawdownId),
              entity: 'DRAWDOWN',
              // On the index of requested draw-downs until it is paid out (bookDrawdown drops it).
              gsi2pk: keys.requestedDrawdowns,
              gsi2sk: `${drawdown.requestedAt}#${drawdown.drawdownId}`,
              ...drawdown,
            }),
            ...this.putEvents([event]),
          ],
        }),
      );
    } catch (error) {
      const failed = failedConditionIndex(error);
      if (failed === 0 || isTransactionConflict(error))
        throw new IdempotencyRecordExistsError('idempotency key already used', { cause: error });
      if (failed === 1) {
        const now = await this.getCreditLine(drawdown.creditLineId);
        throw unavailable(now ?? line, amount, { cause: error });
      }
      throw error;
    }
  }

  async requestedDrawdowns(before: string, cursor?: string) {
    const { Items = [], LastEvaluatedKey } = await this.table.client.send(
      new QueryCommand({
        TableName: this.table.tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :before',
        ExpressionAttributeValues: { ':pk': keys.requestedDrawdowns, ':before': before },
        ExclusiveStartKey: decodeCursor(cursor),
        Limit: 100,
      }),
    );
    return {
      drawdowns: Items.map((item) => stripKeys<DrawdownRecord>(item)),
      cursor: encodeCursor(LastEvaluatedKey),
    };
  }

  async getDrawdown(creditLineId: string, drawdownId: string): Promise<DrawdownRecord | undefined> {
    const Item = await this.get(keys.drawdown(creditLineId, drawdownId));
    return Item ? stripKeys<DrawdownRecord>(Item) : undefined;
  }

  async bookDrawdown({
    drawdown,
    loan,
    journal,
    events,
  }: {
    drawdown: DrawdownRecord;
    loan: LoanRecord;
    journal: JournalEntry[];
    events: DomainEvent[];
  }): Promise<boolean> {
    try {
      await this.table.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table.tableName,
                Item: {
                  ...keys.drawdown(drawdown.creditLineId, drawdown.drawdownId),
                  entity: 'DRAWDOWN',
                  ...drawdown,
                },
                ConditionExpression: '#status = :requested',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':requested': 'REQUESTED' },
              },
            },
            this.put(loanItem(loan)),
            ...journal.map((entry) => this.put(journalItem(entry))),
            ...this.putEvents(events),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async commit(change: ServicingCommit): Promise<void> {
    const { tableName } = this.table;
    const items = [
      {
        Put: {
          TableName: tableName,
          Item: loanItem(change.loan),
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': change.expectedVersion },
        },
      },
      ...change.journal.map((entry) => this.put(journalItem(entry))),
      ...this.putEvents(change.events),
      ...(change.repayment
        ? [
            this.put({
              ...keys.repayment(change.repayment.loanId, change.repayment.repaymentId),
              entity: 'REPAYMENT',
              ...change.repayment,
            }),
          ]
        : []),
      ...(change.idempotency ? [idempotencyPut(tableName, change.idempotency)] : []),
      ...(change.creditLineRelease && !change.creditLineRelease.amount.isZero()
        ? [
            {
              Update: {
                TableName: tableName,
                Key: keys.creditLine(change.creditLineRelease.creditLineId),
                UpdateExpression: 'SET usedMinor = usedMinor - :amount',
                ConditionExpression: 'usedMinor >= :amount',
                ExpressionAttributeValues: { ':amount': Number(change.creditLineRelease.amount.minor) },
              },
            },
          ]
        : []),
      ...(change.freezeCreditLine
        ? [
            {
              Update: {
                TableName: tableName,
                Key: keys.creditLine(change.freezeCreditLine.creditLineId),
                UpdateExpression: 'SET #status = :frozen',
                ConditionExpression: 'attribute_exists(pk) AND #status = :expected',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':frozen': 'FROZEN',
                  ':expected': change.freezeCreditLine.expectedStatus,
                },
              },
            },
          ]
        : []),
    ];
    // The audit items come last, so the indexes above stay as they are.
    const firstAuditIndex = items.length;
    const freezeIndex = change.freezeCreditLine ? items.length - 1 : -1;
    if (change.audit) items.push(...auditWrites(tableName, change.audit));
    const repaymentIndex = change.repayment ? 1 + change.journal.length + change.events.length : -1;
    const idempotencyIndex = change.idempotency
      ? 1 + change.journal.length + change.events.length + (change.repayment ? 1 : 0)
      : -1;
    try {
      await this.table.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const failed = failedConditionIndex(error);
      if (change.audit && isAuditHeadMoved(error, firstAuditIndex))
        throw new StaleAuditHeadError('the audit trail moved on meanwhile', { cause: error });
      if (failed >= 0 && failed === freezeIndex)
        throw new StaleLoanError(`credit line ${change.freezeCreditLine?.creditLineId} changed meanwhile`, {
          cause: error,
        });
      if (failed >= 0 && failed === idempotencyIndex)
        throw new IdempotencyRecordExistsError('idempotency key already used', { cause: error });
      // The loan's version moved, or its journal entry or repayment record exists already: either
      // way another writer got there first, and the caller reloads to see what it did.
      if (
        isTransactionConflict(error) ||
        (failed >= 0 && (failed <= change.journal.length || failed === repaymentIndex))
      )
        throw new StaleLoanError(`loan ${change.loan.loanId} changed meanwhile`, { cause: error });
      throw error;
    }
  }

  async completeRefund(
    loanId: string,
    repaymentId: string,
    refund: { refundId: string; refundedAt: string },
  ) {
    await this.table.client.send(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: keys.repayment(loanId, repaymentId),
        UpdateExpression: 'SET #status = :refunded, refund.refundId = :id, refund.refundedAt = :at',
        ConditionExpression: '#status IN (:refunding, :refunded)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':refunded': 'REFUNDED',
          ':refunding': 'REFUNDING',
          ':id': refund.refundId,
          ':at': refund.refundedAt,
        },
      }),
    );
  }

  async getRepayment(loanId: string, repaymentId: string): Promise<RepaymentRecord | undefined> {
    const Item = await this.get(keys.repayment(loanId, repaymentId));
    return Item ? stripKeys<RepaymentRecord>(Item) : undefined;
  }

  async activeLoans(shard: number, cursor?: string) {
    const { Items = [], LastEvaluatedKey } = await this.table.client.send(
      new QueryCommand({
        TableName: this.table.tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.activeLoanShard(shard) },
        ExclusiveStartKey: decodeCursor(cursor),
        Limit: 100,
      }),
    );
    return {
      loans: Items.map((item) => stripKeys<LoanRecord>(item)),
      cursor: encodeCursor(LastEvaluatedKey),
    };
  }

  async recordMonitoringRun(
    loanId: string,
    businessDate: string,
    at: string,
    observations: Record<string, unknown>,
    events: DomainEvent[] = [],
  ) {
    try {
      await this.table.client.send(
        new TransactWriteCommand({
          TransactItems: [
            this.put({
              ...keys.monitoringRun(loanId, businessDate),
              entity: 'MONITORING_RUN',
              loanId,
              businessDate,
              at,
              observations,
            }),
            {
              Update: {
                TableName: this.table.tableName,
                Key: keys.loan(loanId),
                // A new version, so a servicing write computed from an older read cannot undo it.
                UpdateExpression: 'SET lastMonitoredOn = :date, version = version + :one',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeValues: { ':date': businessDate, ':one': 1 },
              },
            },
            ...this.putEvents(events),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  private async get(Key: Record<string, string>) {
    const { Item } = await this.table.client.send(
      new GetCommand({ TableName: this.table.tableName, Key, ConsistentRead: true }),
    );
    return Item;
  }

  private async queryAll(
    input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName' | 'ExclusiveStartKey'>,
  ) {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.table.client.send(
        new QueryCommand({ ...input, TableName: this.table.tableName, ExclusiveStartKey }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }
}

function unavailable(line: CreditLineRecord, amount: Money, options?: ErrorOptions) {
  const reason =
    line.status !== 'ACTIVE'
      ? `credit line ${line.creditLineId} is ${line.status}`
      : `amount ${amount.toString()} is more than the ${Money.fromJson(line.available).toString()} available on credit line ${line.creditLineId}`;
  return new CreditLineUnavailableError(reason, options);
}
