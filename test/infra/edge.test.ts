import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';
import { MANAGED_RULE_GROUPS } from '../../infra/constructs/api-firewall.js';
import { DEFAULT_EDGE_LIMITS, type RouteClass, routeClass, type Throttle } from '../../infra/edge-limits.js';
import { ROUTE_LIST, ROUTES, type RouteDefinition } from '../../shared/http/routes.js';
import {
  type CfnTemplate,
  logicalIdOf,
  render,
  resourcesOfType,
  type SynthesizedApp,
  synthApp,
} from './support/synth.js';

interface MethodSetting {
  HttpMethod: string;
  ResourcePath: string;
  ThrottlingRateLimit?: number;
  ThrottlingBurstLimit?: number;
  LoggingLevel?: string;
  MetricsEnabled?: boolean;
  DataTraceEnabled?: boolean;
}

interface WafRule {
  Name: string;
  Priority: number;
  Statement: Record<string, Record<string, unknown>>;
  Action?: Record<string, unknown>;
  OverrideAction?: Record<string, unknown>;
  VisibilityConfig: Record<string, unknown>;
}

const { throttle: DEFAULT_THROTTLE, requestsPerIpPer5Minutes } = DEFAULT_EDGE_LIMITS;

let app: SynthesizedApp;
let service: CfnTemplate;
let template: Template;

beforeAll(() => {
  app = synthApp();
  service = app.templates.service;
  template = Template.fromJSON(service);
});

const only = (built: SynthesizedApp, type: string) => {
  const found = resourcesOfType(built.templates.service, type);
  expect(found, type).toHaveLength(1);
  const [entry] = found;
  if (!entry) throw new Error(`no ${type}`);
  return entry;
};

const methodSettings = (built: SynthesizedApp) =>
  only(built, 'AWS::ApiGateway::Stage')[1].Properties.MethodSettings as MethodSetting[];

/** A route's own stage method setting: API Gateway escapes the path's slashes as ~1. */
const settingFor = (settings: MethodSetting[], route: RouteDefinition) =>
  settings.find(
    (setting) =>
      setting.HttpMethod === route.method && setting.ResourcePath === `/${route.path.replaceAll('/', '~1')}`,
  );

const stageDefault = (settings: MethodSetting[]) =>
  settings.find((setting) => setting.HttpMethod === '*' && setting.ResourcePath === '/*');

const limitsOf = (setting: MethodSetting | undefined): Throttle | undefined =>
  setting && {
    rateLimit: Number(setting.ThrottlingRateLimit),
    burstLimit: Number(setting.ThrottlingBurstLimit),
  };

const webAclRules = (built: SynthesizedApp) =>
  only(built, 'AWS::WAFv2::WebACL')[1].Properties.Rules as WafRule[];

describe('web ACL', () => {
  it('is regional, allows what no rule blocks, and publishes metrics and sampled requests for itself and each rule', () => {
    const [, webAcl] = only(app, 'AWS::WAFv2::WebACL');
    expect(webAcl.Properties).toMatchObject({ Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
    const visibilities = [
      webAcl.Properties.VisibilityConfig as Record<string, unknown>,
      ...webAclRules(app).map((rule) => rule.VisibilityConfig),
    ];
    for (const visibility of visibilities) {
      expect(visibility).toMatchObject({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true });
    }
    const metricNames = visibilities.map((visibility) => visibility.MetricName);
    expect(new Set(metricNames).size).toBe(metricNames.length);
  });

  it('blocks a client IP that sends more than the limit in 5 minutes, before any other rule, with a 429 problem', () => {
    const rules = webAclRules(app);
    const rateRules = rules.filter((rule) => 'RateBasedStatement' in rule.Statement);
    expect(rateRules).toHaveLength(1);
    const [rateRule] = rateRules;
    if (!rateRule) throw new Error('no rate-based rule');
    expect(rateRule.Statement.RateBasedStatement).toEqual({
      AggregateKeyType: 'IP',
      Limit: requestsPerIpPer5Minutes,
      EvaluationWindowSec: 300,
    });
    expect(rateRule.Priority).toBe(Math.min(...rules.map((rule) => rule.Priority)));
    expect(rateRule.Action).toMatchObject({ Block: { CustomResponse: { ResponseCode: 429 } } });

    const block = rateRule.Action?.Block as
      | { CustomResponse?: { CustomResponseBodyKey?: string } }
      | undefined;
    const key = String(block?.CustomResponse?.CustomResponseBodyKey);
    const bodies = only(app, 'AWS::WAFv2::WebACL')[1].Properties.CustomResponseBodies as Record<
      string,
      { Content: string; ContentType: string }
    >;
    expect(bodies[key]?.ContentType).toBe('APPLICATION_JSON');
    expect(JSON.parse(String(bodies[key]?.Content))).toMatchObject({
      type: 'urn:fast-loan:problem:too-many-requests',
      status: 429,
    });
  });

  it.each(MANAGED_RULE_GROUPS)('runs the AWS managed rule group %s, blocking what it matches', (group) => {
    const rule = webAclRules(app).find(
      (candidate) => candidate.Statement.ManagedRuleGroupStatement?.Name === group,
    );
    expect(rule?.Statement.ManagedRuleGroupStatement).toMatchObject({ VendorName: 'AWS', Name: group });
    // None keeps the group's own actions (block); Count would only watch.
    expect(rule?.OverrideAction).toEqual({ None: {} });
    // An override may change how a rule blocks, never turn blocking into watching.
    const overrides = (rule?.Statement.ManagedRuleGroupStatement?.RuleActionOverrides ?? []) as {
      ActionToUse: Record<string, unknown>;
    }[];
    for (const { ActionToUse } of overrides) expect(Object.keys(ActionToUse)).toEqual(['Block']);
  });

  it('answers a body too large for the common rule set with a 413 problem, like the handlers', () => {
    const [, webAcl] = only(app, 'AWS::WAFv2::WebACL');
    const common = webAclRules(app).find(
      (rule) => rule.Statement.ManagedRuleGroupStatement?.Name === 'AWSManagedRulesCommonRuleSet',
    );
    expect(common?.Statement.ManagedRuleGroupStatement?.RuleActionOverrides).toEqual([
      {
        Name: 'SizeRestrictions_BODY',
        ActionToUse: {
          Block: { CustomResponse: { ResponseCode: 413, CustomResponseBodyKey: 'payloadTooLarge' } },
        },
      },
    ]);
    const bodies = webAcl.Properties.CustomResponseBodies as Record<string, { Content: string }>;
    expect(JSON.parse(String(bodies.payloadTooLarge?.Content))).toMatchObject({
      type: 'urn:fast-loan:problem:payload-too-large',
      status: 413,
    });
  });

  it('runs the common, known-bad-inputs and IP reputation groups at least', () => {
    expect(MANAGED_RULE_GROUPS).toEqual(
      expect.arrayContaining([
        'AWSManagedRulesCommonRuleSet',
        'AWSManagedRulesKnownBadInputsRuleSet',
        'AWSManagedRulesAmazonIpReputationList',
      ]),
    );
    expect(new Set(webAclRules(app).map((rule) => rule.Priority)).size).toBe(MANAGED_RULE_GROUPS.length + 1);
  });

  it('is associated with the API stage', () => {
    const [, association] = only(app, 'AWS::WAFv2::WebACLAssociation');
    const [webAclId] = only(app, 'AWS::WAFv2::WebACL');
    const restApi = app.service.api.restApi;
    expect(render(association.Properties.ResourceArn, app, app.service.stackName)).toBe(
      `arn:aws:apigateway:us-east-1::/restapis/{{${logicalIdOf(restApi)}}}/stages/{{${logicalIdOf(restApi.deploymentStage)}}}`,
    );
    expect(association.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [webAclId, 'Arn'] });
  });

  it('logs the requests a rule blocked or counted to an aws-waf-logs- group, without the Authorization header', () => {
    const [, logging] = only(app, 'AWS::WAFv2::LoggingConfiguration');
    const [webAclId] = only(app, 'AWS::WAFv2::WebACL');
    expect(logging.Properties.ResourceArn).toEqual({ 'Fn::GetAtt': [webAclId, 'Arn'] });

    const [destination] = logging.Properties.LogDestinationConfigs as unknown[];
    const rendered = render(destination, app, app.service.stackName);
    const match = /^arn:aws:logs:us-east-1:123456789012:log-group:\{\{(\w+)\}\}$/.exec(rendered);
    expect(match, rendered).not.toBeNull();
    const logGroup = service.Resources[match?.[1] ?? ''];
    if (!logGroup) throw new Error(`no log group at ${rendered}`);
    expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    const name = logGroup.Properties.LogGroupName as { 'Fn::Join': [string, unknown[]] };
    const [separator, [prefix]] = name['Fn::Join'];
    expect(`${String(prefix)}${separator}`).toMatch(/^aws-waf-logs-/);
    expect(logGroup.Properties.RetentionInDays).toEqual(expect.any(Number));

    expect(logging.Properties.RedactedFields).toEqual([{ SingleHeader: { Name: 'authorization' } }]);
    const filter = logging.Properties.LoggingFilter as {
      DefaultBehavior: string;
      Filters: { Behavior: string; Conditions: { ActionCondition: { Action: string } }[] }[];
    };
    expect(filter.DefaultBehavior).toBe('DROP');
    const kept = filter.Filters.filter((entry) => entry.Behavior === 'KEEP').flatMap((entry) =>
      entry.Conditions.map((condition) => condition.ActionCondition.Action),
    );
    expect(kept).toEqual(expect.arrayContaining(['BLOCK', 'COUNT']));
  });
});

describe('API throttling', () => {
  it('throttles every method by default at the read limits, on the stage', () => {
    expect(limitsOf(stageDefault(methodSettings(app)))).toEqual(DEFAULT_THROTTLE.read);
  });

  it("gives every route that is not a read its class's own throttle, and keeps execution logging on it", () => {
    const settings = methodSettings(app);
    for (const route of ROUTE_LIST) {
      const kind = routeClass(route);
      const setting = settingFor(settings, route);
      const name = `${route.method} ${route.path} (${kind})`;
      if (kind === 'read') {
        expect(setting, name).toBeUndefined();
        continue;
      }
      expect(limitsOf(setting), name).toEqual(DEFAULT_THROTTLE[kind]);
      // A method override does not inherit the stage's logging and metrics.
      expect(setting, name).toMatchObject({
        LoggingLevel: 'ERROR',
        MetricsEnabled: true,
        DataTraceEnabled: false,
      });
    }
    expect(settings).toHaveLength(1 + ROUTE_LIST.filter((route) => routeClass(route) !== 'read').length);
  });

  it('throttles the money-moving routes tighter than other writes, and writes tighter than reads', () => {
    const settings = methodSettings(app);
    for (const route of [
      ROUTES.requestDrawdown,
      ROUTES.repayLoan,
      ROUTES.writeOffLoan,
      ROUTES.signContract,
    ]) {
      expect(limitsOf(settingFor(settings, route)), route.operationId).toEqual(
        DEFAULT_THROTTLE.moneyMovement,
      );
    }
    const order: RouteClass[] = ['moneyMovement', 'write', 'read'];
    for (const [tighter, looser] of [order.slice(0, 2), order.slice(1)] as [RouteClass, RouteClass][]) {
      expect(DEFAULT_THROTTLE[tighter].rateLimit, `${tighter} < ${looser}`).toBeLessThan(
        DEFAULT_THROTTLE[looser].rateLimit,
      );
      expect(DEFAULT_THROTTLE[tighter].burstLimit).toBeLessThan(DEFAULT_THROTTLE[looser].burstLimit);
    }
  });

  it('counts every POST that carries an amount or acts on a loan or credit line as moving money', () => {
    // Read off the route table itself, so a new route of either kind fails here until it is
    // classified in infra/edge-limits.ts and gets the money-moving throttle.
    const carriesAmount = (route: RouteDefinition) =>
      'amount' in ((route.body as { shape?: Record<string, unknown> } | undefined)?.shape ?? {});
    const moneyRoutes = ROUTE_LIST.filter(
      (route) =>
        route.method === 'POST' && (carriesAmount(route) || /^\/v1\/(loans|credit-lines)\//.test(route.path)),
    );
    expect(moneyRoutes.map((route) => route.operationId)).toEqual(
      expect.arrayContaining(['requestDrawdown', 'repayLoan', 'writeOffLoan']),
    );
    const settings = methodSettings(app);
    for (const route of moneyRoutes) {
      expect(routeClass(route), route.operationId).toBe('moneyMovement');
      expect(limitsOf(settingFor(settings, route)), route.operationId).toEqual(
        DEFAULT_THROTTLE.moneyMovement,
      );
    }
  });

  it('throttles the routes without a bearer token hardest, so no one without credentials can use the API up', () => {
    const settings = methodSettings(app);
    for (const route of [ROUTES.health, ROUTES.openapi, ROUTES.pushPartnerData]) {
      expect(limitsOf(settingFor(settings, route)), route.operationId).toEqual(
        DEFAULT_THROTTLE.unauthenticated,
      );
    }
    for (const kind of ['moneyMovement', 'write', 'read'] as const) {
      expect(DEFAULT_THROTTLE.unauthenticated.rateLimit).toBeLessThanOrEqual(
        DEFAULT_THROTTLE[kind].rateLimit,
      );
    }
    // One client at an unauthenticated route's full rate stays under the per-IP rule.
    expect(DEFAULT_THROTTLE.unauthenticated.rateLimit * 300).toBeLessThan(requestsPerIpPer5Minutes);
  });
});

describe('edge settings from the deploy context', () => {
  it('takes the throttles and the per-IP limit from context', () => {
    const tuned = synthApp({
      throttleRead: '30/60',
      throttleWrite: '12.5/25',
      throttleMoneyMovement: '4/8',
      throttleUnauthenticated: '2/4',
      wafRateLimit: '600',
    });
    const settings = methodSettings(tuned);
    expect(limitsOf(stageDefault(settings))).toEqual({ rateLimit: 30, burstLimit: 60 });
    expect(limitsOf(settingFor(settings, ROUTES.repayLoan))).toEqual({ rateLimit: 4, burstLimit: 8 });
    expect(limitsOf(settingFor(settings, ROUTES.submitApplication))).toEqual({
      rateLimit: 12.5,
      burstLimit: 25,
    });
    expect(limitsOf(settingFor(settings, ROUTES.pushPartnerData))).toEqual({ rateLimit: 2, burstLimit: 4 });
    const rateRule = webAclRules(tuned).find((rule) => 'RateBasedStatement' in rule.Statement);
    expect(rateRule?.Statement.RateBasedStatement).toMatchObject({ Limit: 600 });
  });

  it("associates the bank's own web ACL instead of making one", () => {
    const webAclArn = 'arn:aws:wafv2:cn-north-1:123456789012:regional/webacl/bank-edge/0123abcd';
    const bank = Template.fromJSON(synthApp({ webAclArn }).templates.service);
    bank.resourceCountIs('AWS::WAFv2::WebACL', 0);
    bank.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 0);
    bank.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: webAclArn });
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });

  it.each([
    [{ throttleWrite: 'fast' }, /throttle/],
    [{ throttleMoneyMovement: '0/10' }, /refuse every request/],
    [{ wafRateLimit: '5' }, /wafRateLimit/],
    [{ webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/1' }, /REGIONAL/],
  ])('rejects %j', (context, message) => {
    expect(() => buildApp(context)).toThrow(message);
  });

  it('stops a route the API was not made with from being added without its throttle', () => {
    const extra: RouteDefinition = { ...ROUTES.repayLoan, path: '/v1/loans/{id}/refunds' };
    expect(() => app.service.api.addRoute(extra, app.service.postLoanJob)).toThrow(/not among the routes/);
  });
});
