import { type CfnResource, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { AppFunction } from './constructs/app-function.js';
import type { DataStack } from './stacks/data-stack.js';
import type { ServiceStack } from './stacks/service-stack.js';

/** The CloudFormation logical id of a construct's resource, as cdk-nag prints it in a finding id. */
const logicalId = (construct: IConstruct) =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnResource);

/**
 * Every cdk-nag (AwsSolutions) finding the stacks knowingly keep, each on the narrowest
 * construct that carries it and with the reason it is acceptable. cdk-nag 3 matches
 * per-finding ids (`Rule[finding]`), so a new kind of wildcard is never covered by accident.
 */
export function acknowledgeNagFindings({ data, service }: { data: DataStack; service: ServiceStack }): void {
  Validations.of(data.relayDlq).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      'This queue is itself a dead-letter queue: the on-failure destination of the table-stream relay, which cdk-nag does not recognise as a DLQ because no queue redrives into it.',
  });
  Validations.of(data.personalDataDigestKey).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'Rotating the digest key would make every stored digest of an ID or phone number unmatchable; it is re-keyed deliberately, with a migration that recomputes the digests, not on a timer.',
  });
  for (const [partnerId, secret] of Object.entries(data.partnerPushSecrets)) {
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: `Partner ${partnerId} signs its data pushes with this secret, which it holds too; it is rotated together with the partner (both signatures are accepted while they overlap), not by an automatic rotation the partner would not know about.`,
    });
  }
  Validations.of(data.partnerWebhookSecret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'The webhook signing secret is shared with partner platforms out of band; it is rotated together with them (Standard Webhooks lets both signatures overlap), not by an automatic rotation the partners would not know about.',
  });

  const functions = service.node.findAll().filter((node): node is AppFunction => node instanceof AppFunction);
  for (const { role } of functions) {
    if (role) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray PutTraceSegments/PutTelemetryRecords (active tracing) and, for the stream relay, dynamodb:ListStreams have no resource-level permissions: AWS requires "*" for them. Every other statement names its resource.',
      });
    }
  }
  // Granting invoke on a function covers its versions and aliases too (ARN suffix ":*").
  const invokeReason = (invoker: string) =>
    `${invoker} may invoke this one function; CDK's invoke grant adds its versions and aliases (":*"), and the wildcard stays within that function.`;
  for (const fn of Object.values(service.stageFunctions)) {
    Validations.of(service.stateMachine.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId(fn)}.Arn>:*]`,
      reason: invokeReason('The state machine'),
    });
  }
  // The scheduler target creates its role in the stack's scope, so the acknowledgment is there.
  for (const job of [service.postLoanJob, service.accrualJob, service.reconciliationJob])
    Validations.of(service).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId(job)}.Arn>:*]`,
      reason: invokeReason('EventBridge Scheduler'),
    });
  Validations.of(service.stateMachine.role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'X-Ray tracing and CloudWatch Logs delivery (logs:CreateLogDelivery and related) have no resource-level permissions: AWS requires "*" for them.',
  });
  Validations.of(service).acknowledge(
    {
      // cdk-nag prints pseudo parameters as <AWS::Name>.
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table/${data.tableName}/index/*]`,
      reason:
        "Access patterns query the table's two global secondary indexes; the wildcard covers only this table's indexes.",
    },
    {
      id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
      reason:
        "Part of CDK's grant on the customer-managed key encrypting the table (ReEncryptFrom/To); the statement names that one key.",
    },
    {
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason:
        "Part of CDK's grant on the customer-managed key encrypting the table (GenerateDataKey and its variants); the statement names that one key.",
    },
  );

  const { restApi } = service.api;
  Validations.of(restApi).acknowledge(
    {
      id: 'AwsSolutions-APIG2',
      reason:
        "Each handler validates its request with the route's zod schemas (the same ones that generate the OpenAPI document) and answers RFC 9457 problems naming the field; a gateway validator would need a second copy of the schemas and answer in another shape.",
    },
    {
      id: 'AwsSolutions-COG4',
      reason:
        "The API accepts tokens from the bank's own OIDC provider, so it uses a Lambda TOKEN authorizer that verifies the JWT against the issuer's keys rather than a Cognito-only authorizer; the fallback user pool is one such issuer.",
    },
  );
  const cloudWatchRole = restApi.node.tryFindChild('CloudWatchRole');
  if (cloudWatchRole) {
    Validations.of(cloudWatchRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'The account-level API Gateway logging role uses the AWS-managed policy AWS documents for exactly this role; it allows CloudWatch Logs writes only, and execution logging (APIG6) depends on it.',
    });
  }
  for (const { route, method } of service.api.methods) {
    if (route.auth === 'public') {
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: `${route.method} ${route.path} is public by design (the route table marks it so): it returns no customer data.`,
      });
    } else if (route.auth === 'partnerSignature') {
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: `${route.method} ${route.path} is called by partner platforms, machines without an identity at the bank's IdP: its handler authenticates every request by a Standard Webhooks signature under the partner's own secret (with a 5-minute timestamp window) before reading the body, and answers 401 otherwise.`,
      });
    }
  }

  if (service.userPool) {
    Validations.of(service.userPool.userPool).acknowledge(
      {
        id: 'AwsSolutions-COG2',
        reason:
          'MFA is optional (TOTP) in the fallback pool, used when the bank names no identity provider; production identities come from the bank IdP (context oidcIssuer) and its MFA policy.',
      },
      {
        id: 'AwsSolutions-COG8',
        reason:
          "Threat protection needs the Cognito Plus tier, billed per active user; the fallback pool is for development and pilots, and the bank's own IdP provides risk-based sign-in in production.",
      },
    );
  }
}
