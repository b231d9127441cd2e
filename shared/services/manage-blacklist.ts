import { randomUUID } from 'node:crypto';
import type { AuditState } from '../domain/audit.js';
import type { BlacklistKind } from '../domain/decisioning/types.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import {
  maskMobile,
  maskResidentId,
  parseMobile,
  parseResidentId,
  parseUscc,
} from '../domain/identifiers.js';
import { AlreadyListedError, type BlacklistEntry, type BlacklistKey } from '../ports/stores.js';
import { type Actor, auditAppend, textDigest, whileAuditHeadMoves } from './audit-trail.js';
import type { Dependencies } from './dependencies.js';
import { personalDataDigester } from './personal-data.js';

export interface BlacklistRequest {
  kind: BlacklistKind;
  /** A uscc, a resident ID number or a mobile number, by kind. */
  value: string;
  reason: string;
}

/** The lookup key and what may be shown of a listed value (never a personal number in clear). */
async function keyOf(deps: Pick<Dependencies, 'secrets'>, kind: BlacklistKind, value: string) {
  if (kind === 'ENTERPRISE') {
    const uscc = parseUscc(value, 'value');
    return { key: { kind, key: uscc }, display: uscc };
  }
  const digest = await personalDataDigester(deps.secrets);
  if (kind === 'PERSON') {
    parseResidentId(value, 'value');
    return { key: { kind, key: digest(value) }, display: maskResidentId(value) };
  }
  const mobile = parseMobile(value, 'value');
  return { key: { kind, key: digest(mobile) }, display: maskMobile(mobile) };
}

/**
 * What the audit trail keeps of an entry: the uscc, or the masked ID or mobile number (never a
 * personal number in clear), and the reasons as digests (free text may name people).
 */
function auditedEntry(entry: BlacklistEntry): AuditState {
  return {
    kind: entry.kind,
    display: entry.display,
    status: entry.status,
    reasonSha256: textDigest(entry.reason),
    ...(entry.removalReason ? { removalReasonSha256: textDigest(entry.removalReason) } : {}),
  };
}

/**
 * An administrator lists an enterprise, a person or a mobile number, with a reason.
 * 1. The value is validated; a personal number becomes its keyed digest (the lookup key) and a mask.
 * 2. The entry, its guard and its audit record (`blacklist.added`) are written in one transaction;
 *    when other audited changes moved the audit head first, it is tried again.
 * 3. The next application naming it is declined at VerifyIdentity. Repeating the same listing
 *    returns the first result (and records nothing); listing an already listed value otherwise
 *    is refused (AlreadyListedError).
 */
export async function addToBlacklist(
  deps: Pick<Dependencies, 'blacklist' | 'secrets' | 'clock' | 'audit'>,
  input: { actor: Actor; request: BlacklistRequest },
): Promise<BlacklistEntry> {
  const { key, display } = await keyOf(deps, input.request.kind, input.request.value);
  const entry: BlacklistEntry = {
    entryId: randomUUID(),
    kind: input.request.kind,
    display,
    reason: input.request.reason,
    status: 'ACTIVE',
    addedBy: input.actor.subject,
    addedAt: deps.clock.now().toISOString(),
  };
  try {
    await whileAuditHeadMoves(`listing on the blacklist`, async () =>
      deps.blacklist.add(
        entry,
        key,
        await auditAppend(deps, input.actor, entry.addedAt, [
          {
            action: 'blacklist.added',
            entityType: 'BLACKLIST_ENTRY',
            entityId: entry.entryId,
            before: null,
            after: auditedEntry(entry),
          },
        ]),
      ),
    );
  } catch (error) {
    // The same administrator listing the same value for the same reason: a retry of a call
    // whose answer was lost. It gets the first result; any other listing of it is a conflict.
    const existing = error instanceof AlreadyListedError ? error.existing : undefined;
    if (existing && existing.addedBy === entry.addedBy && existing.reason === entry.reason) return existing;
    throw error;
  }
  return entry;
}

/**
 * An administrator takes an entry off the list, with a reason; the entry stays, and the change
 * is recorded (`blacklist.removed`) in the same transaction as the removal.
 */
export async function removeFromBlacklist(
  deps: Pick<Dependencies, 'blacklist' | 'clock' | 'audit'>,
  input: { actor: Actor; entryId: string; reason: string },
): Promise<BlacklistEntry> {
  const at = deps.clock.now().toISOString();
  return whileAuditHeadMoves(`removing blacklist entry ${input.entryId}`, async () => {
    const entry = await deps.blacklist.get(input.entryId);
    if (!entry) throw new NotFoundError(`blacklist entry ${input.entryId} not found`);
    if (entry.status !== 'ACTIVE') throw new ConflictError(`blacklist entry ${input.entryId} is not active`);
    const removed: BlacklistEntry = {
      ...entry,
      status: 'REMOVED',
      removedBy: input.actor.subject,
      removedAt: at,
      removalReason: input.reason,
    };
    const audit = await auditAppend(deps, input.actor, at, [
      {
        action: 'blacklist.removed',
        entityType: 'BLACKLIST_ENTRY',
        entityId: entry.entryId,
        before: auditedEntry(entry),
        after: auditedEntry(removed),
      },
    ]);
    return deps.blacklist.remove(input.entryId, input.actor.subject, input.reason, at, audit);
  });
}

export async function listBlacklist(deps: Pick<Dependencies, 'blacklist'>, limit = 100) {
  return { entries: await deps.blacklist.listActive(limit) };
}

/** The lookup keys of an application's enterprise and legal representative. */
export function applicantKeys(uscc: string, idNumberDigest: string, mobileDigest: string): BlacklistKey[] {
  return [
    { kind: 'ENTERPRISE', key: uscc },
    { kind: 'PERSON', key: idNumberDigest },
    { kind: 'MOBILE', key: mobileDigest },
  ];
}
