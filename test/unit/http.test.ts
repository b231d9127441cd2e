import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConflictError,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
} from '../../shared/domain/errors.js';
import { bearerToken, createTokenVerifier } from '../../shared/http/auth.js';
import { HttpProblem, toProblem } from '../../shared/http/problem.js';

describe('errors become RFC 9457 problems by class', () => {
  it.each([
    [new HttpProblem(400, 'Invalid request', 'x', [{ field: 'a', message: 'b' }]), 400],
    [new ValidationError('limit too high', 'limit.amount'), 422],
    [new NotFoundError('no'), 404],
    [new ConflictError('no'), 409],
    [new UnauthorizedError('no'), 401],
  ])('%s -> %d', (error, status) => {
    const problem = toProblem(error);
    expect(problem).toMatchObject({ status, known: true });
    expect(problem.type).toMatch(/^urn:fast-loan:problem:/);
  });

  it('hides the details of an unexpected error', () => {
    const problem = toProblem(new Error('connection string with password=secret'));
    expect(problem).toMatchObject({ status: 500, known: false });
    expect(JSON.stringify(problem)).not.toContain('secret');
  });

  it('names the field of a domain validation error', () => {
    expect(toProblem(new ValidationError('too high', 'limit.amount')).errors).toEqual([
      { field: 'limit.amount', message: 'too high' },
    ]);
  });
});

describe('bearer tokens', () => {
  let server: Server;
  let issuer: string;
  let sign: (
    claims: Record<string, unknown>,
    options?: { issuer?: string; audience?: string; subject?: string },
  ) => Promise<string>;
  let signWithoutExpiry: (claims: Record<string, unknown>) => Promise<string>;

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
    server = createServer((_, response) => response.end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    sign = (claims, options = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuer(options.issuer ?? issuer)
        .setAudience(options.audience ?? 'app')
        .setSubject(options.subject ?? 'user-1')
        .setExpirationTime('1h')
        .sign(privateKey);
    signWithoutExpiry = (claims) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuer(issuer)
        .setAudience('app')
        .setSubject('user-1')
        .sign(privateKey);
  });

  afterAll(() => server.close());

  const verifier = () =>
    createTokenVerifier({
      OIDC_ISSUER: issuer,
      OIDC_AUDIENCE: 'app',
      ROLE_CLAIM: 'custom:role',
      USCC_CLAIM: 'custom:uscc',
    });

  it('yields the principal from a valid token', async () => {
    const token = await sign({ 'custom:role': 'enterprise', 'custom:uscc': '91350102MA31K7Q230' });
    await expect(verifier()(token)).resolves.toEqual({
      subject: 'user-1',
      role: 'enterprise',
      uscc: '91350102MA31K7Q230',
    });
  });

  it('reads the role from a list claim such as cognito:groups', async () => {
    const verify = createTokenVerifier({
      OIDC_ISSUER: issuer,
      OIDC_AUDIENCE: 'app',
      ROLE_CLAIM: 'cognito:groups',
      USCC_CLAIM: 'custom:uscc',
    });
    await expect(verify(await sign({ 'cognito:groups': ['everyone', 'approver'] }))).resolves.toMatchObject({
      role: 'approver',
    });
  });

  it.each([
    ['another issuer', { 'custom:role': 'officer' }, { issuer: 'https://elsewhere.example' }],
    ['another audience', { 'custom:role': 'officer' }, { audience: 'other-app' }],
    ['an unknown role', { 'custom:role': 'superuser' }, {}],
    ['an enterprise without uscc', { 'custom:role': 'enterprise' }, {}],
  ])('refuses %s', async (_, claims, options) => {
    await expect(verifier()(await sign(claims, options))).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('refuses a token without an expiry, however well signed', async () => {
    await expect(verifier()(await signWithoutExpiry({ 'custom:role': 'admin' }))).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
  });

  it('refuses a tampered token', async () => {
    const token = await sign({ 'custom:role': 'officer' });
    const [header, , signature] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ 'custom:role': 'admin', sub: 'x', iss: issuer, aud: 'app' }),
    ).toString('base64url');
    await expect(verifier()(`${header}.${forged}.${signature}`)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('extracts the token from an Authorization header', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
