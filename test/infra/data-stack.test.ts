import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONSUMER_QUEUE_VISIBILITY, FUNCTION_TIMEOUTS } from '../../infra/timeouts.js';
import { auditRecordItem } from '../../shared/adapters/dynamodb/audit-log.js';
import { GLOBAL_INDEXES, TABLE_KEYS } from '../../shared/adapters/dynamodb/table.js';
import { appendToChain, GENESIS } from '../../shared/domain/audit.js';
import { logicalIdOf, render, resourcesOfType, type SynthesizedApp, synthApp } from './support/synth.js';

let dev: SynthesizedApp;
let prod: SynthesizedApp;
let template: Template;

beforeAll(() => {
  dev = synthApp();
  prod = synthApp({ stage: 'prod' });
  template = Template.fromJSON(dev.templates.data);
});

const keySchema = (partitionKey: string, sortKey: string) => [
  { AttributeName: partitionKey, KeyType: 'HASH' },
  { AttributeName: sortKey, KeyType: 'RANGE' },
];

describe('table', () => {
  it('has the keys, indexes, TTL and stream of TABLE_KEYS', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: keySchema(TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey),
      GlobalSecondaryIndexes: GLOBAL_INDEXES.map((index) => ({
        IndexName: index.name,
        KeySchema: keySchema(index.partitionKey, index.sortKey),
        Projection: { ProjectionType: 'ALL' },
      })),
      TimeToLiveSpecification: { AttributeName: TABLE_KEYS.timeToLive, Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('has the audit index, and keeps audit records with no TTL attribute', () => {
    expect(GLOBAL_INDEXES.map((index) => index.name)).toEqual(['gsi1', 'gsi2', 'gsi3']);
    const [record] = appendToChain(GENESIS, {
      changes: [
        {
          action: 'blacklist.added',
          entityType: 'BLACKLIST_ENTRY',
          entityId: 'e-1',
          before: null,
          after: {},
        },
      ],
      actor: { subject: 'admin-1', role: 'admin' },
      correlationId: 'req-1',
      at: '2026-11-20T02:00:00.000Z',
      newId: () => 'a-1',
    }).records;
    if (!record) throw new Error('no record');
    expect(auditRecordItem(record)).not.toHaveProperty(TABLE_KEYS.timeToLive);
  });

  it('recovers to any point in time and is encrypted with a rotated customer-managed key', () => {
    const keys = resourcesOfType(dev.templates.data, 'AWS::KMS::Key');
    expect(keys).toHaveLength(1);
    const [keyId] = keys[0] ?? [];
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      },
    });
  });
});

describe('queues', () => {
  const queues = () => resourcesOfType(dev.templates.data, 'AWS::SQS::Queue');
  /** Queues something dead-letters into: redrive targets, and the stream relay's on-failure destination. */
  const deadLetterQueues = () => {
    const redriveTargets = queues().flatMap(([, queue]) => {
      const redrive = queue.Properties.RedrivePolicy as { deadLetterTargetArn: unknown } | undefined;
      return redrive ? [render(redrive.deadLetterTargetArn, dev, dev.data.stackName)] : [];
    });
    const onFailure = resourcesOfType(dev.templates.service, 'AWS::Lambda::EventSourceMapping').flatMap(
      ([, mapping]) => {
        const destination = (
          mapping.Properties.DestinationConfig as { OnFailure?: { Destination: unknown } } | undefined
        )?.OnFailure?.Destination;
        return destination ? [render(destination, dev, dev.service.stackName)] : [];
      },
    );
    return new Set([...redriveTargets, ...onFailure]);
  };

  it('gives every queue a dead-letter queue, unless it is one', () => {
    const deadLetters = deadLetterQueues();
    expect(deadLetters.size).toBe(3);
    for (const [id, queue] of queues()) {
      if (deadLetters.has(`{{${id}.Arn}}`)) continue;
      expect(queue.Properties.RedrivePolicy, id).toMatchObject({ deadLetterTargetArn: expect.anything() });
    }
  });

  it('retries disbursements 5 times and webhooks 8 times, with 6x the consumer timeout between tries', () => {
    expect(CONSUMER_QUEUE_VISIBILITY.toSeconds()).toBe(6 * FUNCTION_TIMEOUTS.consumer.toSeconds());
    for (const [queue, maxReceiveCount] of [
      [dev.data.disbursementQueue, 5],
      [dev.data.webhookQueue, 8],
    ] as const) {
      const id = logicalIdOf(queue);
      expect(dev.templates.data.Resources[id]?.Properties).toMatchObject({
        VisibilityTimeout: CONSUMER_QUEUE_VISIBILITY.toSeconds(),
        RedrivePolicy: { maxReceiveCount },
      });
    }
    // Lambda refuses an SQS event source whose function may outlive the visibility timeout.
    const consumers = resourcesOfType(dev.templates.service, 'AWS::Lambda::EventSourceMapping').filter(
      ([, mapping]) =>
        /^\{\{(DisbursementQueue|WebhookQueue)\w*\.Arn\}\}$/.test(
          render(mapping.Properties.EventSourceArn, dev, dev.service.stackName),
        ),
    );
    expect(consumers).toHaveLength(2);
    for (const [id, mapping] of consumers) {
      const fn = dev.templates.service.Resources[(mapping.Properties.FunctionName as { Ref: string }).Ref];
      expect(Number(fn?.Properties.Timeout) * 6, id).toBe(CONSUMER_QUEUE_VISIBILITY.toSeconds());
    }
  });

  it('encrypts every queue and refuses requests without TLS', () => {
    for (const [id, queue] of queues()) {
      expect(queue.Properties.SqsManagedSseEnabled ?? queue.Properties.KmsMasterKeyId, id).toBeTruthy();
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });
});

describe('secrets and retention', () => {
  it('generates the personal-data digest key and the partner webhook secret', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 2);
    template.allResourcesProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 64 }),
    });
  });

  it('destroys the stateful resources in dev and retains them in prod', () => {
    const stateful = [
      'AWS::DynamoDB::Table',
      'AWS::KMS::Key',
      'AWS::SQS::Queue',
      'AWS::SecretsManager::Secret',
    ];
    for (const [app, policy] of [
      [dev, 'Delete'],
      [prod, 'Retain'],
    ] as const) {
      for (const type of stateful) {
        for (const [id, resource] of resourcesOfType(app.templates.data, type)) {
          expect(resource.DeletionPolicy, `${app.data.stackName} ${id}`).toBe(policy);
        }
      }
    }
    expect(prod.data.stackName).toBe('FastLoan-prod-Data');
    expect(prod.templates.data.Resources[logicalIdOf(prod.data.table)]).toMatchObject({
      Properties: { DeletionProtectionEnabled: true },
    });
  });
});
