import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../../../local/ensure-table.js';
import {
  createDocumentClient,
  createTableInput,
  GLOBAL_INDEXES,
  TABLE_KEYS,
} from '../../../shared/adapters/dynamodb/table.js';

describe('the local table', () => {
  it('is created with every index, and a table an earlier version persisted gets the indexes added since', async () => {
    // Prepare: a table as it was before gsi3, holding an item that carries gsi3's keys.
    const table = {
      client: createDocumentClient(inject('dynamodbEndpoint')),
      tableName: `ensure-${Math.random().toString(36).slice(2, 10)}`,
    };
    const current = createTableInput(table.tableName);
    await table.client.send(
      new CreateTableCommand({
        ...current,
        AttributeDefinitions: current.AttributeDefinitions.filter((d) => !d.AttributeName.startsWith('gsi3')),
        GlobalSecondaryIndexes: current.GlobalSecondaryIndexes.filter(
          (index) => index.IndexName !== TABLE_KEYS.gsi3.name,
        ),
      }),
    );
    await table.client.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          pk: 'AUDIT#CHAIN',
          sk: '000000000001',
          gsi3pk: 'AUDIT#TIME',
          gsi3sk: '2026-11-20T02:00:00.000Z#1',
        },
      }),
    );

    // Act
    await ensureTable(table);
    await ensureTable(table);

    // Assess
    const { Table } = await table.client.send(new DescribeTableCommand({ TableName: table.tableName }));
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(
      GLOBAL_INDEXES.map((index) => index.name),
    );
    const { Items = [] } = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        IndexName: TABLE_KEYS.gsi3.name,
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': 'AUDIT#TIME' },
      }),
    );
    expect(Items.map((item) => item.sk)).toEqual(['000000000001']);

    const fresh = { ...table, tableName: `${table.tableName}-new` };
    await ensureTable(fresh);
    const created = await table.client.send(new DescribeTableCommand({ TableName: fresh.tableName }));
    expect(created.Table?.GlobalSecondaryIndexes).toHaveLength(GLOBAL_INDEXES.length);
  });
});
