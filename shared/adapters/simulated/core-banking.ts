import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../../ports/clock.js';
import type { CoreBanking, Transfer, TransferRequest } from '../../ports/core-banking.js';
import { isConditionFailure, stripKeys } from '../dynamodb/conditions.js';
import type { TableContext } from '../dynamodb/table.js';

/**
 * A stand-in for the bank's core system that books transfers in the table under its own
 * partition, honouring the reference as an idempotency key as real core systems do. It lets a
 * test count transfers and prove a duplicate message never books a second one.
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
    const key = { pk: 'COREBANK#TRANSFERS', sk: request.reference };
    try {
      await this.table.client.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: { ...key, entity: 'CORE_TRANSFER', ...transfer, beneficiaryUscc: request.beneficiaryUscc },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return transfer;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const { Item } = await this.table.client.send(
        new GetCommand({ TableName: this.table.tableName, Key: key, ConsistentRead: true }),
      );
      return stripKeys<Transfer>(Item ?? {});
    }
  }

  /** Every transfer booked for a reference prefix (tests and the local console). */
  async transfers(referencePrefix = ''): Promise<Transfer[]> {
    const { Items = [] } = await this.table.client.send(
      new QueryCommand({
        TableName: this.table.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': 'COREBANK#TRANSFERS', ':prefix': referencePrefix },
        ConsistentRead: true,
      }),
    );
    return Items.map((item) => stripKeys<Transfer>(item));
  }
}
