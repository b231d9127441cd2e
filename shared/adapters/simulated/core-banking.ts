import { randomUUID } from 'node:crypto';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { Money } from '../../domain/money.js';
import type { Clock } from '../../ports/clock.js';
import type {
  CoreBanking,
  Debit,
  DebitRequest,
  Transfer,
  TransferRequest,
} from '../../ports/core-banking.js';
import { isConditionFailure, stripKeys } from '../dynamodb/conditions.js';
import type { TableContext } from '../dynamodb/table.js';

const TRANSFERS = 'COREBANK#TRANSFERS';
const DEBITS = 'COREBANK#DEBITS';
const ACCOUNTS = 'COREBANK#ACCOUNTS';

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
