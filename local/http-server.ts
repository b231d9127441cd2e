import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayTokenAuthorizerEvent,
  Context,
} from 'aws-lambda';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, lambdaContext } from '../shared/adapters/local/lambda-context.js';
import { problemResponse } from '../shared/http/middleware.js';
import { HttpProblem } from '../shared/http/problem.js';
import { ROUTE_LIST, type RouteDefinition, usesAuthorizer } from '../shared/http/routes.js';

export const LOCAL_STAGE = 'local';
/** API Gateway refuses payloads over 10 MB; locally a smaller cap keeps a mistaken upload cheap. */
const MAX_REQUEST_BYTES = 1024 * 1024;
/**
 * An oversized body is read to its end (and dropped) up to this much, so that the 413 reaches
 * the client and its keep-alive connection stays usable; past it the connection is closed.
 */
const MAX_DRAINED_BYTES = 10 * 1024 * 1024;

type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
type Authorizer = (
  event: APIGatewayTokenAuthorizerEvent,
  context: Context,
) => Promise<APIGatewayAuthorizerResult>;

/** A route only the local runtime serves (tokens, clock); the deployed API has none of them. */
export interface LocalRoute {
  method: 'GET' | 'POST';
  path: string;
  handle: (body: unknown, query: Record<string, string>) => Promise<{ status: number; body: unknown }>;
}

export interface LocalApiOptions {
  loadHandler: (modulePath: string) => Promise<ApiHandler>;
  authorizer: () => Promise<Authorizer>;
  localRoutes: LocalRoute[];
  /** False while the runtime is still starting: requests then get 503 instead of a half-wired system. */
  isReady: () => boolean;
  log?: (line: string) => void;
}

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  names: string[];
}

function compile(route: RouteDefinition): CompiledRoute {
  const names: string[] = [];
  const source = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), names };
}

class PayloadTooLarge extends HttpProblem {
  constructor(
    /** The rest of the body was not read: the connection cannot carry another request. */
    readonly closeConnection: boolean,
  ) {
    super(413, 'Payload too large', `the body must be at most ${MAX_REQUEST_BYTES} bytes`);
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_DRAINED_BYTES) throw new PayloadTooLarge(true);
    if (size <= MAX_REQUEST_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_REQUEST_BYTES) throw new PayloadTooLarge(false);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A path parameter as API Gateway's REST API hands it to the handler: as sent, still
 * percent-encoded (the route's schema decides what an id may contain). A malformed escape
 * (`%ZZ`, a truncated or overlong UTF-8 sequence) is refused here, as a front door refuses a
 * URL it cannot read, with a 400 naming the parameter.
 */
function wellFormedSegment(name: string, raw: string): string {
  try {
    decodeURIComponent(raw);
  } catch {
    const field = `path.${name}`;
    throw new HttpProblem(400, 'Invalid request', `${field}: is not valid percent-encoding`, [
      { field, message: 'is not valid percent-encoding' },
    ]);
  }
  return raw;
}

function send(response: ServerResponse, result: APIGatewayProxyResult): void {
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)]));
  response.writeHead(result.statusCode, headers);
  response.end(result.body);
}

/**
 * The API Gateway of the local runtime: matches the shared route table, runs the same TOKEN
 * authorizer as the deployed API for protected routes, turns each request into the REST API
 * proxy event the deployed handler receives, and writes back its result. Auth failures answer
 * as the deployed gateway's responses do (401/403 problem+json).
 */
export function createLocalApi(options: LocalApiOptions): Server {
  const routes = ROUTE_LIST.map(compile);
  return createServer(async (request, response) => {
    const requestId = randomUUID();
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = (request.method ?? 'GET').toUpperCase();
    try {
      // The body first, whatever the answer: an unread body would garble the connection's next request.
      const rawBody = await readBody(request);
      if (!options.isReady())
        throw new HttpProblem(503, 'Starting', 'the local runtime is still starting; retry in a moment');
      const local = options.localRoutes.find((r) => r.path === url.pathname && r.method === method);
      if (local) {
        let body: unknown = {};
        if (rawBody) {
          try {
            body = JSON.parse(rawBody);
          } catch {
            throw new HttpProblem(400, 'Invalid request', 'the body is not valid JSON');
          }
        }
        const result = await local.handle(body, Object.fromEntries(url.searchParams));
        return send(response, {
          statusCode: result.status,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(result.body),
        });
      }
      const match = routes.find((r) => r.route.method === method && r.pattern.test(url.pathname));
      // API Gateway answers an unknown method on a known path as it answers an unknown path.
      if (!match) throw new HttpProblem(404, 'Not found', `no route ${method} ${url.pathname}`);
      const values = match.pattern.exec(url.pathname)?.slice(1) ?? [];
      const pathParameters = Object.fromEntries(
        match.names.map((name, i) => [name, wellFormedSegment(name, values[i] ?? '')]),
      );
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.join(',') : (value ?? ''),
        ]),
      );
      let authorizer: APIGatewayProxyEvent['requestContext']['authorizer'] = null;
      // As in the deployed API, only bearer-token routes go through the authorizer; a public
      // route needs nothing and a partnerSignature route is checked by its handler.
      if (usesAuthorizer(match.route)) {
        const authorize = await options.authorizer();
        const methodArn = `arn:aws:execute-api:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:local/${LOCAL_STAGE}/${method}${match.route.path}`;
        let verdict: APIGatewayAuthorizerResult;
        try {
          verdict = await authorize(
            { type: 'TOKEN', authorizationToken: headers.authorization ?? '', methodArn },
            lambdaContext('Authorizer'),
          );
        } catch {
          throw new HttpProblem(401, 'Unauthorized', 'a valid bearer token is required');
        }
        if (!verdict.policyDocument.Statement.every((s) => s.Effect === 'Allow')) {
          throw new HttpProblem(403, 'Forbidden', 'the authorizer denied this request');
        }
        authorizer = { principalId: verdict.principalId, ...verdict.context };
      }
      const query = Object.fromEntries(url.searchParams);
      const event: APIGatewayProxyEvent = {
        resource: match.route.path,
        path: url.pathname,
        httpMethod: method,
        headers,
        multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
        queryStringParameters: Object.keys(query).length ? query : null,
        multiValueQueryStringParameters: Object.keys(query).length
          ? Object.fromEntries([...url.searchParams.keys()].map((k) => [k, url.searchParams.getAll(k)]))
          : null,
        pathParameters: match.names.length ? pathParameters : null,
        stageVariables: null,
        body: rawBody === '' ? null : rawBody,
        isBase64Encoded: false,
        requestContext: {
          accountId: LOCAL_ACCOUNT_ID,
          apiId: 'local',
          authorizer,
          httpMethod: method,
          identity: {
            sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
            userAgent: headers['user-agent'] ?? null,
            accessKey: null,
            accountId: null,
            apiKey: null,
            apiKeyId: null,
            caller: null,
            clientCert: null,
            cognitoAuthenticationProvider: null,
            cognitoAuthenticationType: null,
            cognitoIdentityId: null,
            cognitoIdentityPoolId: null,
            principalOrgId: null,
            user: null,
            userArn: null,
          },
          path: url.pathname,
          protocol: 'HTTP/1.1',
          requestId,
          requestTimeEpoch: Date.now(),
          resourceId: match.route.operationId,
          resourcePath: match.route.path,
          stage: LOCAL_STAGE,
        },
      };
      const handler = await options.loadHandler(match.route.handler);
      send(response, await handler(event, lambdaContext(match.route.operationId)));
    } catch (error) {
      const problem = problemResponse(error, requestId, url.pathname);
      if (error instanceof PayloadTooLarge && error.closeConnection)
        problem.headers = { ...problem.headers, connection: 'close' };
      send(response, problem);
    } finally {
      options.log?.(`${method} ${url.pathname} -> ${response.statusCode}`);
    }
  });
}
