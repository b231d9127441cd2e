import * as z from 'zod';
import { MAX_BODY_BYTES } from './middleware.js';
import { ROUTE_LIST, type RouteDefinition } from './routes.js';
import { ProblemSchema } from './schemas.js';

type JsonSchema = Record<string, unknown>;

const componentUri = (id: string) => `#/components/schemas/${id}`;

function withoutDialect({ $schema, $id, ...rest }: JsonSchema): JsonSchema {
  return rest;
}

/** A named schema becomes a $ref to its component; an unnamed one is inlined. */
function schemaFor(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const id = z.globalRegistry.get(schema)?.id;
  if (id) return { $ref: componentUri(id) };
  return withoutDialect(
    z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
    }) as JsonSchema,
  );
}

function parameters(schema: z.ZodType | undefined, location: 'path' | 'query') {
  if (!schema) return [];
  const object = schemaFor(schema, 'input') as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (object.required ?? []).includes(name),
    schema: property,
  }));
}

const PROBLEM = { 'application/problem+json': { schema: { $ref: componentUri('Problem') } } };

function problems(route: RouteDefinition): Record<string, unknown> {
  const codes: Record<number, string> = {
    429: "Too many requests: the deployed API's throttle for this route, or its per-IP rate rule; retry later with backoff.",
    500: 'Internal error, with a correlation id.',
  };
  if (typeof route.auth === 'object') {
    codes[401] = 'Missing or invalid bearer token.';
    codes[403] = "The token's role may not call this operation.";
  }
  if (route.auth === 'partnerSignature') {
    codes[401] =
      'Missing Standard Webhooks headers, a signature that does not verify with the partner secret, or a timestamp more than 5 minutes off.';
  }
  if (route.params || route.query || route.body || route.idempotent)
    codes[400] = 'Malformed request; `errors` names each field.';
  // A signed route names its sender in the path; an unknown sender is a 401, never a 404.
  if (route.params && route.auth !== 'partnerSignature') codes[404] = 'No such resource, or not yours.';
  if (route.body) {
    codes[413] = `Body larger than ${MAX_BODY_BYTES} bytes.`;
    codes[415] = 'Body is not application/json.';
    codes[409] = 'The resource is not in a state that allows this.';
    codes[422] = 'Well-formed but breaks a business rule, or an Idempotency-Key reused with another body.';
  }
  if (route.queryRule) codes[422] = `Well-formed but not allowed: ${route.queryRule}`;
  if (route.method === 'POST' && route.params)
    codes[409] = 'The resource is not in a state that allows this.';
  if (route.movesMoney)
    codes[503] =
      'Core banking did not confirm the movement: it is recorded and will be finished; retry with the same Idempotency-Key.';
  return Object.fromEntries(
    Object.entries(codes).map(([code, description]) => [code, { description, content: PROBLEM }]),
  );
}

/** The Standard Webhooks headers a partner signs a push with (docs/webhooks.md). */
const WEBHOOK_HEADERS = [
  {
    name: 'webhook-id',
    description:
      'The message id: the same on every redelivery of one message, which is then stored once. 1-128 characters [A-Za-z0-9_.:-].',
  },
  {
    name: 'webhook-timestamp',
    description: 'Seconds since the Unix epoch when the message was signed; at most 5 minutes off.',
  },
  {
    name: 'webhook-signature',
    description:
      'Space-separated "v1,<base64 HMAC-SHA256 of id.timestamp.body>" under the partner\'s whsec_ secret.',
  },
].map((header) => ({ ...header, in: 'header', required: true, schema: { type: 'string' } }));

function security(route: RouteDefinition) {
  if (route.auth === 'public') return { security: [] };
  if (route.auth === 'partnerSignature') return { security: [{ webhookSignature: [] }] };
  return { security: [{ bearerAuth: [] }], 'x-roles': route.auth.roles };
}

function operation(route: RouteDefinition) {
  const idempotencyHeader = route.idempotent
    ? [
        {
          name: 'Idempotency-Key',
          in: 'header',
          required: true,
          description:
            'A client-chosen key (8-128 characters). A retry with the same key and body returns the first answer; the same key with another body is refused with 422.',
          schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{8,128}$' },
        },
      ]
    : [];
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: route.tags,
    ...security(route),
    parameters: [
      ...parameters(route.params, 'path'),
      ...parameters(route.query, 'query'),
      ...idempotencyHeader,
      ...(route.auth === 'partnerSignature' ? WEBHOOK_HEADERS : []),
    ],
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schemaFor(route.body, 'input') } },
          },
        }
      : {}),
    responses: {
      [route.response.status]: {
        description: route.response.description,
        ...(route.response.schema
          ? { content: { 'application/json': { schema: schemaFor(route.response.schema, 'output') } } }
          : {}),
      },
      ...problems(route),
    },
  };
}

/** The OpenAPI 3.1 document of the deployed API, generated from the route table and the zod schemas. */
export function openApiDocument(options: { serverUrl?: string } = {}) {
  // Registering ProblemSchema's module guarantees the component exists even if no route names it.
  void ProblemSchema;
  const registry = z.toJSONSchema(z.globalRegistry, {
    target: 'draft-2020-12',
    io: 'output',
    uri: componentUri,
    unrepresentable: 'any',
  });
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTE_LIST) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Fast-loan API',
      version: '1.0.0',
      description:
        'Apply for SME credit, follow the decision, accept the offer, sign, and read what was disbursed. Amounts are decimal strings with a currency; errors are RFC 9457 problem+json.',
    },
    servers: [{ url: options.serverUrl ?? 'http://127.0.0.1:3000' }],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        webhookSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'webhook-signature',
          description:
            'Standard Webhooks (https://www.standardwebhooks.com/): the partner signs "webhook-id.webhook-timestamp.body" with its own secret; see the webhook-* header parameters.',
        },
      },
      schemas: Object.fromEntries(
        Object.entries(registry.schemas).map(([id, schema]) => [id, withoutDialect(schema as JsonSchema)]),
      ),
    },
  };
}
