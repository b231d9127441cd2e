import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ApplicationRecord, Assessment, TimelineEntry } from '../../domain/application.js';
import { assertTransition } from '../../domain/application.js';
import type { CollectedData, ScoreResult } from '../../domain/decisioning/types.js';
import { ConflictError } from '../../domain/errors.js';
import type { DomainEvent } from '../../domain/events.js';
import {
  type ApplicationStore,
  type IdempotencyClaim,
  type IdempotencyRecord,
  IdempotencyRecordExistsError,
  type ReviewRecord,
  type ScoreSample,
  StaleAuditHeadError,
  type Transition,
  type VelocityQuery,
} from '../../ports/stores.js';
import { auditWrites, isAuditHeadMoved } from './audit-log.js';
import { isConditionFailure, isTransactionConflict, stripKeys as strip } from './conditions.js';
import { eventItem } from './event-items.js';
import { scoreSampleItem } from './score-sample-store.js';
import { keys, type TableContext } from './table.js';

function applicationItem(app: ApplicationRecord): Record<string, unknown> {
  return {
    ...keys.application(app.id),
    entity: 'APPLICATION',
    gsi1pk: keys.enterprise(app.applicant.uscc),
    gsi1sk: `APP#${app.createdAt}#${app.id}`,
    ...app,
  };
}

function reviewItem(review: ReviewRecord): Record<string, unknown> {
  return {
    ...keys.review(review.applicationId),
    entity: 'REVIEW',
    gsi2pk: keys.reviewQueue(review.status),
    gsi2sk: `${review.createdAt}#${review.applicationId}`,
    ...review,
  };
}

/**
 * The conditional update that moves an application from the status the caller read to the
 * next one (with its other changes); it fails if the status changed meanwhile. Other stores
 * put it in their own transactions (activation books the loan with it).
 */
export function transitionUpdate(tableName: string, t: Transition) {
  assertTransition(t.from, t.to);
  const names: Record<string, string> = { '#status': 'status', '#updatedAt': 'updatedAt' };
  const values: Record<string, unknown> = { ':from': t.from, ':to': t.to, ':at': t.at };
  const sets = ['#status = :to', '#updatedAt = :at'];
  for (const [index, [name, value]] of Object.entries(t.set ?? {}).entries()) {
    if (value === undefined) continue;
    names[`#s${index}`] = name;
    values[`:s${index}`] = value;
    sets.push(`#s${index} = :s${index}`);
  }
  const removes = (t.remove ?? []).map((name, index) => {
    names[`#r${index}`] = name;
    return `#r${index}`;
  });
  const absent = (t.unlessSet ?? []).map((name, index) => {
    names[`#u${index}`] = name;
    return ` AND attribute_not_exists(#u${index})`;
  });
  return {
    Update: {
      TableName: tableName,
      Key: keys.application(t.applicationId),
      UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: `attribute_exists(pk) AND #status = :from${absent.join('')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** How long velocity index items are kept: longer than any velocity window. */
const VELOCITY_RETENTION_SECONDS = 400 * 24 * 3600;

/** Index items that let the velocity rules find other applications naming the same person or phone. */
function velocityItems(app: ApplicationRecord): Record<string, unknown>[] {
  const expiresAt = Math.floor(Date.parse(app.createdAt) / 1000) + VELOCITY_RETENTION_SECONDS;
  return [
    {
      ...keys.velocity('ID', app.contact.idNumberDigest, app.createdAt, app.id),
      uscc: app.applicant.uscc,
      expiresAt,
    },
    {
      ...keys.velocity('MOBILE', app.contact.mobileDigest, app.createdAt, app.id),
      uscc: app.applicant.uscc,
      expiresAt,
    },
  ].map((item) => ({ ...item, entity: 'VELOCITY' }));
}

/** The idempotency record of a create, which must not exist yet; it expires by TTL. */
export function idempotencyPut(tableName: string, claim: IdempotencyClaim) {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...keys.idempotency(claim.scope, claim.principal, claim.key),
        entity: 'IDEMPOTENCY',
        ...claim.record,
        expiresAt: Math.floor(claim.expiresAt.getTime() / 1000),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export class DynamoApplicationStore implements ApplicationStore {
  constructor(private readonly table: TableContext) {}

  async create(app: ApplicationRecord, event: DomainEvent, claim: IdempotencyClaim): Promise<void> {
    const { client, tableName } = this.table;
    try {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            idempotencyPut(tableName, claim),
            {
              Put: {
                TableName: tableName,
                Item: applicationItem(app),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...velocityItems(app).map((Item) => ({ Put: { TableName: tableName, Item } })),
            { Put: { TableName: tableName, Item: eventItem(event) } },
          ],
        }),
      );
    } catch (error) {
      // A concurrent request with the same key either committed first or is committing now.
      if (isConditionFailure(error) || isTransactionConflict(error)) {
        throw new IdempotencyRecordExistsError('idempotency key already used', { cause: error });
      }
      throw error;
    }
  }

  async findIdempotency(
    scope: string,
    principal: string,
    key: string,
  ): Promise<IdempotencyRecord | undefined> {
    const { Item } = await this.table.client.send(
      new GetCommand({
        TableName: this.table.tableName,
        Key: keys.idempotency(scope, principal, key),
        ConsistentRead: true,
      }),
    );
    return Item ? strip<IdempotencyRecord>(Item) : undefined;
  }

  async get(id: string): Promise<ApplicationRecord | undefined> {
    const { Item } = await this.table.client.send(
      new GetCommand({ TableName: this.table.tableName, Key: keys.application(id), ConsistentRead: true }),
    );
    return Item ? strip<ApplicationRecord>(Item) : undefined;
  }

  async transition(t: Transition): Promise<void> {
    const { tableName } = this.table;
    const items = [
      transitionUpdate(tableName, t),
      ...(t.events ?? []).map((event) => ({ Put: { TableName: tableName, Item: eventItem(event) } })),
      ...(t.review ? [{ Put: { TableName: tableName, Item: reviewItem(t.review) } }] : []),
    ];
    // The audit items come last, so a refusal among them is told apart by its index.
    const firstAuditIndex = items.length;
    try {
      await this.table.client.send(
        new TransactWriteCommand({
          TransactItems: [...items, ...(t.audit ? auditWrites(tableName, t.audit) : [])],
        }),
      );
    } catch (error) {
      if (t.audit && isAuditHeadMoved(error, firstAuditIndex)) {
        throw new StaleAuditHeadError('the audit trail moved on meanwhile', { cause: error });
      }
      if (isConditionFailure(error)) {
        throw new ConflictError(`application ${t.applicationId} is no longer ${t.from}`, { cause: error });
      }
      if (isTransactionConflict(error)) {
        throw new ConflictError(
          `application ${t.applicationId} was being changed by another request; retry`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  async saveAssessment<K extends keyof Assessment>(id: string, part: K, value: Assessment[K], at: string) {
    await this.table.client.send(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: keys.application(id),
        UpdateExpression: 'SET assessment.#part = :value, updatedAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#part': part },
        ExpressionAttributeValues: { ':value': value, ':at': at },
      }),
    );
  }

  async saveSnapshot(id: string, data: CollectedData): Promise<CollectedData> {
    try {
      await this.table.client.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: { ...keys.snapshot(id), entity: 'SNAPSHOT', data },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return data;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const stored = await this.getSnapshot(id);
      if (!stored) throw error;
      return stored;
    }
  }

  async getSnapshot(id: string): Promise<CollectedData | undefined> {
    const { Item } = await this.table.client.send(
      new GetCommand({ TableName: this.table.tableName, Key: keys.snapshot(id), ConsistentRead: true }),
    );
    return Item?.data as CollectedData | undefined;
  }

  async timeline(id: string): Promise<TimelineEntry[]> {
    const { Items = [] } = await this.table.client.send(
      new QueryCommand({
        TableName: this.table.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.application(id).pk, ':prefix': 'EVENT#' },
        ConsistentRead: true,
      }),
    );
    return Items.map((item) => ({ type: String(item.type), at: String(item.occurredAt) }));
  }

  async velocity(query: VelocityQuery) {
    const { client, tableName } = this.table;
    const otherEnterprises = async (kind: 'ID' | 'MOBILE', digest: string) => {
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk >= :since',
          ExpressionAttributeValues: { ':pk': keys.velocity(kind, digest, '', '').pk, ':since': query.since },
        }),
      );
      return new Set(Items.map((item) => String(item.uscc)).filter((uscc) => uscc !== query.uscc)).size;
    };
    const earlierApplications = async () => {
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': keys.enterprise(query.uscc),
            ':from': `APP#${query.since}`,
            ':to': `APP#${query.createdAt}`,
          },
          ProjectionExpression: 'id',
        }),
      );
      // Applications submitted before this one (the range ends at its own creation time).
      return Items.filter((item) => item.id !== query.applicationId).length;
    };
    const [otherEnterprisesSharingIdNumber, otherEnterprisesSharingMobile, earlierApplicationsOfEnterprise] =
      await Promise.all([
        otherEnterprises('ID', query.idNumberDigest),
        otherEnterprises('MOBILE', query.mobileDigest),
        earlierApplications(),
      ]);
    return {
      otherEnterprisesSharingIdNumber,
      otherEnterprisesSharingMobile,
      earlierApplicationsOfEnterprise,
    };
  }

  async saveScore(id: string, score: ScoreResult, sample: ScoreSample, at: string): Promise<void> {
    const { tableName } = this.table;
    await this.table.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName,
              Key: keys.application(id),
              UpdateExpression: 'SET assessment.#part = :value, updatedAt = :at',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeNames: { '#part': 'score' },
              ExpressionAttributeValues: { ':value': score, ':at': at },
            },
          },
          // Keyed by the application and its date: a re-run puts the same item again.
          { Put: { TableName: tableName, Item: scoreSampleItem(sample) } },
        ],
      }),
    );
  }

  async listReviews(status: ReviewRecord['status'], limit: number): Promise<ReviewRecord[]> {
    const { Items = [] } = await this.table.client.send(
      new QueryCommand({
        TableName: this.table.tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.reviewQueue(status) },
        Limit: limit,
      }),
    );
    return Items.map((item) => strip<ReviewRecord>(item));
  }
}
