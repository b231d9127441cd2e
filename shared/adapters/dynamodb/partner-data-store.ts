import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { PartnerDataRecord } from '../../domain/decisioning/partner.js';
import { ConflictError } from '../../domain/errors.js';
import {
  type PartnerDataStore,
  type PartnerPushReceipt,
  PartnerReceiptExistsError,
} from '../../ports/stores.js';
import { failedConditionIndex, isConditionFailure, isTransactionConflict, stripKeys } from './conditions.js';
import { keys, type TableContext } from './table.js';

/**
 * Longer than any sender's retry schedule (Standard Webhooks senders retry for days with the
 * same `webhook-id`), so a late redelivery still finds its receipt and stores nothing.
 */
const RECEIPT_RETENTION_SECONDS = 30 * 24 * 3600;

const LATEST_PREFIX = 'LATEST#';

/**
 * One item per (uscc, kind, platform) holding the latest push, under the enterprise's own
 * partition so CollectData reads all of them with one Query, and one receipt item per push,
 * under the partner and the webhook id, written in the same transaction.
 */
export class DynamoPartnerDataStore implements PartnerDataStore {
  constructor(private readonly table: TableContext) {}

  async record(
    record: PartnerDataRecord,
    receipt: Omit<PartnerPushReceipt, 'outcome'>,
  ): Promise<PartnerPushReceipt> {
    const { client, tableName } = this.table;
    const stored: PartnerPushReceipt = { ...receipt, outcome: 'STORED' };
    try {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: this.receiptItem(stored),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: {
                  ...keys.partnerData(record.uscc, record.kind, record.platform),
                  entity: 'PARTNER_DATA',
                  ...record,
                },
                // The first push of the platform, or a push by the same partner that is at least
                // as recent: a delayed redelivery of older figures never replaces newer ones.
                ConditionExpression: 'attribute_not_exists(pk) OR (partnerId = :partnerId AND asOf <= :asOf)',
                ExpressionAttributeValues: { ':partnerId': record.partnerId, ':asOf': record.asOf },
              },
            },
          ],
        }),
      );
      return stored;
    } catch (error) {
      if (isTransactionConflict(error)) {
        throw new ConflictError('another push of the same data is being stored; retry', { cause: error });
      }
      const failed = failedConditionIndex(error);
      if (failed === 0) throw new PartnerReceiptExistsError('push already received', { cause: error });
      if (failed !== 1) throw error;
    }
    const current = await this.latest(record);
    if (current && current.partnerId !== record.partnerId) {
      throw new ConflictError(
        `${record.platform} ${record.kind} data of this enterprise is supplied by another partner`,
      );
    }
    const superseded: PartnerPushReceipt = { ...receipt, outcome: 'SUPERSEDED' };
    try {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: this.receiptItem(superseded),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new PartnerReceiptExistsError('push already received', { cause: error });
      }
      throw error;
    }
    return superseded;
  }

  async findReceipt(partnerId: string, webhookId: string): Promise<PartnerPushReceipt | undefined> {
    const { Item } = await this.table.client.send(
      new GetCommand({
        TableName: this.table.tableName,
        Key: keys.partnerReceipt(partnerId, webhookId),
        ConsistentRead: true,
      }),
    );
    return Item ? stripKeys<PartnerPushReceipt>(Item) : undefined;
  }

  async latestFor(uscc: string, signal?: AbortSignal): Promise<PartnerDataRecord[]> {
    const records: PartnerDataRecord[] = [];
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.table.client.send(
        new QueryCommand({
          TableName: this.table.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.partnerData(uscc, '', '').pk, ':prefix': LATEST_PREFIX },
          ExclusiveStartKey: cursor,
        }),
        { abortSignal: signal },
      );
      records.push(...(page.Items ?? []).map((item) => stripKeys<PartnerDataRecord>(item)));
      cursor = page.LastEvaluatedKey;
    } while (cursor);
    return records;
  }

  private async latest(record: PartnerDataRecord): Promise<PartnerDataRecord | undefined> {
    const { Item } = await this.table.client.send(
      new GetCommand({
        TableName: this.table.tableName,
        Key: keys.partnerData(record.uscc, record.kind, record.platform),
        ConsistentRead: true,
      }),
    );
    return Item ? stripKeys<PartnerDataRecord>(Item) : undefined;
  }

  private receiptItem(receipt: PartnerPushReceipt): Record<string, unknown> {
    return {
      ...keys.partnerReceipt(receipt.partnerId, receipt.webhookId),
      entity: 'PARTNER_RECEIPT',
      ...receipt,
      expiresAt: Math.floor(Date.parse(receipt.receivedAt) / 1000) + RECEIPT_RETENTION_SECONDS,
    };
  }
}
