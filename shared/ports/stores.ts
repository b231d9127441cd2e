import type {
  ApplicationRecord,
  ApplicationStatus,
  Assessment,
  TimelineEntry,
} from '../domain/application.js';
import type { AuditHead, AuditRecord } from '../domain/audit.js';
import type { PartnerDataKind, PartnerDataRecord } from '../domain/decisioning/partner.js';
import type {
  BlacklistKind,
  CollectedData,
  InternalChecks,
  ScoreResult,
} from '../domain/decisioning/types.js';
import type { DomainEvent } from '../domain/events.js';
import type {
  CreditLineRecord,
  DrawdownRecord,
  JournalEntryJson,
  LoanRecord,
  RepaymentRecord,
} from '../domain/loan.js';
import type { Money } from '../domain/money.js';
import type { JournalEntry } from '../domain/servicing/index.js';

/** The idempotency record of a create already exists: a concurrent or earlier request with the same key. */
export class IdempotencyRecordExistsError extends Error {
  override name = 'IdempotencyRecordExistsError';
}

export interface IdempotencyRecord {
  requestDigest: string;
  statusCode: number;
  response: Record<string, unknown>;
  /** The resource the first request created, e.g. the application id. */
  resourceId: string;
}

export interface IdempotencyClaim {
  scope: string;
  principal: string;
  key: string;
  record: IdempotencyRecord;
  expiresAt: Date;
}

export interface ReviewRecord {
  applicationId: string;
  status: 'PENDING' | 'AWAITING_APPROVAL' | 'DECIDED' | 'EXPIRED';
  createdAt: string;
  uscc: string;
  enterpriseName: string;
  requestedAmount: string;
  proposedLimit?: string;
  reasons: { code: string; detail: string }[];
  decidedBy?: string;
  decidedAt?: string;
  outcome?: 'APPROVE' | 'DECLINE';
  /** For AWAITING_APPROVAL: the officer who proposed the approval, and its limit. */
  proposedBy?: string;
  approvalLimit?: string;
}

export interface Transition {
  applicationId: string;
  /** The status the caller read; the write fails with ConflictError if it changed meanwhile. */
  from: ApplicationStatus;
  to: ApplicationStatus;
  set?: Partial<Omit<ApplicationRecord, 'id' | 'status' | 'createdAt' | 'updatedAt'>>;
  remove?: (keyof ApplicationRecord)[];
  /** Fields that must still be absent: the write fails with ConflictError if another actor set one meanwhile. */
  unlessSet?: (keyof ApplicationRecord)[];
  events?: DomainEvent[];
  review?: ReviewRecord;
  /** The audit records of a staff action, written in the same transaction (see AuditAppend). */
  audit?: AuditAppend;
  at: string;
}

export interface ApplicationStore {
  /** Creates the application, its first event and the idempotency record atomically. */
  create(app: ApplicationRecord, event: DomainEvent, claim: IdempotencyClaim): Promise<void>;
  findIdempotency(scope: string, principal: string, key: string): Promise<IdempotencyRecord | undefined>;
  get(id: string): Promise<ApplicationRecord | undefined>;
  transition(t: Transition): Promise<void>;
  saveAssessment<K extends keyof Assessment>(
    id: string,
    part: K,
    value: Assessment[K],
    at: string,
  ): Promise<void>;
  /** Stores the snapshot unless one exists; returns the stored one, so a re-run stage decides on the first data. */
  saveSnapshot(id: string, data: CollectedData): Promise<CollectedData>;
  getSnapshot(id: string): Promise<CollectedData | undefined>;
  timeline(id: string): Promise<TimelineEntry[]>;
  listReviews(status: ReviewRecord['status'], limit: number): Promise<ReviewRecord[]>;
  /** Counts for the velocity rules: who else used these identifiers since `since`. */
  velocity(query: VelocityQuery): Promise<Omit<InternalChecks['velocity'], 'windowDays'>>;
  /**
   * Stores the Score stage's result and the score sample drift monitoring reads, in one
   * transaction; a re-run writes the same sample again, never a second one.
   */
  saveScore(id: string, score: ScoreResult, sample: ScoreSample, at: string): Promise<void>;
}

export interface VelocityQuery {
  applicationId: string;
  uscc: string;
  idNumberDigest: string;
  mobileDigest: string;
  since: string;
  /** The application's own creation time: later applications do not count as earlier ones. */
  createdAt: string;
}

export interface BlacklistEntry {
  entryId: string;
  kind: BlacklistKind;
  /** The uscc, or the masked ID or mobile number: never a personal number in clear. */
  display: string;
  reason: string;
  status: 'ACTIVE' | 'REMOVED';
  addedBy: string;
  addedAt: string;
  removedBy?: string;
  removedAt?: string;
  removalReason?: string;
}

/** A blacklist lookup key: the uscc, or the keyed digest of an ID or mobile number. */
export interface BlacklistKey {
  kind: BlacklistKind;
  key: string;
}

export class AlreadyListedError extends Error {
  override name = 'AlreadyListedError';
  constructor(readonly existing: BlacklistEntry) {
    super(`already on the blacklist as entry ${existing.entryId}`);
  }
}

/** The bank-managed blacklist: one active entry per key, every change recorded with who and why. */
export interface BlacklistStore {
  /** Adds the entry unless its key is already listed (AlreadyListedError), with its audit record. */
  add(entry: BlacklistEntry, key: BlacklistKey, audit: AuditAppend): Promise<void>;
  /** Marks the entry REMOVED and frees its key, with its audit record; ConflictError if it is not active. */
  remove(
    entryId: string,
    by: string,
    reason: string,
    at: string,
    audit: AuditAppend,
  ): Promise<BlacklistEntry>;
  get(entryId: string): Promise<BlacklistEntry | undefined>;
  listActive(limit: number): Promise<BlacklistEntry[]>;
  /** The active entries matching any of these keys. */
  matching(keys: BlacklistKey[]): Promise<BlacklistEntry[]>;
}

/**
 * Events the stream relay has not yet acted on. Every event item is written unrelayed; the
 * relay marks what it forwarded, and reconciliation re-relays what stayed unmarked too long.
 */
export interface EventOutbox {
  readonly shards: number;
  /** Unrelayed events of one shard that occurred before `before` (ISO instant), a page at a time. */
  unrelayed(
    shard: number,
    before: string,
    cursor?: string,
  ): Promise<{ events: DomainEvent[]; cursor?: string }>;
  markRelayed(events: readonly DomainEvent[]): Promise<void>;
}

/** The loan changed since it was read: reload it and compute the change again. */
export class StaleLoanError extends Error {
  override name = 'StaleLoanError';
}

/** A draw-down asked for more than the line has available (or the line is not active). */
export class CreditLineUnavailableError extends Error {
  override name = 'CreditLineUnavailableError';
}

/**
 * One servicing change to a loan, written in one transaction: the loan as it now stands (only
 * if the stored version is still `expectedVersion`), the balanced journal entries that book
 * it, the events that announce it, and the records that go with it.
 */
export interface ServicingCommit {
  loan: LoanRecord;
  expectedVersion: number;
  journal: JournalEntry[];
  events: DomainEvent[];
  repayment?: RepaymentRecord;
  idempotency?: IdempotencyClaim;
  /** Principal repaid on a credit line's draw-down, which the line makes available again. */
  creditLineRelease?: { creditLineId: string; amount: Money };
  /**
   * A write-off freezes the line the loan was drawn on: nothing more may be drawn. Only if the
   * line is still in the status the caller read (which its audit record shows as `before`);
   * StaleLoanError otherwise.
   */
  freezeCreditLine?: { creditLineId: string; expectedStatus: CreditLineRecord['status'] };
  /** The audit records of a staff action (a write-off), in the same transaction. */
  audit?: AuditAppend;
}

export interface LoanStore {
  /** Books the credit line (if any) and the loan, moves the application to DISBURSED, and writes the events, atomically. */
  activate(input: {
    creditLine?: CreditLineRecord;
    loan: LoanRecord;
    /** The disbursement's balanced journal entries, booked in the same transaction. */
    journal: JournalEntry[];
    application: Transition;
    /** The audit record of the line's opening (its limit), in the same transaction. */
    audit?: AuditAppend;
  }): Promise<void>;
  /** A loan's journal entries in booking order, optionally only the business dates from..to (inclusive). */
  journal(loanId: string, range?: { from?: string; to?: string }): Promise<JournalEntryJson[]>;
  getCreditLine(id: string): Promise<CreditLineRecord | undefined>;
  getLoan(id: string): Promise<LoanRecord | undefined>;
  /** Every loan drawn on a credit line (its first draw and each draw-down). */
  loansOfCreditLine(line: Pick<CreditLineRecord, 'creditLineId' | 'uscc'>): Promise<LoanRecord[]>;
  /**
   * Reserves the draw-down's amount on its line (used + amount ≤ limit, line active and not
   * expired) and records the draw-down, its event and the idempotency record, atomically.
   * CreditLineUnavailableError when the line cannot give it; IdempotencyRecordExistsError
   * when the key was used meanwhile.
   */
  requestDrawdown(input: {
    drawdown: DrawdownRecord;
    event: DomainEvent;
    idempotency: IdempotencyClaim;
    /** The business date of the request: the line must not have expired before it. */
    today: string;
  }): Promise<void>;
  getDrawdown(creditLineId: string, drawdownId: string): Promise<DrawdownRecord | undefined>;
  /** Draw-downs still REQUESTED that were asked for before `before` (ISO instant), oldest first, a page at a time. */
  requestedDrawdowns(
    before: string,
    cursor?: string,
  ): Promise<{ drawdowns: DrawdownRecord[]; cursor?: string }>;
  /** Marks the draw-down DISBURSED and books its loan, journal and events; false if it already was. */
  bookDrawdown(input: {
    drawdown: DrawdownRecord;
    loan: LoanRecord;
    journal: JournalEntry[];
    events: DomainEvent[];
  }): Promise<boolean>;
  /**
   * StaleLoanError when the loan's version moved or its journal entry or repayment record was
   * written meanwhile; IdempotencyRecordExistsError when the repayment's key was used meanwhile.
   */
  commit(change: ServicingCommit): Promise<void>;
  getRepayment(loanId: string, repaymentId: string): Promise<RepaymentRecord | undefined>;
  /** Marks a REFUNDING repayment REFUNDED once core banking booked its refund (idempotent). */
  completeRefund(
    loanId: string,
    repaymentId: string,
    refund: { refundId: string; refundedAt: string },
  ): Promise<void>;
  /** Open loans (ACTIVE or OVERDUE) are listed per shard, so a job can read the shards in parallel. */
  readonly activeLoanShards: number;
  /** Open loans of one shard, a page at a time. */
  activeLoans(shard: number, cursor?: string): Promise<{ loans: LoanRecord[]; cursor?: string }>;
  /** Records that the post-loan job visited a loan on a business date, with the events of the visit; false if it already had. */
  recordMonitoringRun(
    loanId: string,
    businessDate: string,
    at: string,
    observations: Record<string, unknown>,
    events?: DomainEvent[],
  ): Promise<boolean>;
}

export interface DisbursementRecord {
  applicationId: string;
  reference: string;
  status: 'REQUESTED' | 'COMPLETED';
  amount: string;
  requestedAt: string;
  transferId?: string;
  completedAt?: string;
}

export interface DisbursementStore {
  /** Creates the REQUESTED record unless one exists; returns the record that is stored afterwards. */
  claim(record: DisbursementRecord): Promise<DisbursementRecord>;
  complete(applicationId: string, transferId: string, at: string): Promise<void>;
}

/** The record of one accepted partner push (a signed webhook), kept so a redelivery stores nothing twice. */
export interface PartnerPushReceipt {
  partnerId: string;
  /** The Standard Webhooks `webhook-id`: the same on every redelivery of one message. */
  webhookId: string;
  /** SHA-256 (hex) of the raw body: the same id with another body is refused, not taken for a redelivery. */
  bodyDigest: string;
  receivedAt: string;
  uscc: string;
  platform: string;
  kind: PartnerDataKind;
  asOf: string;
  /** STORED: it became the latest data; SUPERSEDED: newer data of the platform was already stored. */
  outcome: 'STORED' | 'SUPERSEDED';
}

/** The receipt of a push exists already: a redelivery, or a concurrent duplicate. */
export class PartnerReceiptExistsError extends Error {
  override name = 'PartnerReceiptExistsError';
}

/** Partner platform data: the latest push per (uscc, platform, kind), and the receipts of pushes. */
export interface PartnerDataStore {
  /**
   * Keeps `record` as the latest data of its (uscc, platform, kind) and writes its receipt,
   * atomically. When data with a later `asOf` is stored already, only the receipt is written
   * (SUPERSEDED). Throws ConflictError when another partner supplies that platform's data for
   * the enterprise, PartnerReceiptExistsError when the receipt exists; either way nothing is written.
   */
  record(
    record: PartnerDataRecord,
    receipt: Omit<PartnerPushReceipt, 'outcome'>,
  ): Promise<PartnerPushReceipt>;
  findReceipt(partnerId: string, webhookId: string): Promise<PartnerPushReceipt | undefined>;
  /** The latest data of every platform that pushed about the enterprise (none for most). */
  latestFor(uscc: string, signal?: AbortSignal): Promise<PartnerDataRecord[]>;
}

/** One scored application, kept for monitoring the live score distribution (drift). */
export interface ScoreSample {
  applicationId: string;
  /** The application's business date ("YYYY-MM-DD", bank time zone): what report windows filter on. */
  appliedOn: string;
  score: number;
  modelVersion: string;
}

export interface ScoreSampleStore {
  /** Every sample with `from` <= appliedOn <= `to` (business dates, inclusive), oldest first. */
  between(from: string, to: string): Promise<ScoreSample[]>;
}

/**
 * Audit records to write together with the change they record, and the head of the chain
 * they were computed from: the write moves the head from `expected` to the last record only if
 * it is still `expected`, and puts each record only if its sequence number is free, in the
 * change's own transaction. So a refused change writes no record, and a record that cannot be
 * written refuses the change.
 */
export interface AuditAppend {
  expected: AuditHead;
  records: AuditRecord[];
}

/**
 * Another audited change moved the chain's head after it was read (or is moving it right now):
 * read the head again and retry, like StaleLoanError for a loan.
 */
export class StaleAuditHeadError extends Error {
  override name = 'StaleAuditHeadError';
}

export interface AuditPage {
  /** Oldest first (by sequence number, or by time for a time range). */
  records: AuditRecord[];
  /** Present when there may be more: pass it back for the next page. */
  cursor?: string;
}

export interface AuditPageRequest {
  limit: number;
  cursor?: string;
}

/** The audit trail, read side (the write side rides on the stores' transactions, as AuditAppend). */
export interface AuditLog {
  /** The end of the chain (GENESIS while it is empty), read consistently. */
  head(): Promise<AuditHead>;
  /** The records numbered `from` to `to` (inclusive) that exist, in order, read consistently. */
  range(from: number, to: number): Promise<AuditRecord[]>;
  /** The records about one application, loan, credit line or blacklist entry. */
  byEntity(entityId: string, page: AuditPageRequest): Promise<AuditPage>;
  /** The records of what one user (or job) did. */
  byActor(subject: string, page: AuditPageRequest): Promise<AuditPage>;
  /** The records with `from` <= at <= `to` (ISO instants as toISOString writes them). */
  between(from: string, to: string, page: AuditPageRequest): Promise<AuditPage>;
}
