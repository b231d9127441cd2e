import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import type { Role } from '../shared/services/principal.js';

export const LOCAL_AUDIENCE = 'fast-loan-local';
const ALGORITHM = 'ES256';
const KEY_ID = 'local-dev-key';
type SigningKey = Parameters<SignJWT['sign']>[0];

/**
 * Plays the bank's identity provider locally: signs JWTs for any role with a development key
 * and publishes the public half as a JWKS, which the real authorizer verifies exactly as it
 * verifies the bank's tokens in AWS. With a key file the key survives restarts, so tokens
 * issued before a restart stay valid.
 */
export class LocalTokenIssuer {
  private constructor(
    readonly issuer: string,
    private readonly privateKey: SigningKey,
    readonly publicJwk: JWK,
  ) {}

  static async create(issuer: string, keyFile?: string): Promise<LocalTokenIssuer> {
    if (keyFile && existsSync(keyFile)) {
      const { privateJwk, publicJwk } = JSON.parse(readFileSync(keyFile, 'utf8')) as {
        privateJwk: JWK;
        publicJwk: JWK;
      };
      return new LocalTokenIssuer(issuer, (await importJWK(privateJwk, ALGORITHM)) as SigningKey, publicJwk);
    }
    const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { extractable: true });
    const publicJwk = { ...(await exportJWK(publicKey)), kid: KEY_ID, alg: ALGORITHM, use: 'sig' };
    if (keyFile) {
      mkdirSync(dirname(keyFile), { recursive: true });
      writeFileSync(keyFile, JSON.stringify({ privateJwk: await exportJWK(privateKey), publicJwk }), {
        mode: 0o600,
      });
    }
    return new LocalTokenIssuer(issuer, privateKey, publicJwk);
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  async issue(claims: { role: Role; subject?: string; uscc?: string }, now: Date, ttlSeconds = 12 * 3600) {
    const subject = claims.subject ?? `${claims.role}-${claims.uscc ?? 'staff'}`;
    const issuedAt = Math.floor(now.getTime() / 1000);
    const token = await new SignJWT({
      'custom:role': claims.role,
      ...(claims.uscc ? { 'custom:uscc': claims.uscc } : {}),
    })
      .setProtectedHeader({ alg: ALGORITHM, kid: KEY_ID })
      .setIssuer(this.issuer)
      .setAudience(LOCAL_AUDIENCE)
      .setSubject(subject)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ttlSeconds)
      .sign(this.privateKey);
    return {
      token,
      tokenType: 'Bearer',
      expiresIn: ttlSeconds,
      subject,
      role: claims.role,
      uscc: claims.uscc,
    };
  }
}
