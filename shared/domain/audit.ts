import { createHash } from 'node:crypto';

/**
 * The audit trail: every staff action and every change to a credit line's limit or status, as
 * one append-only, hash-chained log (docs/decisions/0008-audit-trail.md). Each record carries
 * the SHA-256 of its predecessor, and its own hash covers everything in it, so a record that is
 * missing, edited or re-linked breaks the chain at that record, and `verifyChain` names it.
 */

export const AUDIT_ENTITY_TYPES = ['APPLICATION', 'LOAN', 'CREDIT_LINE', 'BLACKLIST_ENTRY'] as const;
export type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];

/**
 * What was done, in the bank's words:
 * - `review.proposed`: an officer approved above the dual-control threshold (the maker);
 * - `review.confirmed`: a second person, an approver, confirmed that proposal (the checker);
 * - `review.decided`: any other final review decision (a decline, or an approval within the threshold);
 * - `blacklist.added`, `blacklist.removed`: an administrator changed the blacklist;
 * - `loan.written-off`: an approver wrote a loan off;
 * - `credit-line.opened`: a line was booked with its limit (the Activate stage);
 * - `credit-line.frozen`: a line's status became FROZEN (a write-off of a loan drawn on it).
 */
export const AUDIT_ACTIONS = [
  'review.proposed',
  'review.confirmed',
  'review.decided',
  'blacklist.added',
  'blacklist.removed',
  'loan.written-off',
  'credit-line.opened',
  'credit-line.frozen',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** JSON values only: what canonical serialisation can write and DynamoDB gives back unchanged. */
export type AuditValue = string | number | boolean | null | AuditValue[] | { [key: string]: AuditValue };
/** The part of an entity's state an action changed, as it was before and after. Never personal data. */
export type AuditState = { [key: string]: AuditValue };

/** Who acted: a user (subject and role from the token) or a job (`system:<name>`, role `system`). */
export interface AuditActor {
  subject: string;
  role: string;
}

/** One change to record, before the chain gives it its place. */
export interface AuditChange {
  action: AuditAction;
  entityType: AuditEntityType;
  /** The id of the application, loan, credit line or blacklist entry. */
  entityId: string;
  /** null when the action created the entity. */
  before: AuditState | null;
  after: AuditState | null;
}

export interface AuditRecord extends AuditChange {
  /** 1, 2, 3, ... with no gaps: the record's place in the one chain. */
  sequence: number;
  auditId: string;
  /** ISO 8601 UTC instant of the change. */
  at: string;
  actor: AuditActor;
  /** The request's correlation id (a Lambda request id), or a job's invocation id. */
  correlationId: string;
  /** `hash` of the record before this one; GENESIS_HASH for the first. */
  prevHash: string;
  /** SHA-256 (hex) of the canonical JSON of every other field. */
  hash: string;
}

/** The end of the chain: the last record's sequence number and hash. */
export interface AuditHead {
  sequence: number;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);
/** The head of an empty chain. */
export const GENESIS: AuditHead = { sequence: 0, hash: GENESIS_HASH };

/** A value canonical JSON cannot represent (undefined in an array, NaN, a Date, a Set...). */
export class AuditFormatError extends Error {
  override name = 'AuditFormatError';
}

/**
 * Canonical JSON after RFC 8785 (JSON Canonicalization Scheme) for the values an audit record
 * holds: object members sorted by their names' UTF-16 code units, no whitespace, strings and
 * numbers as ECMAScript's JSON.stringify writes them. An undefined member is left out, as the
 * table's document client leaves it out, so a record hashes the same before and after storage.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new AuditFormatError(`${value} has no JSON form`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value
          .map((item) => {
            if (item === undefined) throw new AuditFormatError('an array may not hold undefined');
            return canonicalJson(item);
          })
          .join(',')}]`;
      }
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null)
        throw new AuditFormatError(
          `a ${prototype?.constructor?.name ?? 'non-plain'} object has no JSON form`,
        );
      const members = Object.entries(value as Record<string, unknown>)
        .filter(([, member]) => member !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${members.map(([name, member]) => `${JSON.stringify(name)}:${canonicalJson(member)}`).join(',')}}`;
    }
    default:
      throw new AuditFormatError(`a ${typeof value} has no JSON form`);
  }
}

/** The hash a record must carry: SHA-256 of the canonical JSON of all its fields but `hash`. */
export function recordHash(record: Omit<AuditRecord, 'hash'> & { hash?: string }): string {
  const { hash: _, ...content } = record;
  return createHash('sha256').update(canonicalJson(content), 'utf8').digest('hex');
}

/**
 * The records that append `changes` (in order) to the chain ending at `head`, and the chain's
 * new head. Nothing is stored here: the caller writes the records and moves the head in the
 * same transaction as the change itself, conditioned on the head still being `head`.
 */
export function appendToChain(
  head: AuditHead,
  input: {
    changes: readonly AuditChange[];
    actor: AuditActor;
    correlationId: string;
    at: string;
    newId: () => string;
  },
): { records: AuditRecord[]; head: AuditHead } {
  const records: AuditRecord[] = [];
  let last = head;
  for (const change of input.changes) {
    const content = {
      sequence: last.sequence + 1,
      auditId: input.newId(),
      at: input.at,
      actor: { subject: input.actor.subject, role: input.actor.role },
      action: change.action,
      entityType: change.entityType,
      entityId: change.entityId,
      before: change.before,
      after: change.after,
      correlationId: input.correlationId,
      prevHash: last.hash,
    };
    const record = { ...content, hash: recordHash(content) };
    records.push(record);
    last = { sequence: record.sequence, hash: record.hash };
  }
  return { records, head: last };
}

export type ChainBreakKind = 'MISSING' | 'EDITED' | 'RELINKED';

/** The first place the chain does not hold. */
export interface ChainBreak {
  sequence: number;
  /**
   * MISSING: no record has this sequence number (deleted, or the chain ends before its head);
   * EDITED: the record's content does not match its hash (or the last record does not match the
   * head); RELINKED: the record's hash is its own but it does not follow its predecessor (it was
   * moved, duplicated, or its predecessor was rewritten and re-hashed).
   */
  kind: ChainBreakKind;
  detail: string;
}

export type ChainVerdict =
  | { intact: true; last: AuditHead }
  | { intact: false; firstBreak: ChainBreak; lastIntact: AuditHead };

function hashOf(record: AuditRecord): string | undefined {
  try {
    return recordHash(record);
  } catch {
    // A value no audit record can hold (a DynamoDB set, say): it was written by hand.
    return undefined;
  }
}

/**
 * Checks records read in sequence order. `after` is the trusted point they continue (GENESIS
 * for the start of the chain); with `head`, the records must also run exactly up to it, so a
 * truncated chain, or a rewritten last record, is caught too.
 */
export function verifyChain(
  records: readonly AuditRecord[],
  options: { after?: AuditHead; head?: AuditHead } = {},
): ChainVerdict {
  let last = options.after ?? GENESIS;
  const broken = (firstBreak: ChainBreak): ChainVerdict => ({ intact: false, firstBreak, lastIntact: last });
  for (const record of records) {
    const expected = last.sequence + 1;
    if (!Number.isSafeInteger(record.sequence))
      return broken({
        sequence: expected,
        kind: 'EDITED',
        detail: `the record in place ${expected} has no sequence number`,
      });
    if (record.sequence !== expected) {
      if (record.sequence > expected)
        return broken({
          sequence: expected,
          kind: 'MISSING',
          detail: `there is no record ${expected}: record ${last.sequence} is followed by record ${record.sequence}`,
        });
      return broken({
        sequence: expected,
        kind: 'RELINKED',
        detail: `the record in place ${expected} says it is record ${record.sequence}: moved or duplicated`,
      });
    }
    if (hashOf(record) !== record.hash)
      return broken({
        sequence: expected,
        kind: 'EDITED',
        detail: `record ${expected} does not match its hash`,
      });
    if (record.prevHash !== last.hash)
      return broken({
        sequence: expected,
        kind: 'RELINKED',
        detail: `record ${expected} does not link to record ${last.sequence}: one of them was rewritten`,
      });
    last = { sequence: record.sequence, hash: record.hash };
  }
  const { head } = options;
  if (head) {
    if (last.sequence < head.sequence)
      return broken({
        sequence: last.sequence + 1,
        kind: 'MISSING',
        detail: `the chain ends at record ${last.sequence}, its head at record ${head.sequence}`,
      });
    if (last.sequence > head.sequence)
      return broken({
        sequence: head.sequence + 1,
        kind: 'RELINKED',
        detail: `record ${head.sequence + 1} lies beyond the head (record ${head.sequence}): it was not appended by the system`,
      });
    if (last.hash !== head.hash)
      return broken({
        sequence: last.sequence,
        kind: 'EDITED',
        detail: `record ${last.sequence} does not match the hash the head holds for it`,
      });
  }
  return { intact: true, last };
}
