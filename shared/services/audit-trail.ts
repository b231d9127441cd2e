import { createHash, randomUUID } from 'node:crypto';
import { type AuditChange, appendToChain } from '../domain/audit.js';
import { ConflictError } from '../domain/errors.js';
import { type AuditAppend, StaleAuditHeadError } from '../ports/stores.js';
import type { Dependencies } from './dependencies.js';
import type { Principal, Role } from './principal.js';

/**
 * How many times an audited change is tried when other audited changes keep moving the chain's
 * head first. Every staff action and line change appends to one chain, so concurrent ones take
 * turns: each round at least one of them commits.
 */
export const AUDIT_ATTEMPTS = 10;

/** Who acts, for the audit trail: a user with the request's correlation id, or a job with its invocation's. */
export interface Actor {
  subject: string;
  role: Role | 'system';
  correlationId: string;
}

/** A user of the API, by the token the authorizer vouched for, in the request `correlationId`. */
export function staffActor(principal: Principal, correlationId: string): Actor {
  return { subject: principal.subject, role: principal.role, correlationId };
}

/** A job (a workflow stage, a scheduled Lambda) acting on its own, in one invocation or execution. */
export function systemActor(job: string, invocationId: string): Actor {
  return { subject: `system:${job}`, role: 'system', correlationId: invocationId };
}

/**
 * Free text a person typed (a comment, a reason) may name people; the audit record keeps its
 * SHA-256, which proves which text was given without copying it. The text stays on the record
 * of the change itself.
 */
export function textDigest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The audit records of `changes` by `actor` at `at`, appended to the chain as it ends now. The
 * store writes them with the change, conditioned on the head not having moved; when it has
 * (StaleAuditHeadError), the caller computes the change again and calls this again.
 */
export async function auditAppend(
  deps: Pick<Dependencies, 'audit'>,
  actor: Actor,
  at: string,
  changes: readonly AuditChange[],
): Promise<AuditAppend> {
  const expected = await deps.audit.head();
  const { records } = appendToChain(expected, {
    changes,
    actor: { subject: actor.subject, role: actor.role },
    correlationId: actor.correlationId,
    at,
    newId: randomUUID,
  });
  return { expected, records };
}

/**
 * Runs an audited change again while the chain's head moved under it, as servicing writes do on
 * StaleLoanError: each attempt reads the state (and the head) afresh. After AUDIT_ATTEMPTS it
 * is a ConflictError (409, "retry in a moment"), never a 500.
 */
export async function whileAuditHeadMoves<T>(what: string, attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof StaleAuditHeadError)) throw error;
      if (n >= AUDIT_ATTEMPTS)
        throw new ConflictError(`${what} is queued behind other audited changes; retry in a moment`, {
          cause: error,
        });
    }
  }
}
