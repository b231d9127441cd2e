import { createHash } from 'node:crypto';
import { IdempotencyKeyReusedError } from '../domain/errors.js';
import type { IdempotencyClaim, IdempotencyRecord } from '../ports/stores.js';

/** Long enough to cover any client's retry window; the record expires by TTL afterwards. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 3600 * 1000;

/** Canonical JSON (sorted keys) so that field order does not change the digest. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The digest a retry's body must match: same key and same body → same answer. */
export function requestDigest(request: unknown): string {
  return createHash('sha256').update(canonical(request)).digest('hex');
}

/**
 * An id derived from who asked and their Idempotency-Key, so a retry that lost the first
 * answer computes the same id (and the same core-banking reference) instead of a new one.
 */
export function idempotentId(prefix: string, scope: string, principal: string, key: string): string {
  const digest = createHash('sha256').update(`${scope}\n${principal}\n${key}`).digest('base64url');
  return `${prefix}-${digest.slice(0, 22)}`;
}

export function idempotencyClaim(
  scope: string,
  principal: string,
  key: string,
  record: IdempotencyRecord,
  now: Date,
): IdempotencyClaim {
  return { scope, principal, key, record, expiresAt: new Date(now.getTime() + IDEMPOTENCY_RETENTION_MS) };
}

/** The stored answer when this key was used for the same body; IdempotencyKeyReusedError for another body. */
export function replayOf(existing: IdempotencyRecord | undefined, digest: string, what: string) {
  if (!existing) return undefined;
  if (existing.requestDigest !== digest)
    throw new IdempotencyKeyReusedError(
      `this Idempotency-Key was already used with a different request body; use a new key for a new ${what}`,
    );
  return existing;
}
