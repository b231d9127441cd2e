import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { lambdaContext } from '../../shared/adapters/local/lambda-context.js';
import { apiHandler } from '../../shared/http/middleware.js';
import { ROUTE_LIST, ROUTES, type RouteDefinition } from '../../shared/http/routes.js';

/**
 * The Lambda side of the edge: the proxy event as API Gateway's REST API delivers it (path
 * parameters still percent-encoded, the query as single and multi values), straight into a
 * route's handler, without the local server in front.
 */
function event(init: {
  path?: Record<string, string>;
  query?: Record<string, string[]>;
  body?: string;
  headers?: Record<string, string>;
}): APIGatewayProxyEvent {
  const query = init.query ?? {};
  return {
    resource: '/',
    path: '/',
    httpMethod: 'GET',
    headers: { 'content-type': 'application/json', ...init.headers },
    multiValueHeaders: {},
    pathParameters: init.path ?? null,
    queryStringParameters: Object.keys(query).length
      ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v.at(-1) ?? '']))
      : null,
    multiValueQueryStringParameters: Object.keys(query).length ? query : null,
    stageVariables: null,
    body: init.body ?? null,
    isBase64Encoded: false,
    requestContext: {
      authorizer: { principalId: 'officer-1', role: 'officer', uscc: '' },
    } as unknown as APIGatewayProxyEvent['requestContext'],
  };
}

async function invoke(route: RouteDefinition, request: Parameters<typeof event>[0]) {
  const fn = vi.fn(async () => ({ body: { ok: true } }));
  const response = await apiHandler(route, fn)(event(request), lambdaContext(route.operationId));
  const body = JSON.parse(response.body) as { errors?: { field: string }[] };
  return {
    status: response.statusCode,
    fields: (body.errors ?? []).map((e) => e.field),
    called: fn.mock.calls.length,
  };
}

describe('the handler edge refuses hostile input before the route runs', () => {
  it.each(['%ZZ', '%', '%E0%A4%A', 'LN%2D1', 'LN-1/../x', 'a'.repeat(81)])(
    'a path id %j -> 400 naming path.id',
    async (id) => {
      expect(await invoke(ROUTES.getLoan, { path: { id } })).toEqual({
        status: 400,
        fields: ['path.id'],
        called: 0,
      });
    },
  );

  it('still lets a well-formed id through', async () => {
    expect(await invoke(ROUTES.getLoan, { path: { id: 'LN-DD-abc_123' } })).toMatchObject({ status: 200 });
  });

  it.each(['0x10', '1e1', '+5', ' 5', '5.0', '-1', '0', '101'])(
    'limit=%j -> 400 naming query.limit',
    async (limit) => {
      expect(await invoke(ROUTES.listReviews, { query: { limit: [limit] } })).toEqual({
        status: 400,
        fields: ['query.limit'],
        called: 0,
      });
    },
  );

  it('reads limit=100 as 100', async () => {
    let query: unknown;
    await apiHandler(ROUTES.listReviews, async (request) => {
      query = request.query;
      return { body: {} };
    })(event({ query: { limit: ['100'] } }), lambdaContext('t'));
    expect(query).toEqual({ limit: 100, status: 'PENDING' });
  });

  it('refuses a query parameter given twice, and any on a route that takes none', async () => {
    expect(await invoke(ROUTES.listReviews, { query: { limit: ['5', '6'] } })).toMatchObject({
      status: 400,
      fields: ['query.limit'],
    });
    expect(await invoke(ROUTES.listBlacklist, { query: { offset: ['1'] } })).toMatchObject({
      status: 400,
      fields: ['query.offset'],
    });
  });

  it.each([
    [
      '{"outcome":"DECLINE","comment":"no thanks","limit":{"amount":"1.00","currency":"CNY","x":1}}',
      'limit.x',
    ],
    [
      '{"outcome":"DECLINE","comment":"no thanks","limit":{"amount":"1.00","currency":"CNY","__proto__":{"x":1}}}',
      'limit.__proto__',
    ],
    ['{"outcome":"DECLINE","comment":"   "}', 'comment'],
  ])('a body %s -> 400 naming %s', async (body, field) => {
    const result = await invoke(ROUTES.decideReview, {
      path: { applicationId: '00000000-0000-4000-8000-000000000000' },
      body,
    });
    expect(result).toEqual({ status: 400, fields: [field], called: 0 });
  });
});

describe('every object a request carries is closed', () => {
  /** Paths of the objects in a JSON schema that accept keys they do not list. */
  function openObjects(schema: unknown, path = ''): string[] {
    if (!schema || typeof schema !== 'object') return [];
    const node = schema as Record<string, unknown>;
    const here = node.type === 'object' && node.additionalProperties !== false ? [path || '(root)'] : [];
    return [
      ...here,
      ...Object.entries(node).flatMap(([key, child]) =>
        Array.isArray(child)
          ? child.flatMap((c, i) => openObjects(c, `${path}/${key}/${i}`))
          : openObjects(child, `${path}/${key}`),
      ),
    ];
  }

  it.each(ROUTE_LIST.map((route) => [route.operationId, route] as const))('%s', (_, route) => {
    const open = (['params', 'query', 'body'] as const).flatMap((part) => {
      const schema = route[part];
      return schema
        ? openObjects(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })).map(
            (p) => `${part}${p}`,
          )
        : [];
    });
    expect(open).toEqual([]);
  });
});
