import { setTimeout as delay } from 'node:timers/promises';
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { createTableInput, type TableContext } from '../shared/adapters/dynamodb/table.js';

const INDEX_READY_TIMEOUT_MS = 30_000;

async function describe(table: TableContext): Promise<TableDescription | undefined> {
  try {
    const { Table } = await table.client.send(new DescribeTableCommand({ TableName: table.tableName }));
    return Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/**
 * Creates the table as the CDK data stack declares it, or, for a table an earlier version left
 * in a data folder, adds the indexes added since (gsi3, the audit trail by time): one index per
 * update, as DynamoDB allows, each awaited until it is ACTIVE, so `npm start` keeps its data.
 */
export async function ensureTable(table: TableContext): Promise<void> {
  const input = createTableInput(table.tableName);
  const existing = await describe(table);
  if (!existing) {
    await table.client.send(new CreateTableCommand(input));
    return;
  }
  const present = new Set((existing.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  for (const index of input.GlobalSecondaryIndexes) {
    if (present.has(index.IndexName)) continue;
    await table.client.send(
      new UpdateTableCommand({
        TableName: table.tableName,
        AttributeDefinitions: input.AttributeDefinitions,
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
    const deadline = Date.now() + INDEX_READY_TIMEOUT_MS;
    for (;;) {
      const status = (await describe(table))?.GlobalSecondaryIndexes?.find(
        (candidate) => candidate.IndexName === index.IndexName,
      )?.IndexStatus;
      if (status === 'ACTIVE') break;
      if (Date.now() > deadline)
        throw new Error(`index ${index.IndexName} of table ${table.tableName} is still ${status}`);
      await delay(100);
    }
  }
}
