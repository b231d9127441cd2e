import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { AccountRootPrincipal, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { GLOBAL_INDEXES, TABLE_KEYS } from '../../shared/adapters/dynamodb/table.js';
import { stagePolicy } from '../stage-policy.js';
import { CONSUMER_QUEUE_VISIBILITY } from '../timeouts.js';

export interface DataStackProps extends StackProps {
  stage: string;
  /** Partner platforms that push data; each gets a signing secret of its own. */
  partners?: readonly string[];
}

/**
 * The key administers itself through IAM like the default key policy, but without its
 * `kms:*` grant: the account may manage the key (including putting a new policy, so it can
 * never be locked out) and may delegate its use to IAM principals, action by action.
 */
function keyPolicy(): PolicyDocument {
  const account = new AccountRootPrincipal();
  return new PolicyDocument({
    statements: [
      new PolicyStatement({
        sid: 'AccountAdministersKey',
        principals: [account],
        actions: [
          'kms:Create*',
          'kms:Describe*',
          'kms:Enable*',
          'kms:List*',
          'kms:Put*',
          'kms:Update*',
          'kms:Revoke*',
          'kms:Disable*',
          'kms:Get*',
          'kms:Delete*',
          'kms:TagResource',
          'kms:UntagResource',
          'kms:ScheduleKeyDeletion',
          'kms:CancelKeyDeletion',
          'kms:RotateKeyOnDemand',
        ],
        resources: ['*'],
      }),
      new PolicyStatement({
        sid: 'AccountDelegatesUseToIam',
        principals: [account],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        resources: ['*'],
      }),
    ],
  });
}

/**
 * Everything that holds data: the single table, the queues with their dead letters, and the
 * secrets. Retained outside `dev`; the service stack can be destroyed and redeployed freely.
 */
export class DataStack extends Stack {
  readonly table: Table;
  /**
   * A fixed name, so the service stack can name the table's ARN (and its indexes') in its
   * grants without a cross-stack output, and operators find the table by stage.
   */
  readonly tableName: string;
  readonly dataKey: Key;
  readonly disbursementQueue: Queue;
  readonly disbursementDlq: Queue;
  readonly webhookQueue: Queue;
  readonly webhookDlq: Queue;
  /** Stream batches the relay could not forward after its retries. */
  readonly relayDlq: Queue;
  readonly personalDataDigestKey: Secret;
  readonly partnerWebhookSecret: Secret;
  /** The Standard Webhooks secret each partner signs its data pushes with, by partner id. */
  readonly partnerPushSecrets: Readonly<Record<string, Secret>>;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { removalPolicy, retain } = stagePolicy(props.stage);
    this.tableName = `fast-loan-${props.stage}`;

    // Personal data (ID and phone numbers) is in the table: a key the bank controls, rotated yearly.
    this.dataKey = new Key(this, 'DataKey', {
      description: `Fast-loan ${props.stage}: the table and its stream`,
      enableKeyRotation: true,
      policy: keyPolicy(),
      removalPolicy,
      pendingWindow: Duration.days(retain ? 30 : 7),
    });

    this.table = new Table(this, 'Table', {
      tableName: this.tableName,
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.dataKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE_KEYS.timeToLive,
      // The relay forwards committed domain events; it needs the new item only.
      stream: StreamViewType.NEW_IMAGE,
      deletionProtection: retain,
      removalPolicy,
    });
    // In the order they were added: CloudFormation adds one index per update of a deployed table.
    for (const index of GLOBAL_INDEXES) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }

    const queueDefaults = { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, removalPolicy };
    // Dead letters wait the longest SQS allows for someone to look at them.
    const deadLetters = (id: string) =>
      new Queue(this, id, { ...queueDefaults, retentionPeriod: Duration.days(14) });
    const consumed = (id: string, deadLetterQueue: Queue, maxReceiveCount: number) =>
      new Queue(this, id, {
        ...queueDefaults,
        visibilityTimeout: CONSUMER_QUEUE_VISIBILITY,
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount },
      });

    this.disbursementDlq = deadLetters('DisbursementDlq');
    // Five receives: a disbursement that fails that often needs a person, not a sixth try.
    this.disbursementQueue = consumed('DisbursementQueue', this.disbursementDlq, 5);
    this.webhookDlq = deadLetters('WebhookDlq');
    // Eight receives, a visibility timeout apart: a partner gets about 25 minutes to recover.
    this.webhookQueue = consumed('WebhookQueue', this.webhookDlq, 8);
    this.relayDlq = deadLetters('RelayDlq');

    this.personalDataDigestKey = new Secret(this, 'PersonalDataDigestKey', {
      description: 'HMAC key for digests of ID and phone numbers (lookups without storing them in clear)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy,
    });
    // 64 letters and digits are valid base64: the Standard Webhooks library accepts the
    // secret with or without its "whsec_" prefix, and the bank hands it to partners as is.
    this.partnerWebhookSecret = new Secret(this, 'PartnerWebhookSecret', {
      description: 'Standard Webhooks signing secret shared with partner platforms',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy,
    });

    // One per partner, so one partner can be re-keyed or revoked without touching the others.
    // Generated like the outbound secret (64 letters and digits, valid base64) and handed to
    // the partner out of band.
    this.partnerPushSecrets = Object.fromEntries(
      (props.partners ?? []).map((partnerId) => [
        partnerId,
        new Secret(this, `PartnerPushSecret-${partnerId}`, {
          description: `Standard Webhooks secret partner ${partnerId} signs its data pushes with`,
          generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
          removalPolicy,
        }),
      ]),
    );

    new CfnOutput(this, 'TableName', { value: this.table.tableName });
  }
}
