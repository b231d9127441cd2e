import {
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, afterEach, describe, expect, inject, it, vi } from 'vitest';
import { type DynamoDbStreamLambdaHandler, StreamPoller } from '../../../local/stream-poller.js';

const config = {
  endpoint: inject('dynamodbEndpoint'),
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
};
const dynamodb = new DynamoDBClient(config);
const streams = new DynamoDBStreamsClient(config);
afterAll(() => {
  dynamodb.destroy();
  streams.destroy();
});

let tables = 0;
/** A fresh table with a NEW_IMAGE stream; names are unique because all test files share one JVM. */
async function createTable(): Promise<{ tableName: string; streamArn: string }> {
  tables += 1;
  const tableName = `stream-poller-${Date.now()}-${tables}`;
  const { TableDescription } = await dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
  if (!TableDescription?.LatestStreamArn) throw new Error('the table has no stream');
  return { tableName, streamArn: TableDescription.LatestStreamArn };
}

async function put(tableName: string, pk: string): Promise<void> {
  await dynamodb.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: pk }, n: { N: '1' } } }));
}

const key = (record: DynamoDBRecord) => record.dynamodb?.Keys?.pk?.S;

describe('StreamPoller', () => {
  const pollers: StreamPoller[] = [];
  afterEach(async () => {
    await Promise.all(pollers.splice(0).map((poller) => poller.stop()));
  });

  async function poll(tableName: string, handler: DynamoDbStreamLambdaHandler) {
    const log: string[] = [];
    const poller = new StreamPoller({
      client: streams,
      tableName,
      handler,
      functionName: 'events-publisher',
      pollIntervalMs: 20,
      log: (line) => log.push(line),
    });
    pollers.push(poller);
    await poller.start();
    return { poller, log };
  }

  it('delivers the changes made after start, in order, shaped like Lambda stream records', async () => {
    const { tableName, streamArn } = await createTable();
    await put(tableName, 'before-start');
    const records: DynamoDBRecord[] = [];
    const { poller } = await poll(tableName, async (event) => {
      records.push(...event.Records);
    });
    for (const pk of ['k1', 'k2', 'k3']) await put(tableName, pk);
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { pk: { S: 'k2' } },
        UpdateExpression: 'SET n = :n',
        ExpressionAttributeValues: { ':n': { N: '2' } },
      }),
    );
    await dynamodb.send(new DeleteItemCommand({ TableName: tableName, Key: { pk: { S: 'k3' } } }));
    await poller.drain();

    expect(records.map((r) => `${r.eventName} ${key(r)}`)).toEqual([
      'INSERT k1',
      'INSERT k2',
      'INSERT k3',
      'MODIFY k2',
      'REMOVE k3',
    ]);
    const sequence = records.map((r) => BigInt(r.dynamodb?.SequenceNumber ?? '0'));
    expect(sequence).toEqual([...sequence].sort((a, b) => (a < b ? -1 : 1)));
    expect(records[3]).toMatchObject({
      eventSource: 'aws:dynamodb',
      eventSourceARN: streamArn,
      dynamodb: {
        Keys: { pk: { S: 'k2' } },
        NewImage: { pk: { S: 'k2' }, n: { N: '2' } },
        StreamViewType: 'NEW_IMAGE',
        ApproximateCreationDateTime: expect.any(Number),
      },
    });
  });

  it('retries a batch from the first failed item on', async () => {
    const { tableName } = await createTable();
    const batches: string[][] = [];
    let openGate = () => {};
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    const { poller } = await poll(tableName, async (event) => {
      const keys = event.Records.map((r) => key(r) ?? '?');
      batches.push(keys);
      // Holding the first batch lets k1..k5 pile up, so that they arrive as one batch.
      if (keys[0] === 'k0') await gate;
      const k3 = event.Records.find((r) => key(r) === 'k3');
      const firstTime = batches.filter((batch) => batch.includes('k3')).length === 1;
      return k3 && firstTime
        ? { batchItemFailures: [{ itemIdentifier: k3.dynamodb?.SequenceNumber ?? '' }] }
        : undefined;
    });
    await put(tableName, 'k0');
    await vi.waitFor(() => expect(batches).toHaveLength(1));
    for (const pk of ['k1', 'k2', 'k3', 'k4', 'k5']) await put(tableName, pk);
    openGate();
    await poller.drain();
    expect(batches).toEqual([['k0'], ['k1', 'k2', 'k3', 'k4', 'k5'], ['k3', 'k4', 'k5']]);
  });

  it('retries the whole batch when the handler throws', async () => {
    const { tableName } = await createTable();
    const batches: string[][] = [];
    const { poller, log } = await poll(tableName, async (event) => {
      batches.push(event.Records.map((r) => key(r) ?? '?'));
      if (batches.length === 1) throw new Error('partner webhook down');
    });
    await put(tableName, 'k1');
    await poller.drain();
    expect(batches).toEqual([['k1'], ['k1']]);
    expect(log).toEqual([
      `events-publisher: batch of 1 from the stream of ${tableName} failed: Error: partner webhook down`,
    ]);
  });

  it('says when the table has no stream', async () => {
    const tableName = `no-stream-${Date.now()}`;
    await dynamodb.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    const poller = new StreamPoller({
      client: streams,
      tableName,
      handler: async () => {},
      functionName: 'f',
    });
    await expect(poller.start()).rejects.toThrow(`table ${tableName} has no stream`);
    await expect(poller.drain()).rejects.toThrow(/start the stream poller/);
  });
});
