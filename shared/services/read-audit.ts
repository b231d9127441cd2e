import { type AuditHead, type ChainBreak, GENESIS, verifyChain } from '../domain/audit.js';
import { ValidationError } from '../domain/errors.js';
import type { AuditPage } from '../ports/stores.js';
import type { Dependencies } from './dependencies.js';

/** The longest time range one audit query covers: a month, so that a page is always bounded work. */
export const MAX_AUDIT_WINDOW_DAYS = 31;
const DAY_MS = 86_400_000;

export interface AuditQuery {
  entity?: string;
  actor?: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

/**
 * An auditor reads the trail: the records about one entity, the records of one actor, or the
 * records of a time range of at most MAX_AUDIT_WINDOW_DAYS, oldest first, a page at a time.
 * Errors name the query parameter (`query.from`, `query.to`, `query.cursor`), as the
 * statements' do.
 */
export async function listAudit(deps: Pick<Dependencies, 'audit'>, query: AuditQuery): Promise<AuditPage> {
  const page = { limit: query.limit, cursor: query.cursor };
  if (query.entity !== undefined) return deps.audit.byEntity(query.entity, page);
  if (query.actor !== undefined) return deps.audit.byActor(query.actor, page);
  const { from, to } = checkAuditWindow(query.from, query.to);
  return deps.audit.between(from, to, page);
}

/** A time range as the index keys write instants (toISOString), refused if reversed or too long. */
export function checkAuditWindow(from: string | undefined, to: string | undefined) {
  if (from === undefined) throw new ValidationError('give entity, actor, or from and to', 'query.from');
  if (to === undefined) throw new ValidationError('from and to go together', 'query.to');
  const start = Date.parse(from);
  const end = Date.parse(to);
  if (Number.isNaN(start)) throw new ValidationError('must be an ISO 8601 instant', 'query.from');
  if (Number.isNaN(end)) throw new ValidationError('must be an ISO 8601 instant', 'query.to');
  if (start > end) throw new ValidationError(`from ${from} is after to ${to}`, 'query.from');
  if (end - start > MAX_AUDIT_WINDOW_DAYS * DAY_MS) {
    const days = Math.ceil((end - start) / DAY_MS);
    throw new ValidationError(
      `the range spans ${days} days; an audit query covers at most ${MAX_AUDIT_WINDOW_DAYS}`,
      'query.to',
    );
  }
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}

export interface AuditVerification {
  intact: boolean;
  fromSequence: number;
  /** The last record found intact (fromSequence − 1 when none was). */
  verifiedThrough: number;
  head: AuditHead;
  firstBreak?: ChainBreak;
  nextFromSequence?: number;
}

/**
 * Verifies up to `limit` records of the chain from `fromSequence` on:
 * 1. The head is read first, so records committed meanwhile (past it) are not mistaken for forgeries.
 * 2. Records `fromSequence − 1` to `min(head, fromSequence + limit − 1)` are read in order. The
 *    one before `fromSequence` is the anchor: its own hash is checked, its link to its
 *    predecessor is taken on trust (a caller checks a long chain call by call).
 * 3. Each must follow the one before: present (a gap is MISSING), unedited (EDITED), linked to
 *    its predecessor's hash (RELINKED); when the check reaches the head, the last record must
 *    be the head's, and no record may lie beyond it.
 * The answer names the first break, or where to go on from.
 */
export async function verifyAuditTrail(
  deps: Pick<Dependencies, 'audit'>,
  input: { fromSequence: number; limit: number },
): Promise<AuditVerification> {
  const { fromSequence, limit } = input;
  const head = await deps.audit.head();
  if (fromSequence > head.sequence + 1)
    throw new ValidationError(
      `the chain ends at record ${head.sequence}; start at most at ${head.sequence + 1}`,
      'query.fromSequence',
    );
  const through = Math.min(head.sequence, fromSequence + limit - 1);
  const anchorSequence = fromSequence - 1;
  const records = through >= fromSequence ? await deps.audit.range(Math.max(1, anchorSequence), through) : [];
  const answer = (verdict: { intact: boolean; verifiedThrough: number; firstBreak?: ChainBreak }) => ({
    ...verdict,
    fromSequence,
    head,
    ...(verdict.intact && verdict.verifiedThrough < head.sequence
      ? { nextFromSequence: verdict.verifiedThrough + 1 }
      : {}),
  });
  if (through < fromSequence) {
    // Nothing left to read: the check starts at the head, and only what lies past it can be wrong.
    const forged = await beyondHead(deps, head);
    return answer({
      intact: !forged,
      verifiedThrough: anchorSequence,
      ...(forged ? { firstBreak: forged } : {}),
    });
  }

  let after: AuditHead = GENESIS;
  if (anchorSequence >= 1) {
    const anchor = records[0];
    if (anchor?.sequence !== anchorSequence)
      return answer({
        intact: false,
        verifiedThrough: anchorSequence,
        firstBreak: {
          sequence: anchorSequence,
          kind: 'MISSING',
          detail: `there is no record ${anchorSequence}, which record ${fromSequence} must follow`,
        },
      });
    after = { sequence: anchorSequence - 1, hash: anchor.prevHash };
  }
  const reachesHead = through === head.sequence;
  const verdict = verifyChain(records, { after, ...(reachesHead ? { head } : {}) });
  if (verdict.intact && reachesHead) {
    const forged = await beyondHead(deps, head);
    if (forged) return answer({ intact: false, verifiedThrough: verdict.last.sequence, firstBreak: forged });
  }
  if (verdict.intact) return answer({ intact: true, verifiedThrough: verdict.last.sequence });
  return answer({
    intact: false,
    verifiedThrough: Math.max(anchorSequence, verdict.lastIntact.sequence),
    firstBreak: verdict.firstBreak,
  });
}

/**
 * A record past the head that no transaction of the system wrote: every append moves the head
 * with its records, so a record found there while a fresh read of the head is still short of
 * it was put by hand. (One appended since the head was first read is found with its head.) It
 * also blocks every later append, whose put of that sequence number then fails.
 */
async function beyondHead(
  deps: Pick<Dependencies, 'audit'>,
  head: AuditHead,
): Promise<ChainBreak | undefined> {
  const next = head.sequence + 1;
  const [record] = await deps.audit.range(next, next);
  if (!record) return undefined;
  const now = await deps.audit.head();
  if (now.sequence >= next) return undefined;
  return {
    sequence: next,
    kind: 'RELINKED',
    detail: `record ${next} lies beyond the head (record ${now.sequence}): it was not appended by the system`,
  };
}
