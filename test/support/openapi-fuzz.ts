import fc from 'fast-check';

/**
 * Hostile requests generated from the OpenAPI document: each one is a valid request of an
 * operation (given by the test) with one thing broken that the document says is not allowed,
 * and it says what the answer must name: the field (`body` paths as the API names them,
 * `path.<name>`, `query.<name>`, `Idempotency-Key`) or the status (413, 415).
 */

export type Schema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Schema;
}
export interface Operation {
  operationId: string;
  method: 'GET' | 'POST';
  path: string;
  parameters: Parameter[];
  body?: Schema;
  auth: 'public' | 'bearer' | 'signature';
  roles: string[];
  idempotent: boolean;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { schemas: Record<string, Schema> };
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const parameters = (op.parameters ?? []) as Parameter[];
      const security = (op.security ?? []) as Record<string, unknown>[];
      const content = (op.requestBody as { content?: Record<string, { schema: Schema }> } | undefined)
        ?.content;
      return {
        operationId: String(op.operationId),
        method: method.toUpperCase() as 'GET' | 'POST',
        path,
        parameters,
        body: content?.['application/json']?.schema,
        auth: security.some((s) => 'bearerAuth' in s)
          ? ('bearer' as const)
          : security.some((s) => 'webhookSignature' in s)
            ? ('signature' as const)
            : ('public' as const),
        roles: (op['x-roles'] ?? []) as string[],
        idempotent: parameters.some((p) => p.in === 'header' && p.name === 'Idempotency-Key'),
      };
    }),
  );
}

/** A valid request of an operation, which the mutations start from. */
export interface BaseRequest {
  path: Record<string, string>;
  query: Record<string, string>;
  body?: unknown;
}

export interface Expectation {
  /** The answer is 400 or 422 and one of its `errors` names one of these (or a field inside it). */
  fields?: string[];
  /** The answer has exactly this status. */
  status?: number;
}

export interface HostileRequest {
  operationId: string;
  mutation: string;
  path: Record<string, string>;
  query: [string, string][];
  /** The body as sent, when there is one; raw text so that it can be malformed. */
  body?: string;
  contentType?: string | null;
  idempotencyKey?: string | null;
  expect: Expectation;
}

const RAW = '\u0000raw:';
/** A number token JSON.stringify cannot write (1e400), spliced into the text afterwards. */
const rawNumber = (token: string) => `${RAW}${token}`;
function serialise(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0000raw:([^"]*)"/g, '$1');
}

function resolve(doc: OpenApiDocument, schema: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const { $ref: _, ...rest } = schema;
  const target = doc.components.schemas[ref.replace('#/components/schemas/', '')];
  if (!target) throw new Error(`unresolved ${ref}`);
  return { ...resolve(doc, target), ...rest };
}

const typeOf = (schema: Schema) =>
  typeof schema.type === 'string'
    ? schema.type
    : 'properties' in schema
      ? 'object'
      : 'const' in schema
        ? typeof schema.const
        : Array.isArray(schema.enum)
          ? typeof schema.enum[0]
          : 'unknown';

/** Values of another JSON type than the schema allows (null included: optional is never nullable here). */
function wrongTypes(schema: Schema): unknown[] {
  const all: Record<string, unknown[]> = {
    string: [12345, true, null, [], {}],
    integer: ['12', true, null, [], {}, 1.5],
    number: ['0.5', true, null, [], {}],
    boolean: ['true', 0, null, []],
    object: ['x', 1, [], null, true],
    array: [{}, 'x', 1, null],
  };
  return all[typeOf(schema)] ?? [null];
}

const pattern = (schema: Schema) =>
  typeof schema.pattern === 'string' ? new RegExp(schema.pattern, 'u') : undefined;

/** Strings the schema refuses, given its constraints; empty when the document allows any string. */
function invalidStrings(schema: Schema, valid: string): string[] {
  const out: string[] = [];
  const regex = pattern(schema);
  if (regex) {
    for (const candidate of [`${valid}!`, ` ${valid}`, `${valid}\u0000`, 'x', '０１', `${valid}\n`]) {
      if (!regex.test(candidate)) out.push(candidate);
    }
  }
  if (typeof schema.maxLength === 'number')
    out.push('a'.repeat(schema.maxLength + 1), '文'.repeat(schema.maxLength + 7));
  if (typeof schema.minLength === 'number' && schema.minLength > 1)
    out.push('a'.repeat(schema.minLength - 1));
  if (Array.isArray(schema.enum))
    out.push(`NOT_${valid}`, valid.toLowerCase() === valid ? valid.toUpperCase() : valid.toLowerCase());
  if ('const' in schema) out.push(`${String(schema.const)}x`);
  if (schema.format === 'date') out.push(...BAD_DATES.filter((d) => !regex?.test(d)));
  if (schema.format === 'uuid') out.push('not-a-uuid', valid.replace(/-/g, ''), `${valid}0`);
  return [...new Set(out)].filter((candidate) => candidate !== valid);
}

const BAD_DATES = [
  '2026-02-30',
  '2025-02-29',
  '2026-13-01',
  '2026-00-10',
  '2026-1-1',
  '26-01-01',
  '2026/01/01',
  '20260101',
  '2026-01-01T00:00:00Z',
  'today',
  '２０２６-０１-０１',
  '',
];

interface Point {
  /** Where the value sits, as the API names body fields (dot-separated, no prefix). */
  path: (string | number)[];
  schema: Schema;
  value: unknown;
  present: boolean;
  required: boolean;
}

/** Every place in a valid body, with the schema that governs it. */
function pointsOf(
  doc: OpenApiDocument,
  schema: Schema,
  value: unknown,
  path: Point['path'],
  required: boolean,
  present: boolean,
): Point[] {
  const resolved = resolve(doc, schema);
  const here: Point = { path, schema: resolved, value, present, required };
  if (!present) return [here];
  const properties = resolved.properties as Record<string, Schema> | undefined;
  if (properties && value && typeof value === 'object' && !Array.isArray(value)) {
    const requiredKeys = (resolved.required ?? []) as string[];
    return [
      here,
      ...Object.entries(properties).flatMap(([key, child]) =>
        pointsOf(
          doc,
          child,
          (value as Record<string, unknown>)[key],
          [...path, key],
          requiredKeys.includes(key),
          key in value,
        ),
      ),
    ];
  }
  if (resolved.type === 'array' && Array.isArray(value) && resolved.items) {
    const indexes = value.length ? [...new Set([0, value.length - 1])] : [];
    return [
      here,
      ...indexes.flatMap((i) => pointsOf(doc, resolved.items as Schema, value[i], [...path, i], true, true)),
    ];
  }
  return [here];
}

const fieldName = (path: Point['path']) => (path.length ? path.map(String).join('.') : 'body');

function setAt(body: unknown, path: Point['path'], value: unknown, remove = false): unknown {
  const copy = JSON.parse(JSON.stringify(body)) as unknown;
  if (path.length === 0) return value;
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (remove) delete node[last];
  // defineProperty, not assignment: a "__proto__" key must become a key of the JSON text.
  else Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** Mutations of a body, from its schema and a valid value, each with the field it breaks. */
function bodyMutations(
  doc: OpenApiDocument,
  schema: Schema,
  valid: unknown,
): fc.Arbitrary<[string, unknown, string]>[] {
  const points = pointsOf(doc, schema, valid, [], true, true);
  const arbitraries: fc.Arbitrary<[string, unknown, string]>[] = [];
  const add = (items: [string, unknown, string][]) => {
    if (items.length) arbitraries.push(fc.constantFrom(...items));
  };
  for (const point of points) {
    const field = fieldName(point.path);
    const wrong: [string, unknown, string][] = wrongTypes(point.schema).map((value) => [
      `wrong type ${JSON.stringify(value)} at ${field}`,
      setAt(valid, point.path, value),
      field,
    ]);
    add(wrong);
    if (!point.present) continue;
    if (point.required && point.path.length)
      add([[`missing ${field}`, setAt(valid, point.path, undefined, true), field]]);
    const type = typeOf(point.schema);
    if (type === 'object' && point.schema.additionalProperties === false) {
      const known = Object.keys((point.schema.properties ?? {}) as object);
      arbitraries.push(
        fc
          .oneof(
            fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'x', 'hasOwnProperty'),
            fc.string({
              unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz_$'),
              minLength: 1,
              maxLength: 12,
            }),
          )
          .filter((key) => !known.includes(key))
          .chain((key) =>
            fc
              .constantFrom<unknown>(1, 'x', { currency: 'USD' }, null, [])
              .map((value): [string, unknown, string] => {
                const where = [...point.path, key];
                return [`unknown key ${key} at ${field}`, setAt(valid, where, value), fieldName(where)];
              }),
          ),
      );
    }
    if (type === 'string' && typeof point.value === 'string') {
      const invalid = invalidStrings(point.schema, point.value);
      // Required text must not be blank (the API's rule; the document says minLength 1 or nothing).
      if (point.required) invalid.push('', '   ', '\t\n');
      add(
        invalid.map((value) => [
          `string ${JSON.stringify(value.slice(0, 20))} at ${field}`,
          setAt(valid, point.path, value),
          field,
        ]),
      );
    }
    if (type === 'integer' || type === 'number') {
      const values: unknown[] = [rawNumber('1e400'), rawNumber('-1e400'), rawNumber('1e21')];
      if (typeof point.schema.minimum === 'number')
        values.push(point.schema.minimum - 1, point.schema.minimum - 1e9);
      if (typeof point.schema.maximum === 'number')
        values.push(point.schema.maximum + 1, point.schema.maximum + 0.5);
      if (type === 'integer') values.push(typeof point.value === 'number' ? point.value + 0.25 : 0.5);
      add(
        values.map((value) => [
          `number ${String(value).replace(RAW, '')} at ${field}`,
          setAt(valid, point.path, value),
          field,
        ]),
      );
    }
    if (type === 'boolean' && 'const' in point.schema)
      add([[`const broken at ${field}`, setAt(valid, point.path, !point.schema.const), field]]);
    const list = point.value;
    if (type === 'array' && Array.isArray(list)) {
      const items: [string, unknown, string][] = [];
      if (typeof point.schema.minItems === 'number' && point.schema.minItems > 0)
        items.push([`empty ${field}`, setAt(valid, point.path, []), field]);
      if (typeof point.schema.maxItems === 'number' && list.length) {
        const many = Array.from({ length: point.schema.maxItems + 1 }, (_, i) => list[i % list.length]);
        items.push([`too many items in ${field}`, setAt(valid, point.path, many), field]);
      }
      add(items);
    }
  }
  return arbitraries;
}

/** Escapes decodeURIComponent refuses, and characters outside any id of this API. */
const BAD_ESCAPES = ['%', '%Z', '%ZZ', '%G0', '%E0%A4%A', '%C0%AF', '%FF', '%ED%A0%80', '%%41', '%u0041'];
const NOT_ID_CHARACTERS = [..."~!*'():@,;=+$&", '%20', '%2F', '%00', '%2E', '%3F', '%25'];

function pathMutations(parameter: Parameter, valid: string): fc.Arbitrary<[string, string]> {
  const field = `path.${parameter.name}`;
  const regex = pattern(parameter.schema);
  const invalid = invalidStrings(parameter.schema, valid).filter((v) => v !== '' && !/^\.\.?$/.test(v));
  return fc.oneof(
    ...(invalid.length
      ? [
          fc
            .constantFrom(...invalid)
            .map((value) => [`invalid ${field}`, encodeURIComponent(value)] as [string, string]),
        ]
      : []),
    fc
      .constantFrom(...BAD_ESCAPES)
      .map((bad) => [`escape ${bad} in ${field}`, `${valid}${bad}`] as [string, string]),
    fc
      .tuple(
        fc.constantFrom(...'GHIJKLMNOPQRSTUVWXYZghijklmnopqrstuvwxyz-_.~!'),
        fc.constantFrom(...'0123456789ABCDEFGZz'),
      )
      .map(([a, b]) => [`escape %${a}${b} in ${field}`, `${valid.slice(0, 8)}%${a}${b}`] as [string, string]),
    fc
      .tuple(fc.constantFrom(...NOT_ID_CHARACTERS), fc.nat(valid.length))
      .map(
        ([c, at]) =>
          [`character ${c} in ${field}`, `${valid.slice(0, at)}${c}${valid.slice(at)}`] as [string, string],
      )
      // The handler sees the segment as sent (API Gateway does not decode it), so that is what must not match.
      .filter(([, value]) => !regex?.test(value)),
  );
}

function queryMutations(
  op: Operation,
  valid: Record<string, string>,
): fc.Arbitrary<[string, [string, string][], string[]]>[] {
  const declared = op.parameters.filter((p) => p.in === 'query');
  const names = declared.map((p) => p.name);
  const base = Object.entries(valid);
  const arbitraries: fc.Arbitrary<[string, [string, string][], string[]]>[] = [
    fc
      .oneof(
        fc.constantFrom(
          '__proto__',
          'constructor',
          'toString',
          'x',
          'debug',
          'offset',
          'page',
          'limit',
          'from',
        ),
        fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz_'), minLength: 1, maxLength: 10 }),
      )
      .filter((name) => !names.includes(name))
      .chain((name) =>
        fc
          .constantFrom('1', '', 'true', '%ZZ', 'x'.repeat(3000))
          .map(
            (value) =>
              [`unknown query ${name}`, [...base, [name, value]], [`query.${name}`]] as [
                string,
                [string, string][],
                string[],
              ],
          ),
      ),
  ];
  for (const parameter of declared) {
    const field = `query.${parameter.name}`;
    const value = valid[parameter.name] ?? String(parameter.schema.default ?? '1');
    const without = base.filter(([name]) => name !== parameter.name);
    const invalid = invalidStrings(parameter.schema, value);
    const min = parameter.schema['x-minimum'];
    const max = parameter.schema['x-maximum'];
    if (typeof min === 'number' && min > 0) invalid.push(String(min - 1));
    if (typeof max === 'number') invalid.push(String(max + 1), String(max * 1000 + 7));
    if (typeof min === 'number' || typeof max === 'number')
      invalid.push('0x10', '1e1', '+5', ' 5', '5.0', '-1', '', '５');
    const cases: [string, [string, string][], string[]][] = [
      ...invalid.map((bad): [string, [string, string][], string[]] => [
        `query ${parameter.name}=${JSON.stringify(bad.slice(0, 20))}`,
        [...without, [parameter.name, bad]],
        [field],
      ]),
      [
        `query ${parameter.name} given twice`,
        [...without, [parameter.name, value], [parameter.name, value]],
        [field],
      ],
    ];
    arbitraries.push(fc.constantFrom(...cases));
  }
  // A period the wrong way round, where the operation takes one (from/to dates).
  if (names.includes('from') && names.includes('to') && valid.from && valid.to && valid.from < valid.to) {
    arbitraries.push(
      fc.constant([
        `period reversed`,
        [...base.filter(([n]) => n !== 'from' && n !== 'to'), ['from', valid.to], ['to', valid.from]],
        ['query.from', 'query.to'],
      ]),
    );
  }
  return arbitraries;
}

const INVALID_JSON = [
  '{',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  '{"a":NaN}',
  '\uFEFF{}',
  '{"a":1}}',
  '[1,2',
  'undefined',
  '{"a":"\\x"}',
];
const WRONG_MEDIA = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/jsonx',
  'text/json',
  null,
];
const BAD_KEYS = [
  'short',
  'x'.repeat(129),
  'has space in it',
  'slash/is/not/allowed',
  'clé-d-idempotence',
  '',
];

/** The hostile requests of one operation. */
export function hostileRequests(
  doc: OpenApiDocument,
  op: Operation,
  valid: BaseRequest,
): fc.Arbitrary<HostileRequest> {
  const of = (mutation: string, change: Partial<HostileRequest>, expect: Expectation): HostileRequest => ({
    operationId: op.operationId,
    mutation,
    path: valid.path,
    query: Object.entries(valid.query),
    body: valid.body === undefined ? undefined : serialise(valid.body),
    contentType: valid.body === undefined ? undefined : 'application/json',
    ...change,
    expect,
  });
  const kinds: fc.Arbitrary<HostileRequest>[] = [];
  for (const parameter of op.parameters.filter((p) => p.in === 'path')) {
    const value = valid.path[parameter.name] ?? '';
    kinds.push(
      pathMutations(parameter, value).map(([mutation, bad]) =>
        of(
          mutation,
          { path: { ...valid.path, [parameter.name]: bad } },
          { fields: [`path.${parameter.name}`], status: 400 },
        ),
      ),
    );
  }
  kinds.push(
    ...queryMutations(op, valid.query).map((arb) =>
      arb.map(([mutation, query, fields]) => of(mutation, { query }, { fields })),
    ),
  );
  if (op.idempotent) {
    kinds.push(
      fc
        .constantFrom<string | null>(null, ...BAD_KEYS)
        .map((key) =>
          of(
            `Idempotency-Key ${JSON.stringify(key)}`,
            { idempotencyKey: key },
            { fields: ['Idempotency-Key'], status: 400 },
          ),
        ),
    );
  }
  if (op.body && valid.body !== undefined) {
    const schema = op.body;
    const fieldMutations = fc
      .oneof(...bodyMutations(doc, schema, valid.body))
      .map(([mutation, body, field]) => of(mutation, { body: serialise(body) }, { fields: [field] }));
    // Most of a body's requests break one field; the rest break the body as a whole.
    kinds.push(
      fieldMutations,
      fieldMutations,
      fieldMutations,
      fieldMutations,
      fieldMutations,
      fieldMutations,
    );
    kinds.push(
      fc
        .constantFrom('[]', '"x"', '1', 'null', 'true', '[{}]')
        .map((body) => of(`body ${body}`, { body }, { fields: ['body'] })),
      fc
        .oneof(
          fc.constantFrom(...INVALID_JSON),
          fc.nat().map((n) => {
            const text = serialise(valid.body);
            return text.slice(0, 1 + (n % (text.length - 1)));
          }),
        )
        .map((body) =>
          of(`invalid JSON ${JSON.stringify(body.slice(0, 20))}`, { body }, { fields: ['body'] }),
        ),
      fc
        .constantFrom(...WRONG_MEDIA)
        .map((type) => of(`content-type ${type}`, { contentType: type }, { status: 415 })),
      fc.integer({ min: 16 * 1024 + 1, max: 200 * 1024 }).map((size) => {
        const padded = setAt(valid.body, ['padding'], 'x'.repeat(size)) as object;
        return of(`body of ${size} bytes`, { body: serialise(padded) }, { status: 413 });
      }),
    );
  }
  return fc.oneof(...kinds);
}

/** The URL path of a request: the template with the (possibly hostile, already encoded) parameters. */
export function urlPath(op: Operation, path: Record<string, string>): string {
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = path[name];
    if (value === undefined) throw new Error(`${op.operationId}: no value for {${name}}`);
    return value;
  });
}

export function queryString(query: [string, string][]): string {
  if (query.length === 0) return '';
  // A hostile value may be a malformed escape on purpose: "%ZZ" is sent as written.
  const encode = (text: string) => (text === '%ZZ' ? text : encodeURIComponent(text));
  return `?${query.map(([name, value]) => `${encode(name)}=${encode(value)}`).join('&')}`;
}
