import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import {
  createDocumentClient,
  createTableInput,
  keys,
  type TableContext,
} from '../../shared/adapters/dynamodb/table.js';
import type { ApplicationRecord, ApplicationStatus } from '../../shared/domain/application.js';

/** A fresh table on the test run's DynamoDB Local. */
export async function freshTable(): Promise<TableContext> {
  const table = {
    client: createDocumentClient(inject('dynamodbEndpoint')),
    tableName: `it-${Math.random().toString(36).slice(2, 10)}`,
  };
  await table.client.send(new CreateTableCommand(createTableInput(table.tableName)));
  return table;
}

/** Writes an application already at `status`, as if the workflow had brought it there. */
export async function seedApplication(
  table: TableContext,
  status: ApplicationStatus,
  id = crypto.randomUUID(),
): Promise<ApplicationRecord> {
  const at = '2026-11-20T02:00:00.000Z';
  const app: ApplicationRecord = {
    id,
    status,
    createdAt: at,
    updatedAt: at,
    submittedBy: 'enterprise-test',
    applicant: {
      uscc: '91350102MA31K7Q230',
      enterpriseName: '福州闽江源商贸有限公司',
      legalRepresentative: { name: '林志远', birthDate: '1979-03-12' },
      product: 'TERM_LOAN',
      requestedAmount: '300000.00',
      termMonths: 12,
    },
    contact: {
      idNumberMasked: '3501**********1357',
      idNumberDigest: 'd',
      mobileMasked: '139****0001',
      mobileDigest: 'd',
    },
    purpose: 'working capital',
    consent: { dataUse: true, version: 'data-use-2026.11', consentedAt: at },
    assessment: {},
    offer: {
      limit: { amount: '250000.00', currency: 'CNY' },
      annualRate: '0.0520',
      termMonths: 12,
      expiresAt: '2026-11-27T02:00:00.000Z',
    },
  };
  await table.client.send(
    new PutCommand({
      TableName: table.tableName,
      Item: { ...keys.application(id), entity: 'APPLICATION', ...app },
    }),
  );
  return app;
}
