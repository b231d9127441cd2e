import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE } from '../../local/token-issuer.js';
import { ROUTE_LIST, type RouteDefinition } from '../../shared/http/routes.js';
import { ROLES, type Role } from '../../shared/services/principal.js';
import { startTestRuntime } from '../support/local-api.js';
import { buildWorld, settledSnapshot, tableChanges, validRequests, type World } from '../support/world.js';

/**
 * Every route of the route table × every caller × every kind of token × the object it names
 * (the owner's, or one that does not exist), with the expected answer computed from the route's
 * declared auth alone: public routes answer anyone; a signed route takes no bearer token; a
 * token that does not verify is a 401; a role the route does not list is a 403; an enterprise
 * sees its own objects only, and another's answers exactly as a missing one does (404).
 */
const TOKEN_KINDS = [
  'valid',
  'missing',
  'malformed',
  'expired',
  'bad signature',
  'wrong audience',
  'wrong issuer',
  'alg none',
  'HS256 with the public key',
] as const;
type TokenKind = (typeof TOKEN_KINDS)[number];

interface Caller {
  name: string;
  role: Role;
  uscc?: string;
}
type ObjectKind = 'own' | 'missing';
type Outcome = 'public' | 401 | 403 | 404 | 'allowed';

const keyDir = mkdtempSync(join(tmpdir(), 'authz-matrix-'));
let api: Awaited<ReturnType<typeof startTestRuntime>>;
let world: World;
type SigningKey = Parameters<SignJWT['sign']>[0];
let signingKey: SigningKey;
let publicJwk: JWK;
let callers: Caller[];
/** The valid request of each operation on the world's objects, by operationId. */
let requests: ReturnType<typeof validRequests>;

beforeAll(async () => {
  // The local identity provider's key, written where the runtime looks for it, so that this
  // test can also sign the tokens the provider never would (expired, for another audience...).
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  signingKey = privateKey;
  publicJwk = { ...(await exportJWK(publicKey)), kid: 'local-dev-key', alg: 'ES256', use: 'sig' };
  writeFileSync(
    join(keyDir, 'signing-key.json'),
    JSON.stringify({ privateJwk: await exportJWK(privateKey), publicJwk }),
  );
  api = await startTestRuntime({ dataDir: keyDir });
  world = await buildWorld(api);
  requests = validRequests(world, api.runtime.clock.now());
  callers = [
    { name: 'the owner', role: 'enterprise', uscc: world.owner.uscc },
    { name: 'another enterprise', role: 'enterprise', uscc: world.other.uscc },
    ...ROLES.filter((role) => role !== 'enterprise').map((role) => ({ name: role, role })),
  ];
}, 60_000);

afterAll(async () => {
  await api?.runtime.stop();
  rmSync(keyDir, { recursive: true, force: true });
});

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const headerCache = new Map<string, Promise<string | undefined>>();

/** The Authorization header of a caller with a kind of token (the same one for every request). */
function authorizationOf(caller: Caller, kind: TokenKind, n: number): Promise<string | undefined> {
  const key = `${caller.name}|${kind}|${kind === 'malformed' ? n % 5 : ''}`;
  let header = headerCache.get(key);
  if (!header) {
    header = authorization(caller, kind, n);
    headerCache.set(key, header);
  }
  return header;
}

async function authorization(caller: Caller, kind: TokenKind, n: number): Promise<string | undefined> {
  const claims = { 'custom:role': caller.role, ...(caller.uscc ? { 'custom:uscc': caller.uscc } : {}) };
  const issuer = `${api.runtime.url}/local`;
  const now = Math.floor(Date.now() / 1000);
  const sign = (options: { iss?: string; aud?: string; exp?: number; key?: SigningKey } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'local-dev-key' })
      .setIssuer(options.iss ?? issuer)
      .setAudience(options.aud ?? LOCAL_AUDIENCE)
      .setSubject(`${caller.role}-${caller.uscc ?? 'staff'}`)
      .setIssuedAt(now - 3600)
      .setExpirationTime(options.exp ?? now + 3600)
      .sign(options.key ?? signingKey);
  switch (kind) {
    case 'valid':
      return `Bearer ${await api.token(caller.role, caller.uscc)}`;
    case 'missing':
      return undefined;
    case 'malformed':
      return [
        'Bearer not-a-jwt',
        'Bearer',
        'Basic dXNlcjpwYXNz',
        `Bearer ${await sign()} trailing`,
        'bearer a.b',
      ][n % 5];
    case 'expired':
      return `Bearer ${await sign({ exp: now - 60 })}`;
    case 'bad signature':
      return `Bearer ${await sign({ key: (await generateKeyPair('ES256')).privateKey })}`;
    case 'wrong audience':
      return `Bearer ${await sign({ aud: 'another-client' })}`;
    case 'wrong issuer':
      return `Bearer ${await sign({ iss: 'https://idp.elsewhere.example/local' })}`;
    case 'alg none': {
      const payload = { ...claims, iss: issuer, aud: LOCAL_AUDIENCE, sub: 'x', exp: now + 3600 };
      return `Bearer ${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`;
    }
    case 'HS256 with the public key': {
      const secret = new TextEncoder().encode(JSON.stringify(publicJwk));
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid: 'local-dev-key' })
        .setIssuer(issuer)
        .setAudience(LOCAL_AUDIENCE)
        .setSubject('x')
        .setExpirationTime(now + 3600)
        .sign(secret);
      return `Bearer ${token}`;
    }
  }
}

const namesObject = (route: RouteDefinition) => /\{\w+\}/.test(route.path);

/** The answer the route's declared auth calls for; nothing here restates which role may do what. */
function expected(route: RouteDefinition, caller: Caller, token: TokenKind, object: ObjectKind): Outcome {
  if (route.auth === 'public') return 'public';
  // A partner signs its request; a bearer token is no credential for the route, whoever holds it.
  if (route.auth === 'partnerSignature') return 401;
  if (token !== 'valid') return 401;
  if (!route.auth.roles.includes(caller.role)) return 403;
  const actsForAnother = caller.role === 'enterprise' && caller.uscc !== world.owner.uscc;
  // A request on no object names its enterprise in the body (an application): the owner's here.
  if (!namesObject(route)) return actsForAnother && carriesOwnerUscc(route) ? 403 : 'allowed';
  if (object === 'missing') return 404;
  // The world's objects on enterprise routes are the owner's; staff see every enterprise's.
  if (actsForAnother) return 404;
  return 'allowed';
}

function carriesOwnerUscc(route: RouteDefinition): boolean {
  const body = requests[route.operationId]?.body;
  return JSON.stringify(body ?? null).includes(`"uscc":"${world.owner.uscc}"`);
}

/** A well-formed id that names nothing: the same shape as the real one. */
function missingLike(id: string): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-/.test(id)) return '00000000-0000-4000-8000-000000000000';
  const prefix = /^([A-Z]{2}-)+/.exec(id)?.[0] ?? '';
  return (
    prefix +
    id
      .slice(prefix.length)
      .replace(/\d/g, '0')
      .replace(/[A-Za-z]/g, 'z')
  );
}

interface Cell {
  route: RouteDefinition;
  caller: Caller;
  token: TokenKind;
  object: ObjectKind;
  expect: Outcome;
}
interface Answer {
  status: number;
  contentType: string | null;
  body: { title?: string; type?: string; detail?: string; errors?: unknown };
  ids: Record<string, string>;
}

async function send(cell: Cell, n: number): Promise<Answer> {
  const valid = requests[cell.route.operationId];
  if (!valid) throw new Error(`no valid request for ${cell.route.operationId}`);
  const ids =
    cell.object === 'missing'
      ? Object.fromEntries(Object.entries(valid.path).map(([name, id]) => [name, missingLike(id)]))
      : valid.path;
  const path = cell.route.path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? '');
  const query = new URLSearchParams(valid.query).toString();
  const headers: Record<string, string> = {};
  const auth = await authorizationOf(cell.caller, cell.token, n);
  if (auth) headers.authorization = auth;
  if (cell.route.idempotent) headers['idempotency-key'] = `matrix-${n}-${cell.token.replace(/\W/g, '')}`;
  if (valid.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${api.runtime.url}${path}${query ? `?${query}` : ''}`, {
    method: cell.route.method,
    headers,
    body: valid.body === undefined ? undefined : JSON.stringify(valid.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: JSON.parse(text || '{}'),
    ids,
  };
}

function violation(cell: Cell, answer: Answer): string | undefined {
  const problem = answer.contentType === 'application/problem+json';
  const ok =
    cell.expect === 'public'
      ? answer.status === cell.route.response.status
      : cell.expect === 'allowed'
        ? (answer.status >= 200 && answer.status < 300) || answer.status === 409 || answer.status === 422
        : answer.status === cell.expect && problem;
  if (ok) return undefined;
  return `${cell.route.method} ${cell.route.path} as ${cell.caller.name}, ${cell.token} token, ${cell.object} object: expected ${cell.expect}, got ${answer.status} ${JSON.stringify(answer.body).slice(0, 160)}`;
}

async function inParallel<T>(items: T[], limit: number, run: (item: T, index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++;
        await run(items[index] as T, index);
      }
    }),
  );
}

describe('the authorization matrix of the route table', () => {
  it('answers every route × caller × token × object as the route declares, and another enterprise’s objects exactly as missing ones', async () => {
    const cells: Cell[] = ROUTE_LIST.flatMap((route) =>
      callers.flatMap((caller) =>
        TOKEN_KINDS.flatMap((token) =>
          (namesObject(route) ? (['own', 'missing'] as const) : (['own'] as const)).map((object) => ({
            route,
            caller,
            token,
            object,
            expect: expected(route, caller, token, object),
          })),
        ),
      ),
    );
    const answers = new Map<Cell, Answer>();
    const found: string[] = [];
    const check = async (cell: Cell, n: number) => {
      const answer = await send(cell, n);
      answers.set(cell, answer);
      const wrong = violation(cell, answer);
      if (wrong) found.push(wrong);
    };

    // First every request that must be refused (and the public ones): together, and writing nothing.
    const refused = cells.filter((cell) => cell.expect !== 'allowed');
    const before = await settledSnapshot(api);
    await inParallel(refused, 10, check);
    const after = await settledSnapshot(api);
    // Then the allowed ones, one at a time: they act on the world (accept, repay, write off...).
    const allowed = cells.filter((cell) => cell.expect === 'allowed');
    for (const [i, cell] of allowed.entries()) await check(cell, refused.length + i);

    // Another enterprise's object answers as a missing one does, word for word but the ids.
    for (const cell of cells.filter((c) => c.expect === 404 && c.object === 'own')) {
      const twin = cells.find(
        (c) =>
          c.route === cell.route &&
          c.caller === cell.caller &&
          c.token === cell.token &&
          c.object === 'missing',
      );
      const theirs = answers.get(cell);
      const missing = twin && answers.get(twin);
      if (!theirs || !missing) throw new Error('a cell was not sent');
      let detail = String(missing.body.detail);
      for (const [name, id] of Object.entries(missing.ids))
        detail = detail.replaceAll(id, theirs.ids[name] ?? id);
      const same =
        theirs.status === missing.status &&
        theirs.contentType === missing.contentType &&
        theirs.body.title === missing.body.title &&
        theirs.body.type === missing.body.type &&
        theirs.body.detail === detail &&
        JSON.stringify(theirs.body.errors) === JSON.stringify(missing.body.errors);
      if (!same)
        found.push(
          `${cell.route.method} ${cell.route.path} as ${cell.caller.name}: another's object answers ${JSON.stringify(theirs.body)}, a missing one ${JSON.stringify(missing.body)}`,
        );
    }

    expect(cells.length).toBeGreaterThan(2000);
    expect(found.slice(0, 20), `${found.length} violations in ${cells.length} cells`).toEqual([]);
    expect(tableChanges(before, after), 'items written by refused requests').toEqual([]);
    // The matrix is not vacuous: every outcome occurs, and every route is allowed to someone.
    expect(new Set(cells.map((c) => c.expect))).toEqual(new Set(['public', 401, 403, 404, 'allowed']));
    for (const route of ROUTE_LIST.filter((r) => typeof r.auth === 'object'))
      expect(
        allowed.some((c) => c.route === route),
        route.operationId,
      ).toBe(true);
  }, 120_000);
});
