import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DisbursementRecord, DisbursementStore } from '../../ports/stores.js';
import { isConditionFailure, stripKeys } from './conditions.js';
import { keys, type TableContext } from './table.js';

/** One disbursement record per application: the worker's guard against paying out twice. */
export class DynamoDisbursementStore implements DisbursementStore {
  constructor(private readonly table: TableContext) {}

  async claim(record: DisbursementRecord): Promise<DisbursementRecord> {
    const { client, tableName } = this.table;
    try {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...keys.disbursement(record.applicationId), entity: 'DISBURSEMENT', ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return record;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const { Item } = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: keys.disbursement(record.applicationId),
          ConsistentRead: true,
        }),
      );
      if (!Item) throw new Error(`disbursement of ${record.applicationId} vanished after a failed claim`);
      return stripKeys<DisbursementRecord>(Item);
    }
  }

  async complete(applicationId: string, transferId: string, at: string): Promise<void> {
    await this.table.client.send(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: keys.disbursement(applicationId),
        UpdateExpression: 'SET #status = :done, transferId = :transferId, completedAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':done': 'COMPLETED', ':transferId': transferId, ':at': at },
      }),
    );
  }
}
