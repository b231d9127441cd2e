import { randomUUID } from 'node:crypto';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { Money, type MoneyJson } from '../../domain/money.js';
import type { Clock } from '../../ports/clock.js';
import type {
  CoreBanking,
  Debit,
  DebitRequest,
  Movement,
  MovementPage,
  Refund,
  RefundRequest,
  Transfer,
  TransferRequest,
} from '../../ports/core-banking.js';
import { isConditionFailure, stripKeys } from '../dynamodb/conditions.js';
import type { TableContext } from '../dynamodb/table.js';

const TRANSFERS = 'COREBANK#TRANSFERS';
const DEBITS = 'COREBANK#DEBITS';
const REFUNDS = 'COREBANK#REFUNDS';
const ACCOUNTS = 'COREBANK#ACCOUNTS';
/** The statement lists these partitions in this order. */
const STATEMENT = [TRANSFERS, DEBITS, REFUNDS] as const;
const STATEMENT_PAGE = 500;

/**
 * A stand-in for the bank's core system that books transfers and debits in the table under its
 * own partitions, honouring the reference as an idempotency key as real core systems do. It
 * lets a test count transfers and prove a duplicate message never books a second one.
 *
 * Settlement accounts: an enterprise whose balance was never set has unlimited funds (every
 * debit succeeds), so the ordinary path needs no set-up. Once a balance is set (`setBalance`,
 * or `PUT /local/accounts/{uscc}` locally), disbursements credit it and a debit larger than it
 * is refused with INSUFFICIENT_FUNDS, which is how a missed payment is played.
 */
export class SimulatedCoreBanking implements CoreBanking {
  constructor(
    private readonly table: TableContext,
    private readonly clock: Clock,
  ) {}

  async transfer(request: TransferRequest): Promise<Transfer> {
    const transfer: Transfer = {
      transferId: `TRF-${randomUUID()}`,
      reference: request.reference,
      amount: request.amount,
      bookedAt: this.clock.now().toISOString(),
    };
    const key = { pk: TRANSFERS, sk: request.reference };
    try {
      await this.table.client.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: { ...key, entity: 'CORE_TRANSFER', ...transfer, beneficiaryUscc: request.beneficiaryUscc },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      await this.credit(request.beneficiaryUscc, Money.fromJson(request.amount));
      return transfer;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const { Item } = await this.table.client.send(
        new GetCommand({ TableName: this.table.tableName, Key: key, ConsistentRead: true }),
      );
      return stripKeys<Transfer>(Item ?? {});
    }
  }

  async debit(request: DebitRequest): Promise<Debit> {
    const amount = Money.fromJson(request.amount);
    const booked: Debit = {
      status: 'BOOKED',
      debitId: `DBT-${randomUUID()}`,
      reference: request.reference,
      amount: request.amount,
      bookedAt: this.clock.now().toISOString(),
    };
    const debitItem = {
      Put: {
        TableName: this.table.tableName,
        Item: {
          pk: DEBITS,
          sk: request.reference,
          entity: 'CORE_DEBIT',
          ...booked,
          accountUscc: request.accountUscc,
          loanId: request.loanId,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
    const account = await this.balance(request.accountUscc);
    try {
      await this.table.client.send(
        new TransactWriteCommand({
          TransactItems: [
            debitItem,
            ...(account === undefined
              ? []
              : [
                  {
                    Update: {
                      TableName: this.table.tableName,
                      Key: { pk: ACCOUNTS, sk: request.accountUscc },
                      UpdateExpression: 'SET balanceMinor = balanceMinor - :amount',
                      ConditionExpression: 'balanceMinor >= :amount',
                      ExpressionAttributeValues: { ':amount': Number(amount.minor) },
                    },
                  },
                ]),
          ],
        }),
      );
      return booked;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const { Item } = await this.table.client.send(
        new GetCommand({
          TableName: this.table.tableName,
          Key: { pk: DEBITS, sk: request.reference },
          ConsistentRead: true,
        }),
      );
      return Item ? stripKeys<Debit>(Item) : { status: 'INSUFFICIENT_FUNDS', reference: request.reference };
    }
  }

  async refund(request: RefundRequest): Promise<Refund> {
    const debit = await this.item(DEBITS, request.debitReference);
    if (!debit || Money.fromJson(request.amount).compare(Money.fromJson(debit.amount as MoneyJson)) > 0)
      throw new Error(
        `refund ${request.reference}: no debit ${request.debitReference} of at least that amount`,
      );
    const refund: Refund = {
      refundId: `RFD-${randomUUID()}`,
      reference: request.reference,
      debitReference: request.debitReference,
      amount: request.amount,
      bookedAt: this.clock.now().toISOString(),
    };
    try {
      await this.table.client.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: {
            pk: REFUNDS,
            sk: request.reference,
            entity: 'CORE_REFUND',
            ...refund,
            accountUscc: request.accountUscc,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      await this.credit(request.accountUscc, Money.fromJson(request.amount));
      return refund;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return stripKeys<Refund>((await this.item(REFUNDS, request.reference)) ?? {});
    }
  }

  async status(reference: string): Promise<Movement | undefined> {
    for (const pk of STATEMENT) {
      const item = await this.item(pk, reference);
      if (item) return movement(item);
    }
    return undefined;
  }

  async movements(range: { from: string; to: string }, cursor?: string): Promise<MovementPage> {
    const position = cursor
      ? (JSON.parse(Buffer.from(cursor, 'base64url').toString()) as {
          partition: number;
          key?: Record<string, unknown>;
        })
      : { partition: 0 };
    const pk = STATEMENT[position.partition];
    if (!pk) return { movements: [] };
    const page = await this.table.client.send(
      new QueryCommand({
        TableName: this.table.tableName,
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: 'bookedAt >= :from AND bookedAt < :to',
        ExpressionAttributeValues: { ':pk': pk, ':from': range.from, ':to': range.to },
        ConsistentRead: true,
        ExclusiveStartKey: position.key,
        Limit: STATEMENT_PAGE,
      }),
    );
    const next = page.LastEvaluatedKey
      ? { partition: position.partition, key: page.LastEvaluatedKey }
      : position.partition + 1 < STATEMENT.length
        ? { partition: position.partition + 1 }
        : undefined;
    return {
      movements: (page.Items ?? []).map(movement),
      cursor: next ? Buffer.from(JSON.stringify(next)).toString('base64url') : undefined,
    };
  }

  private async item(pk: string, reference: string) {
    const { Item } = await this.table.client.send(
      new GetCommand({ TableName: this.table.tableName, Key: { pk, sk: reference }, ConsistentRead: true }),
    );
    return Item;
  }

  /** Credits a settlement account whose balance is kept; one with unlimited funds stays so. */
  private async credit(uscc: string, amount: Money): Promise<void> {
    try {
      await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: { pk: ACCOUNTS, sk: uscc },
          UpdateExpression: 'SET balanceMinor = balanceMinor + :amount',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':amount': Number(amount.minor) },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** Sets an enterprise's settlement account balance (local console and tests). */
  async setBalance(uscc: string, balance: Money): Promise<void> {
    await this.table.client.send(
      new PutCommand({
        TableName: this.table.tableName,
        Item: { pk: ACCOUNTS, sk: uscc, entity: 'CORE_ACCOUNT', uscc, balanceMinor: Number(balance.minor) },
      }),
    );
  }

  /** The settlement account balance, or undefined while it was never set (unlimited funds). */
  async balance(uscc: string): Promise<Money | undefined> {
    const { Item } = await this.table.client.send(
      new GetCommand({
        TableName: this.table.tableName,
        Key: { pk: ACCOUNTS, sk: uscc },
        ConsistentRead: true,
      }),
    );
    return Item ? Money.ofMinor(BigInt(Item.balanceMinor as number)) : undefined;
  }

  /** Every debit booked for a reference prefix (tests and the local console). */
  async debits(referencePrefix = ''): Promise<Debit[]> {
    return this.list(DEBITS, referencePrefix);
  }

  /** Every refund booked for a reference prefix (tests and the local console). */
  async refunds(referencePrefix = ''): Promise<Refund[]> {
    return this.list(REFUNDS, referencePrefix);
  }

  /** Every transfer booked for a reference prefix (tests and the local console). */
  async transfers(referencePrefix = ''): Promise<Transfer[]> {
    return this.list(TRANSFERS, referencePrefix);
  }

  private async list<T>(pk: string, referencePrefix: string): Promise<T[]> {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.table.client.send(
        new QueryCommand({
          TableName: this.table.tableName,
          // DynamoDB refuses an empty key value, so no prefix means the whole partition.
          ...(referencePrefix
            ? {
                KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
                ExpressionAttributeValues: { ':pk': pk, ':prefix': referencePrefix },
              }
            : { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }),
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items.map((item) => stripKeys<T>(item));
  }
}

function movement(item: Record<string, unknown>): Movement {
  const kind = ({ CORE_TRANSFER: 'TRANSFER', CORE_DEBIT: 'DEBIT', CORE_REFUND: 'REFUND' } as const)[
    item.entity as 'CORE_TRANSFER' | 'CORE_DEBIT' | 'CORE_REFUND'
  ];
  const text = (name: string) => (typeof item[name] === 'string' ? (item[name] as string) : undefined);
  return {
    kind,
    id: text('transferId') ?? text('debitId') ?? text('refundId') ?? '',
    reference: item.reference as string,
    amount: item.amount as Movement['amount'],
    accountUscc: text('beneficiaryUscc') ?? text('accountUscc') ?? '',
    ...(text('loanId') ? { loanId: text('loanId') } : {}),
    ...(text('debitReference') ? { debitReference: text('debitReference') } : {}),
    bookedAt: item.bookedAt as string,
  };
}
