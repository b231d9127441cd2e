import { randomUUID } from 'node:crypto';
import type { BlacklistKind } from '../domain/decisioning/types.js';
import {
  maskMobile,
  maskResidentId,
  parseMobile,
  parseResidentId,
  parseUscc,
} from '../domain/identifiers.js';
import { AlreadyListedError, type BlacklistEntry, type BlacklistKey } from '../ports/stores.js';
import type { Dependencies } from './dependencies.js';
import { personalDataDigester } from './personal-data.js';
import type { Principal } from './principal.js';

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
 * An administrator lists an enterprise, a person or a mobile number, with a reason. The
 * next application naming it is declined at VerifyIdentity. Repeating the same listing returns
 * the first result; listing an already listed value otherwise is refused (AlreadyListedError).
 */
export async function addToBlacklist(
  deps: Pick<Dependencies, 'blacklist' | 'secrets' | 'clock'>,
  input: { principal: Principal; request: BlacklistRequest },
): Promise<BlacklistEntry> {
  const { key, display } = await keyOf(deps, input.request.kind, input.request.value);
  const entry: BlacklistEntry = {
    entryId: randomUUID(),
    kind: input.request.kind,
    display,
    reason: input.request.reason,
    status: 'ACTIVE',
    addedBy: input.principal.subject,
    addedAt: deps.clock.now().toISOString(),
  };
  try {
    await deps.blacklist.add(entry, key);
  } catch (error) {
    // The same administrator listing the same value for the same reason: a retry of a call
    // whose answer was lost. It gets the first result; any other listing of it is a conflict.
    const existing = error instanceof AlreadyListedError ? error.existing : undefined;
    if (existing && existing.addedBy === entry.addedBy && existing.reason === entry.reason) return existing;
    throw error;
  }
  return entry;
}

/** An administrator takes an entry off the list, with a reason; the entry stays for the audit trail. */
export function removeFromBlacklist(
  deps: Pick<Dependencies, 'blacklist' | 'clock'>,
  input: { principal: Principal; entryId: string; reason: string },
): Promise<BlacklistEntry> {
  return deps.blacklist.remove(
    input.entryId,
    input.principal.subject,
    input.reason,
    deps.clock.now().toISOString(),
  );
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
