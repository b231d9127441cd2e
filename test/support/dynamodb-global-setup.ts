import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';

/**
 * One in-memory DynamoDB Local for the whole integration run: starting a JVM per file would cost
 * about two seconds each. Tests share it, so each test uses its own table names.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // A JVM start takes seconds, and more on a busy 2-core machine while the unit tests run beside it.
  const dynamodb = await startDynamoDbLocal({ port: 0, inMemory: true, startTimeoutMs: 60_000 });
  project.provide('dynamodbEndpoint', dynamodb.endpoint);
  return () => dynamodb.stop();
}
