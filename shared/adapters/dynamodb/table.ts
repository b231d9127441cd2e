import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EntryKind } from '../../domain/servicing/index.js';

/**
 * The single table's physical shape, used by the CDK data stack, the local runtime and the
 * tests, so there is one definition of it. Access patterns and key layouts: docs/data-model.md.
 */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  gsi1: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  gsi2: { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  /** The audit trail by time (docs/data-model.md); sparse: only audit records carry its keys. */
  gsi3: { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  /** Epoch seconds after which DynamoDB may delete the item (idempotency records). */
  timeToLive: 'expiresAt',
} as const;

const JOURNAL_ORDER: Record<EntryKind, number> = {
  DISBURSEMENT: 1,
  REPAYMENT: 2,
  WRITE_OFF: 3,
  OVERDUE: 4,
  ACCRUAL: 5,
};

/** The partition of the audit chain's records. */
export const AUDIT_CHAIN = 'AUDIT#CHAIN';

/** Active loans are spread over this many index partitions so the nightly job can read them in parallel. */
export const ACTIVE_LOAN_SHARDS = 8;

export const keys = {
  application: (id: string) => ({ pk: `APP#${id}`, sk: 'APPLICATION' }),
  applicationEvent: (applicationId: string, at: string, eventId: string) => ({
    pk: `APP#${applicationId}`,
    sk: `EVENT#${at}#${eventId}`,
  }),
  snapshot: (applicationId: string) => ({ pk: `APP#${applicationId}`, sk: 'SNAPSHOT' }),
  review: (applicationId: string) => ({ pk: `APP#${applicationId}`, sk: 'REVIEW' }),
  disbursement: (applicationId: string) => ({ pk: `APP#${applicationId}`, sk: 'DISBURSEMENT' }),
  idempotency: (scope: string, principal: string, key: string) => ({
    pk: `IDEM#${scope}#${principal}#${key}`,
    sk: 'IDEMPOTENCY',
  }),
  creditLine: (id: string) => ({ pk: `LINE#${id}`, sk: 'CREDIT_LINE' }),
  loan: (id: string) => ({ pk: `LOAN#${id}`, sk: 'LOAN' }),
  drawdown: (creditLineId: string, drawdownId: string) => ({
    pk: `LINE#${creditLineId}`,
    sk: `DRAWDOWN#${drawdownId}`,
  }),
  repayment: (loanId: string, repaymentId: string) => ({
    pk: `LOAN#${loanId}`,
    sk: `REPAYMENT#${repaymentId}`,
  }),
  loanEvent: (loanId: string, at: string, eventId: string) => ({
    pk: `LOAN#${loanId}`,
    sk: `EVENT#${at}#${eventId}`,
  }),
  /** Within a date, entries sort in booking order: the day's business, then the end-of-day run. */
  journalEntry: (loanId: string, businessDate: string, kind: EntryKind, reference: string) => ({
    pk: `LOAN#${loanId}`,
    sk: `JOURNAL#${businessDate}#${JOURNAL_ORDER[kind]}-${kind}#${reference}`,
  }),
  monitoringRun: (loanId: string, businessDate: string) => ({
    pk: `LOAN#${loanId}`,
    sk: `MONITORED#${businessDate}`,
  }),
  velocity: (kind: 'ID' | 'MOBILE', digest: string, at: string, applicationId: string) => ({
    pk: `VELOCITY#${kind}#${digest}`,
    sk: `${at}#${applicationId}`,
  }),
  blacklistEntry: (entryId: string) => ({ pk: `BLACKLIST#${entryId}`, sk: 'ENTRY' }),
  blacklistGuard: (kind: string, key: string) => ({ pk: `BLACKLISTED#${kind}#${key}`, sk: 'GUARD' }),
  enterprise: (uscc: string) => `ENT#${uscc}`,
  reviewQueue: (status: string) => `REVIEW#${status}`,
  activeLoanShard: (shard: number) => `LOANS#ACTIVE#${shard}`,
  outboxShard: (shard: number) => `OUTBOX#${shard}`,
  requestedDrawdowns: 'DRAWDOWNS#REQUESTED',
  activeBlacklist: 'BLACKLIST#ACTIVE',
  partnerData: (uscc: string, kind: string, platform: string) => ({
    pk: `PARTNERDATA#${uscc}`,
    sk: `LATEST#${kind}#${platform}`,
  }),
  partnerReceipt: (partnerId: string, webhookId: string) => ({
    pk: `PARTNERPUSH#${partnerId}#${webhookId}`,
    sk: 'RECEIPT',
  }),
  scoreSample: (appliedOn: string, applicationId: string) => ({
    pk: `SCORES#${appliedOn.slice(0, 7)}`,
    sk: `${appliedOn}#${applicationId}`,
  }),
  /** The one audit chain: its records by sequence number (zero-padded, so they sort), and its head. */
  auditRecord: (sequence: number) => ({ pk: AUDIT_CHAIN, sk: String(sequence).padStart(12, '0') }),
  auditHead: { pk: 'AUDIT#HEAD', sk: 'HEAD' },
  auditByEntity: (entityId: string) => `AUDIT#ENTITY#${entityId}`,
  auditByActor: (subject: string) => `AUDIT#ACTOR#${subject}`,
  auditByTime: 'AUDIT#TIME',
} as const;

/** Every global secondary index of the table, in the order they were added. */
export const GLOBAL_INDEXES = [TABLE_KEYS.gsi1, TABLE_KEYS.gsi2, TABLE_KEYS.gsi3] as const;

/** CreateTable input for DynamoDB Local; the CDK data stack declares the same keys and indexes. */
export function createTableInput(tableName: string) {
  const gsi = (index: { name: string; partitionKey: string; sortKey: string }) => ({
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  });
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [
      TABLE_KEYS.partitionKey,
      TABLE_KEYS.sortKey,
      'gsi1pk',
      'gsi1sk',
      'gsi2pk',
      'gsi2sk',
      'gsi3pk',
      'gsi3sk',
    ].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: GLOBAL_INDEXES.map(gsi),
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' as const },
  };
}

export interface TableContext {
  client: DynamoDBDocumentClient;
  tableName: string;
}

/**
 * A document client for the table. With an endpoint (DynamoDB Local) it uses fixed local
 * credentials, so a developer's AWS profile is never consulted or needed.
 */
export function createDocumentClient(endpoint?: string): DynamoDBDocumentClient {
  const client = new DynamoDBClient(
    endpoint
      ? {
          endpoint,
          region: process.env.AWS_REGION ?? 'us-east-1',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {},
  );
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
