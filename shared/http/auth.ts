import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import * as z from 'zod';
import { UnauthorizedError } from '../domain/errors.js';
import { type Principal, ROLES, type Role } from '../services/principal.js';

/**
 * Who may call the API: a JWT from the bank's OIDC provider (or the Cognito user pool the
 * stack creates), checked against the issuer's published keys. Staff roles and the
 * enterprise's uscc come from configurable claims, so any IdP can be mapped without code.
 */
export const AuthConfigSchema = z.object({
  OIDC_ISSUER: z.url(),
  OIDC_AUDIENCE: z.string().min(1),
  OIDC_JWKS_URI: z.url().optional(),
  ROLE_CLAIM: z.string().min(1).default('custom:role'),
  USCC_CLAIM: z.string().min(1).default('custom:uscc'),
});
export type AuthConfig = z.infer<typeof AuthConfigSchema>;

/** Asymmetric signatures only: an HMAC-signed token could be forged by anyone holding a shared secret. */
const ACCEPTED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];

function roleFrom(claim: unknown): Role | undefined {
  const values = Array.isArray(claim) ? claim : [claim];
  return values.find((value): value is Role => ROLES.includes(value as Role));
}

export function createTokenVerifier(config: AuthConfig) {
  const jwks = createRemoteJWKSet(
    new URL(config.OIDC_JWKS_URI ?? `${config.OIDC_ISSUER.replace(/\/$/, '')}/.well-known/jwks.json`),
  );
  return async function verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: config.OIDC_ISSUER,
        audience: config.OIDC_AUDIENCE,
        algorithms: ACCEPTED_ALGORITHMS,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      throw new UnauthorizedError(`invalid token: ${error instanceof Error ? error.name : 'unknown'}`, {
        cause: error,
      });
    }
    const role = roleFrom(payload[config.ROLE_CLAIM]);
    if (!payload.sub || !role) throw new UnauthorizedError('the token carries no subject or no known role');
    const uscc = payload[config.USCC_CLAIM];
    if (role === 'enterprise' && typeof uscc !== 'string')
      throw new UnauthorizedError('an enterprise token must carry its uscc');
    return { subject: payload.sub, role, uscc: typeof uscc === 'string' ? uscc : undefined };
  };
}

/** "Bearer <token>" to the token, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+([A-Za-z0-9\-_.]+)$/i.exec(header ?? '');
  return match?.[1];
}
