import { CfnOutput, Duration, Stack, type StackProps, TimeZone } from 'aws-cdk-lib';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { GLOBAL_INDEXES } from '../../shared/adapters/dynamodb/table.js';
import { PARTNER_PUSH_SECRET_VARIABLES } from '../../shared/adapters/secrets.js';
import { BANK_TIME_ZONE } from '../../shared/domain/business-date.js';
import { AuthConfigSchema } from '../../shared/http/auth.js';
import { ROUTE_LIST } from '../../shared/http/routes.js';
import type { DeployContext } from '../app.js';
import { ALARM_PERIOD, Alarms } from '../constructs/alarms.js';
import { Api } from '../constructs/api.js';
import { ApiFirewall } from '../constructs/api-firewall.js';
import { AppFunction } from '../constructs/app-function.js';
import { FallbackUserPool } from '../constructs/user-pool.js';
import { edgeLimits } from '../edge-limits.js';
import { type OperationId, ROUTE_ACCESS } from '../route-access.js';
import { stagePolicy } from '../stage-policy.js';
import { FUNCTION_TIMEOUTS } from '../timeouts.js';
import { applyToDisburseDefinition } from '../workflow/definition.js';
import { WORKFLOW_STAGE_NAMES, WORKFLOW_STAGES, type WorkflowStage } from '../workflow/stages.js';
import type { DataStack } from './data-stack.js';

export interface ServiceStackProps extends StackProps {
  config: DeployContext;
  data: DataStack;
}

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/**
 * Everything stateless: the functions, the REST API, the apply-to-disburse state machine,
 * the consumers of the queues and the table stream, the nightly schedule and the alarms.
 */
export class ServiceStack extends Stack {
  readonly api: Api;
  readonly firewall: ApiFirewall;
  readonly stateMachine: StateMachine;
  readonly userPool?: FallbackUserPool;
  /** The functions the state machine invokes, by stage. */
  readonly stageFunctions: Record<WorkflowStage, AppFunction>;
  /** The nightly job EventBridge Scheduler invokes. */
  readonly postLoanJob: AppFunction;
  readonly accrualJob: AppFunction;
  readonly reconciliationJob: AppFunction;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    const policy = stagePolicy(config.stage);
    // The table by its fixed name: grants then name its ARN and index ARNs in this stack.
    // The stream and the key still come from the data stack.
    const table = Table.fromTableAttributes(this, 'Table', {
      tableArn: this.formatArn({ service: 'dynamodb', resource: 'table', resourceName: data.tableName }),
      tableStreamArn: data.table.tableStreamArn,
      encryptionKey: data.dataKey,
      globalIndexes: GLOBAL_INDEXES.map((index) => index.name),
    });
    const lambda = (
      constructId: string,
      entry: string,
      description: string,
      timeout: keyof typeof FUNCTION_TIMEOUTS,
      environment?: Record<string, string>,
    ) =>
      new AppFunction(this, constructId, {
        entry,
        description,
        timeout: FUNCTION_TIMEOUTS[timeout],
        environment,
        logRetention: policy.logRetention,
        removalPolicy: policy.removalPolicy,
        logLevel: config.logLevel,
        bundleAwsSdk: config.bundleAwsSdk,
      });

    // The workflow.
    this.stageFunctions = Object.fromEntries(
      WORKFLOW_STAGE_NAMES.map((name) => [
        name,
        lambda(
          `${name}Stage`,
          WORKFLOW_STAGES[name],
          `apply-to-disburse: ${name}`,
          'workflowStage',
        ).bindTable(table, 'readWrite'),
      ]),
    ) as Record<WorkflowStage, AppFunction>;
    this.stateMachine = new StateMachine(this, 'ApplyToDisburse', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: applyToDisburseDefinition(this, {
        stageFunctions: this.stageFunctions,
        disbursementQueue: data.disbursementQueue,
      }),
      tracingEnabled: true,
      logs: {
        // The vendedlogs prefix keeps Step Functions' log delivery out of the account's
        // CloudWatch Logs resource policy, which is limited in size.
        destination: new LogGroup(this, 'WorkflowLogs', {
          retention: policy.logRetention,
          removalPolicy: policy.removalPolicy,
        }),
        level: LogLevel.ALL,
        // Execution data holds application ids only; kept out anyway so no later change
        // to a state's output can leak personal data into the logs.
        includeExecutionData: false,
      },
    });

    // Who may call the API: the bank's OIDC provider, or a user pool made for the purpose.
    let identity: { issuer: string; audience: string };
    if (config.oidcIssuer && config.oidcAudience) {
      identity = { issuer: config.oidcIssuer, audience: config.oidcAudience };
    } else {
      this.userPool = new FallbackUserPool(this, 'Identity', { policy });
      identity = { issuer: this.userPool.issuer, audience: this.userPool.client.userPoolClientId };
    }
    const authorizer = lambda('Authorizer', 'functions/auth/authorizer/handler.ts', 'API authorizer', 'api', {
      OIDC_ISSUER: identity.issuer,
      ...(config.oidcJwksUri ? { OIDC_JWKS_URI: config.oidcJwksUri } : {}),
      OIDC_AUDIENCE: identity.audience,
      // Unset claims take the defaults the authorizer itself documents.
      ROLE_CLAIM: AuthConfigSchema.shape.ROLE_CLAIM.parse(config.roleClaim),
      USCC_CLAIM: AuthConfigSchema.shape.USCC_CLAIM.parse(config.usccClaim),
    });

    // The API: one function per route, with only what that route needs, and a throttle by
    // route class; in front of its stage, the web ACL.
    const limits = edgeLimits(config);
    this.api = new Api(this, 'Api', {
      stage: config.stage,
      policy,
      authorizerFunction: authorizer,
      routes: ROUTE_LIST,
      limits,
    });
    this.firewall = new ApiFirewall(this, 'Firewall', {
      stage: this.api.restApi.deploymentStage,
      name: `fast-loan-${config.stage}`,
      policy,
      requestsPerIpPer5Minutes: limits.requestsPerIpPer5Minutes,
      webAclArn: config.webAclArn,
    });
    for (const route of ROUTE_LIST) {
      const access = ROUTE_ACCESS[route.operationId as OperationId];
      const handler = lambda(
        `Route${pascal(route.operationId)}`,
        route.handler,
        `${route.method} ${route.path}`,
        'api',
      );
      if (access.table) handler.bindTable(table, access.table);
      if (access.workflow) {
        if (access.workflow === 'start') this.stateMachine.grantStartExecution(handler);
        else this.stateMachine.grantTaskResponse(handler);
        handler.addEnvironment('STATE_MACHINE_ARN', this.stateMachine.stateMachineArn);
      }
      if (access.personalDataDigestKey) {
        data.personalDataDigestKey.grantRead(handler);
        handler.addEnvironment('PERSONAL_DATA_DIGEST_KEY_SECRET_ARN', data.personalDataDigestKey.secretArn);
      }
      if (access.publicApiUrl) handler.addEnvironment('PUBLIC_API_URL', this.api.publicUrl);
      const pushSecrets = Object.entries(data.partnerPushSecrets);
      if (access.partnerPushSecrets && pushSecrets.length > 0) {
        for (const [, secret] of pushSecrets) secret.grantRead(handler);
        handler.addEnvironment(
          PARTNER_PUSH_SECRET_VARIABLES.arns,
          this.toJsonString(Object.fromEntries(pushSecrets.map(([id, secret]) => [id, secret.secretArn]))),
        );
      }
      this.api.addRoute(route, handler);
    }

    // Disbursement: the workflow's Disburse state queues the order with its task token; the
    // worker pays out (idempotently) and reports back.
    const disburser = lambda(
      'DisbursementWorker',
      'functions/workers/disburse/handler.ts',
      'Disbursement worker',
      'consumer',
      { STATE_MACHINE_ARN: this.stateMachine.stateMachineArn },
    ).bindTable(table, 'readWrite');
    this.stateMachine.grantTaskResponse(disburser);
    disburser.addEventSource(new SqsEventSource(data.disbursementQueue, { reportBatchItemFailures: true }));

    // Committed event items on the table stream: partner events go to the webhook queue, each
    // submitted application's workflow is (re)started (a no-op if the API already did), and
    // each requested draw-down goes to the disbursement queue.
    const relay = lambda(
      'EventRelay',
      'functions/streams/relay-events/handler.ts',
      'Table stream relay',
      'consumer',
      {
        WEBHOOK_QUEUE_URL: data.webhookQueue.queueUrl,
        DISBURSEMENT_QUEUE_URL: data.disbursementQueue.queueUrl,
        STATE_MACHINE_ARN: this.stateMachine.stateMachineArn,
      },
    );
    data.webhookQueue.grantSendMessages(relay);
    data.disbursementQueue.grantSendMessages(relay);
    this.stateMachine.grantStartExecution(relay);
    relay.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.LATEST,
        bisectBatchOnError: true,
        retryAttempts: 5,
        onFailure: new SqsDlq(data.relayDlq),
        // Only new event items can become webhooks; the handler filters the same way, so
        // this saves invocations without changing behaviour (the local poller has no filter).
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { entity: { S: FilterRule.isEqual('EVENT') } } },
          }),
        ],
      }),
    );
    const dispatcher = lambda(
      'WebhookDispatcher',
      'functions/workers/dispatch-webhook/handler.ts',
      'Partner webhook dispatcher',
      'consumer',
      {
        PARTNER_WEBHOOK_URL: config.partnerWebhookUrl ?? '',
        PARTNER_WEBHOOK_SECRET_ARN: data.partnerWebhookSecret.secretArn,
      },
    );
    data.partnerWebhookSecret.grantRead(dispatcher);
    dispatcher.addEventSource(new SqsEventSource(data.webhookQueue, { reportBatchItemFailures: true }));

    // The end-of-day interest accrual at 00:30 bank time, then post-loan monitoring and
    // auto-debits at 01:00, both for the business date that has just begun.
    this.accrualJob = lambda(
      'AccrualJob',
      'functions/scheduled/accrue-interest/handler.ts',
      'Nightly interest accrual',
      'postLoan',
    ).bindTable(table, 'readWrite');
    new Schedule(this, 'AccrualSchedule', {
      description: `End-of-day interest accrual at 00:30 ${BANK_TIME_ZONE}`,
      schedule: ScheduleExpression.cron({ minute: '30', hour: '0', timeZone: TimeZone.of(BANK_TIME_ZONE) }),
      target: new LambdaInvoke(this.accrualJob, {
        input: ScheduleTargetInput.fromObject({ time: ContextAttribute.scheduledTime }),
      }),
    });

    // Post-loan monitoring, nightly at 01:00 bank time.
    this.postLoanJob = lambda(
      'PostLoanJob',
      'functions/scheduled/post-loan/handler.ts',
      'Nightly post-loan monitoring',
      'postLoan',
    ).bindTable(table, 'readWrite');
    new Schedule(this, 'PostLoanSchedule', {
      description: `Nightly post-loan monitoring at 01:00 ${BANK_TIME_ZONE}`,
      schedule: ScheduleExpression.cron({ minute: '0', hour: '1', timeZone: TimeZone.of(BANK_TIME_ZONE) }),
      target: new LambdaInvoke(this.postLoanJob, {
        // The handler reads the run's time from `time`, as in an EventBridge scheduled event.
        input: ScheduleTargetInput.fromObject({ time: ContextAttribute.scheduledTime }),
      }),
    });

    // Reconciliation at 02:00 bank time, after the night's auto-debits; also invoked on demand.
    this.reconciliationJob = lambda(
      'ReconciliationJob',
      'functions/scheduled/reconcile/handler.ts',
      'Reconciliation of core banking against the ledger',
      'postLoan',
      {
        WEBHOOK_QUEUE_URL: data.webhookQueue.queueUrl,
        DISBURSEMENT_QUEUE_URL: data.disbursementQueue.queueUrl,
        STATE_MACHINE_ARN: this.stateMachine.stateMachineArn,
      },
    ).bindTable(table, 'readWrite');
    // It re-relays what the stream relay never acted on, so it may send what the relay sends.
    data.webhookQueue.grantSendMessages(this.reconciliationJob);
    data.disbursementQueue.grantSendMessages(this.reconciliationJob);
    this.stateMachine.grantStartExecution(this.reconciliationJob);
    new Schedule(this, 'ReconciliationSchedule', {
      description: `Nightly reconciliation at 02:00 ${BANK_TIME_ZONE}`,
      schedule: ScheduleExpression.cron({ minute: '0', hour: '2', timeZone: TimeZone.of(BANK_TIME_ZONE) }),
      target: new LambdaInvoke(this.reconciliationJob, {
        input: ScheduleTargetInput.fromObject({ time: ContextAttribute.scheduledTime }),
      }),
    });

    // Alarms: anything dead-lettered, any failed or timed-out execution, any 5XX, a failed nightly run.
    const alarms = new Alarms(this, 'Alarms', { alarmEmail: config.alarmEmail });
    const deadLetters = {
      DisbursementDlq: data.disbursementDlq,
      WebhookDlq: data.webhookDlq,
      RelayDlq: data.relayDlq,
    };
    for (const [name, queue] of Object.entries(deadLetters)) {
      alarms.onAny(
        `${name}Messages`,
        queue.metricApproximateNumberOfMessagesVisible({ period: ALARM_PERIOD, statistic: 'Maximum' }),
        `Messages in ${name}: they failed every retry and need a person.`,
      );
    }
    alarms.onAny(
      'WorkflowFailed',
      this.stateMachine.metricFailed({ period: ALARM_PERIOD, statistic: 'Sum' }),
      'An apply-to-disburse execution failed.',
    );
    alarms.onAny(
      'WorkflowTimedOut',
      this.stateMachine.metricTimedOut({ period: ALARM_PERIOD, statistic: 'Sum' }),
      'An apply-to-disburse execution timed out.',
    );
    alarms.onAny(
      'Api5xx',
      this.api.restApi.metricServerError({ period: ALARM_PERIOD, statistic: 'Sum' }),
      'The API answered 5XX.',
    );
    alarms.onAny(
      'PostLoanErrors',
      this.postLoanJob.metricErrors({ period: ALARM_PERIOD, statistic: 'Sum' }),
      'The nightly post-loan job failed.',
    );
    alarms.onAny(
      'AccrualErrors',
      this.accrualJob.metricErrors({ period: ALARM_PERIOD, statistic: 'Sum' }),
      'The nightly interest accrual failed; the next run catches the missed dates up.',
    );

    alarms.onAny(
      'ReconciliationErrors',
      this.reconciliationJob.metricErrors({ period: ALARM_PERIOD, statistic: 'Sum' }),
      'The reconciliation run failed; nothing it would have repaired is repaired until it runs.',
    );
    const reconciliation = (action: string) =>
      new Metric({
        namespace: 'FastLoan',
        metricName: `Reconciliation${action}`,
        dimensionsMap: { service: 'fast-loan' },
        period: Duration.days(1),
        statistic: 'Sum',
      });
    alarms.onAny(
      'ReconciliationUnresolved',
      reconciliation('UNRESOLVED'),
      'Reconciliation found a money movement it cannot repair alone: read the run report in its log.',
    );
    alarms.onAny(
      'ReconciliationRepairedMoney',
      new MathExpression({
        expression: 'FILL(booked, 0) + FILL(refunded, 0) + FILL(released, 0)',
        usingMetrics: {
          booked: reconciliation('BOOKED'),
          refunded: reconciliation('REFUNDED'),
          released: reconciliation('RELEASED'),
        },
        period: Duration.days(1),
      }),
      'Reconciliation booked, refunded or released a repayment that a crash or a lost answer had left half done.',
    );

    new CfnOutput(this, 'ApiUrl', { value: this.api.restApi.url });
    new CfnOutput(this, 'StateMachineArn', { value: this.stateMachine.stateMachineArn });
  }
}
