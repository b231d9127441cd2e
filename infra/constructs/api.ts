import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  IdentitySource,
  LambdaIntegration,
  LogGroupLogDestination,
  type Method,
  MethodLoggingLevel,
  ResponseType,
  RestApi,
  TokenAuthorizer,
} from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { problemType } from '../../shared/http/problem.js';
import { type RouteDefinition, usesAuthorizer } from '../../shared/http/routes.js';
import { type EdgeLimits, methodSettingPath, methodThrottles } from '../edge-limits.js';
import type { StagePolicy } from '../stage-policy.js';

export interface ApiProps {
  stage: string;
  policy: StagePolicy;
  /** The TOKEN authorizer every route with roles goes through. */
  authorizerFunction: IFunction;
  /**
   * Every route the API will serve: each one's throttle is a stage method setting, fixed
   * when the stage is made, so addRoute accepts only these.
   */
  routes: readonly RouteDefinition[];
  limits: EdgeLimits;
}

/**
 * The errors API Gateway answers itself (before or instead of a handler), in the same
 * RFC 9457 shape as the handlers' problems (shared/http/problem.ts). Gateway response
 * templates only substitute variables, so each type gets a fixed status; the catch-all
 * DEFAULT_4XX/5XX are pinned to 400/500 and the common specific cases keep their own.
 */
const GATEWAY_PROBLEMS: readonly { type: ResponseType; status: number; title: string }[] = [
  { type: ResponseType.UNAUTHORIZED, status: 401, title: 'Unauthorized' },
  { type: ResponseType.ACCESS_DENIED, status: 403, title: 'Forbidden' },
  { type: ResponseType.WAF_FILTERED, status: 403, title: 'Forbidden' },
  // REST APIs answer an unknown path with "Missing Authentication Token"; it is a 404.
  { type: ResponseType.MISSING_AUTHENTICATION_TOKEN, status: 404, title: 'Not found' },
  { type: ResponseType.REQUEST_TOO_LARGE, status: 413, title: 'Payload too large' },
  { type: ResponseType.UNSUPPORTED_MEDIA_TYPE, status: 415, title: 'Unsupported media type' },
  { type: ResponseType.THROTTLED, status: 429, title: 'Too many requests' },
  { type: ResponseType.INTEGRATION_TIMEOUT, status: 504, title: 'Gateway timeout' },
  { type: ResponseType.DEFAULT_4XX, status: 400, title: 'Bad request' },
  { type: ResponseType.DEFAULT_5XX, status: 500, title: 'Internal error' },
];

const problemTemplate = (status: number, title: string) =>
  // $context.error.messageString is already a quoted JSON string.
  `{"type":"${problemType(title)}","title":"${title}",` +
  `"status":${status},"detail":$context.error.messageString,"correlationId":"$context.requestId"}`;

/**
 * Execution logging and metrics, on the stage and again on each method with its own
 * throttle: a method override starts from API Gateway's defaults (logging off), not from the
 * stage's. Errors only, and never request or response bodies: they carry personal data.
 */
const METHOD_LOGGING = {
  loggingLevel: MethodLoggingLevel.ERROR,
  dataTraceEnabled: false,
  metricsEnabled: true,
};

/**
 * The REST API: one resource per path segment and one method per route, each proxied to
 * its own function; routes with roles go through the TOKEN authorizer, which checks the
 * bearer JWT against the bank's OIDC issuer (roles are enforced by each handler). Public and
 * partner-signed routes do not (see RouteAuth in shared/http/routes.ts).
 */
export class Api extends Construct {
  readonly restApi: RestApi;
  /** Each route and the method made for it. */
  readonly methods: { route: RouteDefinition; method: Method }[] = [];
  private readonly authorizer: TokenAuthorizer;
  private readonly stage: string;
  private readonly throttled: Set<string>;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.stage = props.stage;
    this.throttled = new Set(props.routes.map(methodSettingPath));
    const { read } = props.limits.throttle;
    const methodOptions = Object.fromEntries(
      Object.entries(methodThrottles(props.routes, props.limits)).map(([path, { rateLimit, burstLimit }]) => [
        path,
        { ...METHOD_LOGGING, throttlingRateLimit: rateLimit, throttlingBurstLimit: burstLimit },
      ]),
    );
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.policy.logRetention,
      removalPolicy: props.policy.removalPolicy,
    });
    this.restApi = new RestApi(this, 'RestApi', {
      restApiName: `fast-loan-${props.stage}`,
      description: 'Fast-loan: SME credit applications, offers, contracts, reviews, lines and loans',
      // Regional: the mobile app calls it directly, and edge endpoints do not exist in every partition.
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      // Execution logging needs the account-wide API Gateway CloudWatch role, which the
      // disableCloudWatchRole flag stops the API from creating by default. It is created
      // here and retained, so deleting one stage's stack never unsets the account setting
      // another stage relies on.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: props.stage,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        tracingEnabled: true,
        ...METHOD_LOGGING,
        // The read limits are every method's default; the other route classes get their own.
        throttlingRateLimit: read.rateLimit,
        throttlingBurstLimit: read.burstLimit,
        methodOptions,
      },
    });
    this.authorizer = new TokenAuthorizer(this, 'Authorizer', {
      handler: props.authorizerFunction,
      identitySource: IdentitySource.header('Authorization'),
      // The authorizer allows the whole API for a valid token, so its answer can be cached per token.
      resultsCacheTtl: Duration.minutes(5),
    });
    for (const { type, status, title } of GATEWAY_PROBLEMS) {
      this.restApi.addGatewayResponse(`Problem${type.responseType}`, {
        type,
        statusCode: String(status),
        responseHeaders: { 'Content-Type': "'application/problem+json'" },
        templates: { 'application/json': problemTemplate(status, title) },
      });
    }
  }

  /**
   * The stage's base URL, built from the API id rather than the deployment stage, so a
   * function behind the API can be told it without a dependency cycle.
   */
  get publicUrl(): string {
    return `https://${this.restApi.restApiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}/${this.stage}`;
  }

  /** A resource for each path segment (created once, shared by routes), and the route's method. */
  addRoute(route: RouteDefinition, handler: IFunction): void {
    if (!this.throttled.has(methodSettingPath(route))) {
      throw new Error(`${route.method} ${route.path} was not among the routes the API was made with`);
    }
    const resource = this.restApi.root.resourceForPath(route.path);
    const method = resource.addMethod(
      route.method,
      new LambdaIntegration(handler, { allowTestInvoke: false }),
      {
        operationName: route.operationId,
        // Public routes need no credentials and partnerSignature routes carry a Standard Webhooks
        // signature their handler checks: neither has a bearer token for the authorizer.
        ...(usesAuthorizer(route)
          ? { authorizationType: AuthorizationType.CUSTOM, authorizer: this.authorizer }
          : { authorizationType: AuthorizationType.NONE }),
      },
    );
    this.methods.push({ route, method });
  }
}
