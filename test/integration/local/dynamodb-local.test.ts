import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { startDynamoDbLocal } from '../../../local/dynamodb-local.js';

const endpoint = inject('dynamodbEndpoint');
const client = new DynamoDBClient({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});

afterAll(() => client.destroy());

describe('DynamoDB Local', () => {
  it('serves the endpoint provided by the global setup', async () => {
    // Own table name: every integration test file shares this one JVM.
    const TableName = `dynamodb-local-${Date.now()}`;
    await client.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    await client.send(
      new PutItemCommand({ TableName, Item: { pk: { S: 'LOAN#1' }, amountFen: { N: '100000' } } }),
    );
    const { Item } = await client.send(new GetItemCommand({ TableName, Key: { pk: { S: 'LOAN#1' } } }));
    expect(Item).toEqual({ pk: { S: 'LOAN#1' }, amountFen: { N: '100000' } });
  });

  it('refuses a busy port with one clear line', async () => {
    const port = Number(new URL(endpoint).port);
    await expect(startDynamoDbLocal({ port })).rejects.toThrow(
      new Error(`port ${port} is in use: set DYNAMODB_PORT or stop the process using it`),
    );
  });

  describe('without a usable java', () => {
    const path = process.env.PATH;
    const dirs: string[] = [];
    afterEach(() => {
      process.env.PATH = path;
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    });

    it('says that Java is needed', async () => {
      process.env.PATH = '';
      await expect(startDynamoDbLocal({ port: 0 })).rejects.toThrow(
        new Error(
          'Java 17+ is needed to run DynamoDB Local; install a JRE (e.g. apt-get install -y openjdk-17-jre-headless)',
        ),
      );
    });

    it('reports an early exit with the end of its error output', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'fake-java-'));
      dirs.push(dir);
      const java = join(dir, 'java');
      writeFileSync(
        java,
        '#!/bin/sh\necho "UnsupportedClassVersionError: class file version 61.0" >&2\nexit 1\n',
      );
      chmodSync(java, 0o755);
      process.env.PATH = `${dir}:${path}`;
      await expect(startDynamoDbLocal({ port: 0 })).rejects.toThrow(
        new Error(
          'DynamoDB Local exited early (code 1): UnsupportedClassVersionError: class file version 61.0',
        ),
      );
    });
  });
});
