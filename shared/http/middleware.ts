import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import * as z from 'zod';
import { logger, metrics, tracer } from '../lambda/observability.js';
import { type Principal, ROLES, type Role } from '../services/principal.js';
import { type FieldError, HttpProblem, toProblem } from './problem.js';
import type { RouteDefinition } from './routes.js';

/** Larger bodies are refused before parsing; an application is a few hundred bytes. */
export const MAX_BODY_BYTES = 16 * 1024;

type Infer<R, K extends string> = R extends { [key in K]: infer S extends z.ZodType }
  ? z.output<S>
  : undefined;

export interface ApiRequest<R extends RouteDefinition, S = undefined> {
  principal: R['auth'] extends { roles: readonly Role[] } ? Principal : undefined;
  params: Infer<R, 'params'>;
  query: Infer<R, 'query'>;
  body: Infer<R, 'body'>;
  idempotencyKey: R extends { idempotent: true } ? string : undefined;
  /** For a `partnerSignature` route: what its signature check established about the sender. */
  signed: S;
  /** The body exactly as received (signatures and digests are over these bytes); "" when there is none. */
  rawBody: string;
  /**
   * The request's correlation id: the Lambda request id, which every log line of the request
   * carries and every problem answer quotes; audit records name it too.
   */
  correlationId: string;
  event: APIGatewayProxyEvent;
  context: Context;
}

/**
 * The signature check of a `partnerSignature` route: it gets the raw body, the (lower-cased)
 * headers and the parsed path, and throws (UnauthorizedError -> 401) unless the request is
 * authentic. It runs before the body is parsed, so an unsigned caller learns nothing of the schema.
 */
export type SignatureCheck<R extends RouteDefinition, S> = (request: {
  rawBody: string;
  headers: Readonly<Record<string, string | undefined>>;
  params: Infer<R, 'params'>;
}) => Promise<S>;

export interface ApiResult {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

function fieldErrors(error: z.ZodError, prefix: string): FieldError[] {
  const field = (path: PropertyKey[]) =>
    [prefix, ...path.map(String)].filter(Boolean).join('.') || prefix || 'body';
  return error.issues.flatMap((issue) =>
    // An unknown property is one issue on the parent object; name each property instead.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: field([...issue.path, key]), message: 'is not a known field' }))
      : [{ field: field(issue.path), message: issue.message }],
  );
}

/** Parses with a zod schema; a failure is a 400 problem naming each field (prefixed by `where`, except for bodies). */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const errors = fieldErrors(result.error, where === 'body' ? '' : where);
    throw new HttpProblem(
      400,
      'Invalid request',
      errors.map((e) => `${e.field}: ${e.message}`).join('; '),
      errors,
    );
  }
  return result.data;
}

/** What a route without query parameters accepts: none, so a stray one is named rather than ignored. */
const NO_QUERY = z.strictObject({});

/**
 * The query string as one value per name. A name given twice (`limit=5&limit=6`) is refused:
 * API Gateway would hand the handler the last one, the caller may have meant the first.
 */
function queryOf(event: APIGatewayProxyEvent): Record<string, string> {
  const repeated = Object.entries(event.multiValueQueryStringParameters ?? {})
    .filter(([, values]) => (values?.length ?? 0) > 1)
    .map(([name]) => ({ field: `query.${name}`, message: 'is given more than once' }));
  if (repeated.length) {
    throw new HttpProblem(
      400,
      'Invalid request',
      repeated.map((e) => `${e.field}: ${e.message}`).join('; '),
      repeated,
    );
  }
  return Object.fromEntries(
    Object.entries(event.queryStringParameters ?? {}).map(([name, value]) => [name, value ?? '']),
  );
}

/** The body as text, refused above MAX_BODY_BYTES. */
function rawBodyOf(event: APIGatewayProxyEvent): string {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
    throw new HttpProblem(413, 'Payload too large', `the body must be at most ${MAX_BODY_BYTES} bytes`);
  }
  return text;
}

function parseJsonBody(event: APIGatewayProxyEvent, text: string): unknown {
  const type = event.headers['content-type'] ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new HttpProblem(415, 'Unsupported media type', 'send the body as application/json');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpProblem(400, 'Invalid request', 'the body is not valid JSON', [
      { field: 'body', message: 'not valid JSON' },
    ]);
  }
}

/** The authorizer's verdict, which API Gateway (or the local server) put on the request context. */
export function principalOf(event: APIGatewayProxyEvent): Principal | undefined {
  const authorizer = event.requestContext.authorizer;
  const subject = authorizer?.principalId;
  const role = authorizer?.role;
  if (typeof subject !== 'string' || !ROLES.includes(role as Role)) return undefined;
  const uscc = typeof authorizer?.uscc === 'string' && authorizer.uscc !== '' ? authorizer.uscc : undefined;
  return { subject, role: role as Role, uscc };
}

/** Every request counts, and errors by class, so alarms and dashboards need no log parsing. */
function countRequest(status: number): void {
  metrics.addMetric('Requests', MetricUnit.Count, 1);
  if (status >= 500) metrics.addMetric('ServerErrors', MetricUnit.Count, 1);
  else if (status >= 400) metrics.addMetric('ClientErrors', MetricUnit.Count, 1);
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

export function problemResponse(
  error: unknown,
  correlationId: string,
  instance: string,
): APIGatewayProxyResult {
  const { known, ...problem } = toProblem(error);
  if (!known) logger.error('unhandled error', { error: error as Error, correlationId });
  return {
    statusCode: problem.status,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({ ...problem, instance, correlationId }),
  };
}

/**
 * Builds a route's Lambda handler: Powertools context, tracing and metrics, then
 * authentication and role checks, then path and query parsing, the signature check of a
 * `partnerSignature` route (`verifySignature`, required for those), then body parsing with
 * the route's zod schemas, then the route's function. Every error leaves as RFC 9457 problem+json.
 */
export function apiHandler<R extends RouteDefinition, S = undefined>(
  route: R,
  fn: (request: ApiRequest<R, S>) => Promise<ApiResult>,
  verifySignature?: SignatureCheck<R, S>,
) {
  // A signed route without its check would be open to anyone: refuse at cold start.
  if (route.auth === 'partnerSignature' && !verifySignature) {
    throw new Error(`route ${route.operationId} is authenticated by signature but has no signature check`);
  }
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(captureLambdaHandler(tracer))
    .use(logMetrics(metrics))
    .use(httpHeaderNormalizer())
    .handler(async (event, context) => {
      try {
        logger.appendKeys({ operation: route.operationId });
        let principal: Principal | undefined;
        if (typeof route.auth === 'object') {
          principal = principalOf(event);
          if (!principal) throw new HttpProblem(401, 'Unauthorized', 'a valid bearer token is required');
          if (!route.auth.roles.includes(principal.role)) {
            throw new HttpProblem(
              403,
              'Forbidden',
              `this operation is for the roles: ${route.auth.roles.join(', ')}`,
            );
          }
        }
        let idempotencyKey: string | undefined;
        if (route.idempotent) {
          idempotencyKey = event.headers['idempotency-key'];
          if (!idempotencyKey || !IDEMPOTENCY_KEY.test(idempotencyKey)) {
            throw new HttpProblem(
              400,
              'Invalid request',
              'the Idempotency-Key header is required: 8 to 128 letters, digits or _ . : -',
              [{ field: 'Idempotency-Key', message: 'required, 8 to 128 characters [A-Za-z0-9_.:-]' }],
            );
          }
        }
        const params = route.params ? parseWith(route.params, event.pathParameters ?? {}, 'path') : undefined;
        const parsedQuery = parseWith(route.query ?? NO_QUERY, queryOf(event), 'query');
        const query = route.query ? parsedQuery : undefined;
        const rawBody = route.body || route.auth === 'partnerSignature' ? rawBodyOf(event) : '';
        const signed =
          route.auth === 'partnerSignature' && verifySignature
            ? await verifySignature({ rawBody, headers: event.headers, params: params as Infer<R, 'params'> })
            : undefined;
        const request = {
          principal,
          params,
          query,
          body: route.body ? parseWith(route.body, parseJsonBody(event, rawBody), 'body') : undefined,
          idempotencyKey,
          signed,
          rawBody,
          correlationId: context.awsRequestId,
          event,
          context,
        } as ApiRequest<R, S>;
        const result = await fn(request);
        countRequest(result.status ?? route.response.status);
        return {
          statusCode: result.status ?? route.response.status,
          headers: { 'content-type': 'application/json', ...result.headers },
          body: JSON.stringify(result.body),
        };
      } catch (error) {
        const response = problemResponse(error, context.awsRequestId, event.path);
        countRequest(response.statusCode);
        return response;
      }
    });
}
