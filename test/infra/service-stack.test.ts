import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';
import { FUNCTION_RUNTIME } from '../../infra/constructs/app-function.js';
import { WORKFLOW_STAGE_NAMES } from '../../infra/workflow/stages.js';
import { ROUTE_LIST, ROUTES, usesAuthorizer } from '../../shared/http/routes.js';
import {
  actionsOf,
  allStatements,
  type PolicyStatement,
  resourcesOf,
  roleStatements,
} from './support/iam.js';
import {
  type CfnTemplate,
  logicalIdOf,
  referencedResource,
  render,
  resourcesOfType,
  type SynthesizedApp,
  synthApp,
} from './support/synth.js';

/** Functions that serve no route and run no workflow stage. */
const OTHER_FUNCTIONS = [
  'authorizer',
  'disbursement worker',
  'webhook dispatcher',
  'stream relay',
  'post-loan job',
  'accrual job',
  'reconciliation job',
];

/**
 * Actions AWS authorizes only on "*" (they have no resource-level permissions): X-Ray
 * tracing, listing the table's streams (the stream event source), and the log delivery
 * Step Functions uses to write its execution log.
 */
const ACTIONS_AWS_ONLY_GRANTS_ON_STAR = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'dynamodb:ListStreams',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
]);

const STREAM_ACTIONS = new Set([
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
]);

let app: SynthesizedApp;
let service: CfnTemplate;
let template: Template;

beforeAll(() => {
  app = synthApp();
  service = app.templates.service;
  template = Template.fromJSON(service);
});

/** The path of an API Gateway resource, followed up its parents to the API's root. */
function resourcePath(resourceId: unknown): string {
  const ref = (resourceId as { Ref?: string }).Ref;
  if (!ref) return ''; // Fn::GetAtt RootResourceId
  const resource = service.Resources[ref];
  const properties = resource?.Properties as { PathPart: string; ParentId: unknown };
  return `${resourcePath(properties.ParentId)}/${properties.PathPart}`;
}

function methods(): { method: string; path: string; properties: Record<string, unknown> }[] {
  return resourcesOfType(service, 'AWS::ApiGateway::Method').map(([, resource]) => {
    const properties = resource.Properties;
    return { method: String(properties.HttpMethod), path: resourcePath(properties.ResourceId), properties };
  });
}

describe('functions', () => {
  it('has one function per route and per workflow stage, plus the authorizer, workers, relay and job', () => {
    const expected = ROUTE_LIST.length + WORKFLOW_STAGE_NAMES.length + OTHER_FUNCTIONS.length;
    expect(resourcesOfType(service, 'AWS::Lambda::Function')).toHaveLength(expected);
  });

  it('gives every route its own function', () => {
    const integrated = methods().map(({ properties }) =>
      render((properties.Integration as { Uri: unknown }).Uri, app, app.service.stackName),
    );
    expect(new Set(integrated).size).toBe(ROUTE_LIST.length);
  });

  it('runs every function on arm64, the chosen runtime, with tracing and its own log group', () => {
    for (const [id, fn] of resourcesOfType(service, 'AWS::Lambda::Function')) {
      expect(fn.Properties, id).toMatchObject({
        Architectures: ['arm64'],
        Runtime: FUNCTION_RUNTIME.name,
        TracingConfig: { Mode: 'Active' },
        MemorySize: 512,
        LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
      });
    }
  });

  it('grants no table Scan or BatchWriteItem, and DeleteItem only to blacklist removal', () => {
    for (const [id, fn] of resourcesOfType(service, 'AWS::Lambda::Function')) {
      const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const actions = roleStatements(service, roleId).flatMap(actionsOf);
      expect(actions, id).not.toContain('dynamodb:Scan');
      expect(actions, id).not.toContain('dynamodb:BatchWriteItem');
      expect(actions.includes('dynamodb:DeleteItem'), id).toBe(id.startsWith('RouteRemoveFromBlacklist'));
    }
  });

  it('lets the audit routes read the table and its indexes, and change or send nothing', () => {
    const readers = resourcesOfType(service, 'AWS::Lambda::Function').filter(([id]) =>
      /^Route(ListAudit|VerifyAuditTrail)[A-F0-9]/.test(id),
    );
    expect(readers).toHaveLength(2);
    for (const [id, fn] of readers) {
      const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const statements = roleStatements(service, roleId);
      const actions = statements.flatMap(actionsOf);
      expect(new Set(actions.filter((action) => action.startsWith('dynamodb:'))), id).toEqual(
        new Set([
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:Query',
          'dynamodb:ConditionCheckItem',
        ]),
      );
      expect(
        actions.filter((action) => action.startsWith('kms:')),
        id,
      ).toEqual(['kms:Decrypt']);
      expect(
        actions.filter((action) => !/^(dynamodb|kms|logs|xray):/.test(action)),
        id,
      ).toEqual([]);
      // The index ARNs are granted too (the time range is read on gsi3).
      expect(JSON.stringify(statements), id).toContain('/index/*');
    }
  });

  it('tells a function the table, the state machine or a secret exactly when it may use them', () => {
    for (const [id, fn] of resourcesOfType(service, 'AWS::Lambda::Function')) {
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const actions = roleStatements(service, roleId).flatMap(actionsOf);
      const may = (prefix: string) => actions.some((action) => action.startsWith(prefix));
      expect('TABLE_NAME' in variables, `${id} TABLE_NAME`).toBe(
        may('dynamodb:PutItem') || may('dynamodb:Query'),
      );
      expect('STATE_MACHINE_ARN' in variables, `${id} STATE_MACHINE_ARN`).toBe(may('states:'));
      expect('WEBHOOK_QUEUE_URL' in variables, `${id} WEBHOOK_QUEUE_URL`).toBe(may('sqs:SendMessage'));
      const secretVariables = Object.keys(variables).filter((name) => /_SECRET_ARNS?$/.test(name));
      expect(secretVariables.length > 0, `${id} secrets`).toBe(may('secretsmanager:GetSecretValue'));
    }
  });
});

describe('API', () => {
  it('has exactly the methods of the route table, behind the authorizer exactly when the route has roles', () => {
    const made = methods();
    expect(made).toHaveLength(ROUTE_LIST.length);
    for (const route of ROUTE_LIST) {
      const method = made.find(({ method, path }) => method === route.method && path === route.path);
      expect(method, `${route.method} ${route.path}`).toBeDefined();
      if (!usesAuthorizer(route)) {
        expect(method?.properties.AuthorizationType).toBe('NONE');
      } else {
        expect(method?.properties).toMatchObject({
          AuthorizationType: 'CUSTOM',
          AuthorizerId: { Ref: expect.any(String) },
        });
      }
    }
  });

  it('exposes no local-only path', () => {
    for (const { path } of methods()) expect(path.startsWith('/local')).toBe(false);
  });

  it('answers its own errors as problem+json', () => {
    for (const type of ['UNAUTHORIZED', 'ACCESS_DENIED', 'DEFAULT_4XX', 'DEFAULT_5XX']) {
      template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        ResponseParameters: { 'gatewayresponse.header.Content-Type': "'application/problem+json'" },
        ResponseTemplates: { 'application/json': Match.stringLikeRegexp('"type":"urn:fast-loan:problem:') },
      });
    }
    const [, unauthorized] =
      resourcesOfType(service, 'AWS::ApiGateway::GatewayResponse').find(
        ([, response]) => response.Properties.ResponseType === 'UNAUTHORIZED',
      ) ?? [];
    const templates = unauthorized?.Properties.ResponseTemplates as Record<string, string> | undefined;
    const body = templates?.['application/json'];
    // What API Gateway would send, with the message variable filled in as it fills it.
    const sent = JSON.parse(
      String(body).replace('$context.error.messageString', '"Unauthorized"'),
    ) as unknown;
    expect(sent).toMatchObject({
      type: 'urn:fast-loan:problem:unauthorized',
      title: 'Unauthorized',
      status: 401,
      detail: 'Unauthorized',
    });
  });

  it('logs access as JSON, traces, throttles and logs execution errors on its stage', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'dev',
      TracingEnabled: true,
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('^\\{') },
      // The stage default; the routes' own throttles are in edge.test.ts.
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
          ThrottlingRateLimit: Match.anyValue(),
          ThrottlingBurstLimit: Match.anyValue(),
        }),
      ]),
    });
  });
});

describe('workflow and schedule', () => {
  it('runs apply-to-disburse as a Standard state machine with full logging and tracing', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
    });
  });

  it.each([
    ['interest accrual', 'cron(30 0 * * ? *)'],
    ['post-loan', 'cron(0 1 * * ? *)'],
    ['Reconciliation', 'cron(0 2 * * ? *)'],
  ])('runs the %s job daily on %s Asia/Shanghai, accrual first', (description, cron) => {
    const [id] = Object.entries(service.Resources).find(
      ([, resource]) =>
        resource.Type === 'AWS::Lambda::Function' &&
        String(resource.Properties.Description).includes(description),
    ) ?? [''];
    expect(id).not.toBe('');
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: cron,
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [id, 'Arn'] } }),
    });
  });

  it('lets the stream relay queue draw-downs for disbursement', () => {
    const [relayId] = Object.entries(service.Resources).find(
      ([, resource]) =>
        resource.Type === 'AWS::Lambda::Function' &&
        String(resource.Properties.Description).includes('stream relay'),
    ) ?? [''];
    const environment = service.Resources[relayId]?.Properties.Environment as
      | { Variables: Record<string, unknown> }
      | undefined;
    expect(Object.keys(environment?.Variables ?? {})).toContain('DISBURSEMENT_QUEUE_URL');
  });
});

describe('alarms', () => {
  const alarms = () =>
    resourcesOfType(service, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
  const onFirst = {
    Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    AlarmActions: [{ Ref: expect.any(String) }],
  };

  it('alarms on a message in any dead-letter queue', () => {
    for (const queue of [app.data.disbursementDlq, app.data.webhookDlq, app.data.relayDlq]) {
      const dimension = `{{${logicalIdOf(queue)}.QueueName}}`;
      const alarm = alarms().find(
        (properties) =>
          properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          render((properties.Dimensions as { Value: unknown }[])[0]?.Value, app, app.service.stackName) ===
            dimension,
      );
      expect(alarm, dimension).toMatchObject(onFirst);
    }
  });

  it('alarms on failed and timed-out executions and on API 5XX', () => {
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut', '5XXError']) {
      expect(
        alarms().find((properties) => properties.MetricName === metric),
        metric,
      ).toMatchObject(onFirst);
    }
  });

  it('alarms on anything reconciliation could not repair, and on any repayment it had to repair', () => {
    expect(alarms().find((properties) => properties.MetricName === 'ReconciliationUNRESOLVED')).toMatchObject(
      { ...onFirst, Namespace: 'FastLoan' },
    );
    const repaired = alarms().find((properties) =>
      (properties.Metrics as { Expression?: string }[] | undefined)?.some((m) =>
        m.Expression?.includes('booked'),
      ),
    );
    expect(repaired).toMatchObject(onFirst);
    const names = ((repaired?.Metrics ?? []) as { MetricStat?: { Metric: { MetricName: string } } }[])
      .flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric.MetricName] : []))
      .sort();
    expect(names).toEqual(['ReconciliationBOOKED', 'ReconciliationREFUNDED', 'ReconciliationRELEASED']);
  });

  it('sends alarms to an SSL-only topic', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('least privilege', () => {
  it('grants no action "*" or "<service>:*" anywhere (Deny statements, like SSL enforcement, may)', () => {
    for (const [name, stackTemplate] of Object.entries(app.byStackName)) {
      for (const { holder, statement } of allStatements(stackTemplate)) {
        if (statement.Effect === 'Deny') continue;
        for (const action of actionsOf(statement)) {
          expect(/^(\*|[a-z0-9-]+:\*)$/.test(action), `${name} ${holder}: ${action}`).toBe(false);
        }
      }
    }
  });

  it('scopes every granted resource to the table, a queue, a key, a secret, a function or a log group', () => {
    const tableArn = `arn:aws:dynamodb:us-east-1:123456789012:table/${app.data.tableName}`;
    const expectedType = (action: string, resource: string): string | undefined => {
      const target = referencedResource(resource, app);
      const is = (type: string, attribute?: string, suffixes: string[] = ['']) =>
        target?.type === type && target.attribute === attribute && suffixes.includes(target.suffix)
          ? undefined
          : `${type}${attribute ? `.${attribute}` : ''}`;
      const onTable = resource === tableArn || resource === `${tableArn}/index/*`;
      // CDK's table read grant lists GetRecords and GetShardIterator too; on the table's own
      // ARN they authorize nothing. The stream relay gets them on the stream.
      if (STREAM_ACTIONS.has(action) && !onTable) return is('AWS::DynamoDB::Table', 'StreamArn');
      if (action.startsWith('dynamodb:')) return onTable ? undefined : tableArn;
      if (action.startsWith('sqs:')) return is('AWS::SQS::Queue', 'Arn');
      if (action.startsWith('kms:')) return is('AWS::KMS::Key', 'Arn');
      if (action.startsWith('secretsmanager:')) return is('AWS::SecretsManager::Secret');
      if (action.startsWith('states:')) return is('AWS::StepFunctions::StateMachine');
      if (action === 'lambda:InvokeFunction') return is('AWS::Lambda::Function', 'Arn', ['', ':*']);
      if (action === 'logs:CreateLogStream' || action === 'logs:PutLogEvents')
        return is('AWS::Logs::LogGroup', 'Arn');
      return 'a scope this test knows (add the action above once its scope is decided)';
    };
    const identityPolicies = resourcesOfType(service, 'AWS::IAM::Policy');
    expect(identityPolicies.length).toBeGreaterThan(0);
    for (const [id, policy] of identityPolicies) {
      const { Statement } = policy.Properties.PolicyDocument as { Statement: PolicyStatement[] };
      for (const statement of Statement) {
        for (const action of actionsOf(statement)) {
          for (const resource of resourcesOf(statement)) {
            const rendered = render(resource, app, app.service.stackName);
            if (rendered === '*') {
              expect(ACTIONS_AWS_ONLY_GRANTS_ON_STAR.has(action), `${id}: ${action} on *`).toBe(true);
              continue;
            }
            expect(expectedType(action, rendered), `${id}: ${action} on ${rendered}`).toBeUndefined();
          }
        }
      }
    }
  });

  it('uses no managed policy except the API Gateway logging role AWS prescribes', () => {
    const managed = resourcesOfType(service, 'AWS::IAM::Role').flatMap(([, role]) =>
      ((role.Properties.ManagedPolicyArns as unknown[]) ?? []).map((arn) =>
        render(arn, app, app.service.stackName),
      ),
    );
    expect(managed).toEqual(['arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs']);
  });
});

describe('deploy context', () => {
  it('rejects a malformed stage and an issuer without its audience', () => {
    expect(() => buildApp({ stage: 'Prod!' })).toThrow(/stage/);
    expect(() => buildApp({ oidcIssuer: 'https://idp.bank.example' })).toThrow(/oidcAudience/);
    expect(() => buildApp({ logLevel: 'verbose' })).toThrow(/logLevel/);
  });

  it('logs at INFO by default', () => {
    for (const [id, fn] of resourcesOfType(service, 'AWS::Lambda::Function'))
      expect(
        (fn.Properties.Environment as { Variables: Record<string, string> }).Variables,
        id,
      ).toMatchObject({
        POWERTOOLS_LOG_LEVEL: 'INFO',
      });
  });

  it("uses the bank's identity provider instead of a user pool, and the partner, alarm and log settings", () => {
    const bank = synthApp({
      oidcIssuer: 'https://idp.bank.example/realms/sme',
      oidcAudience: 'fast-loan-app',
      roleClaim: 'roles',
      partnerWebhookUrl: 'https://partner.example/webhooks',
      alarmEmail: 'ops@bank.example',
      logLevel: 'DEBUG',
    });
    const bankTemplate = Template.fromJSON(bank.templates.service);
    for (const [id, fn] of resourcesOfType(bank.templates.service, 'AWS::Lambda::Function'))
      expect(
        (fn.Properties.Environment as { Variables: Record<string, string> }).Variables,
        id,
      ).toMatchObject({
        POWERTOOLS_LOG_LEVEL: 'DEBUG',
      });
    bankTemplate.resourceCountIs('AWS::Cognito::UserPool', 0);
    bankTemplate.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          OIDC_ISSUER: 'https://idp.bank.example/realms/sme',
          OIDC_AUDIENCE: 'fast-loan-app',
          ROLE_CLAIM: 'roles',
          USCC_CLAIM: 'custom:uscc',
        }),
      },
    });
    bankTemplate.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ PARTNER_WEBHOOK_URL: 'https://partner.example/webhooks' }),
      },
    });
    bankTemplate.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@bank.example',
    });
  });
});

describe('the partner data route', () => {
  const PARTNERS = ['demo-marketplace', 'jd-supply'];
  let withPartners: SynthesizedApp;

  beforeAll(() => {
    withPartners = synthApp({ partners: PARTNERS.join(',') });
  });

  /** The route's method and its function's role statements and environment, in an app. */
  function partnerRoute(built: SynthesizedApp) {
    const template = built.templates.service;
    const [, method] =
      resourcesOfType(template, 'AWS::ApiGateway::Method').find(
        ([, resource]) => resource.Properties.OperationName === ROUTES.pushPartnerData.operationId,
      ) ?? [];
    const [, fn] =
      resourcesOfType(template, 'AWS::Lambda::Function').find(
        ([, resource]) => resource.Properties.Description === 'POST /v1/partner-data/{partnerId}',
      ) ?? [];
    if (!method || !fn) throw new Error('no partner data route');
    const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = roleStatements(template, roleId);
    const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    return { method: method.Properties, statements, variables };
  }

  it('is not behind the JWT authorizer: partners sign each request instead', () => {
    const { method } = partnerRoute(withPartners);
    expect(method).toMatchObject({ HttpMethod: 'POST', AuthorizationType: 'NONE' });
    expect(method).not.toHaveProperty('AuthorizerId');
  });

  it("reads each listed partner's own secret and no other, writes the table without deleting, and starts nothing", () => {
    const { statements, variables } = partnerRoute(withPartners);
    const secretReads = statements.filter((statement) =>
      actionsOf(statement).includes('secretsmanager:GetSecretValue'),
    );
    const readable = secretReads
      .flatMap(resourcesOf)
      .map((resource) => render(resource, withPartners, withPartners.service.stackName));
    const expected = PARTNERS.map((partnerId) => {
      const secret = withPartners.data.partnerPushSecrets[partnerId];
      if (!secret) throw new Error(`no secret for ${partnerId}`);
      return `{{${logicalIdOf(secret)}}}`;
    });
    expect(readable.sort()).toEqual(expected.sort());

    const actions = statements.flatMap(actionsOf);
    expect(actions).toContain('dynamodb:PutItem');
    expect(actions).not.toContain('dynamodb:DeleteItem');
    expect(actions.some((action) => action.startsWith('states:'))).toBe(false);
    expect(actions.some((action) => action.startsWith('sqs:'))).toBe(false);

    const arns = render(variables.PARTNER_PUSH_SECRET_ARNS, withPartners, withPartners.service.stackName);
    expect(Object.keys(JSON.parse(arns) as Record<string, string>).sort()).toEqual(PARTNERS);
    expect(variables).not.toHaveProperty('PERSONAL_DATA_DIGEST_KEY_SECRET_ARN');
  });

  it('knows no partner and reads no secret when the deployment lists none', () => {
    const { statements, variables } = partnerRoute(app);
    expect(statements.flatMap(actionsOf)).not.toContain('secretsmanager:GetSecretValue');
    expect(variables).not.toHaveProperty('PARTNER_PUSH_SECRET_ARNS');
  });

  it('gives every partner its own generated secret, and refuses a malformed partner list', () => {
    const secrets = resourcesOfType(withPartners.templates.data, 'AWS::SecretsManager::Secret');
    expect(secrets).toHaveLength(2 + PARTNERS.length);
    expect(() => buildApp({ partners: 'Demo Marketplace' })).toThrow(/partners/);
  });
});

describe('the score drift report', () => {
  it('is behind the authorizer and may only read the table', () => {
    const [, method] =
      resourcesOfType(service, 'AWS::ApiGateway::Method').find(
        ([, resource]) => resource.Properties.OperationName === ROUTES.getScoreDrift.operationId,
      ) ?? [];
    expect(method?.Properties).toMatchObject({ HttpMethod: 'GET', AuthorizationType: 'CUSTOM' });
    const [, fn] =
      resourcesOfType(service, 'AWS::Lambda::Function').find(
        ([, resource]) => resource.Properties.Description === 'GET /v1/model-monitoring/score-drift',
      ) ?? [];
    if (!fn) throw new Error('no score drift function');
    const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const tableActions = roleStatements(service, roleId)
      .flatMap(actionsOf)
      .filter((action) => action.startsWith('dynamodb:'));
    expect(tableActions).toContain('dynamodb:Query');
    expect(tableActions.filter((action) => /Put|Update|Delete|Write/.test(action))).toEqual([]);
  });
});
