import type { Product } from './decisioning/types.js';
import { Money, type MoneyJson } from './money.js';
import {
  type AllocationBucket,
  JournalEntry,
  type LoanStateJson,
  type PendingRepayment,
  type RepaymentMethod,
} from './servicing/index.js';

/**
 * What the apply-to-disburse workflow books. Servicing (draw-downs, schedules, accrual,
 * repayments, the ledger) builds on these records; amounts are decimal strings in CNY.
 */
export interface CreditLineRecord {
  creditLineId: string;
  applicationId: string;
  uscc: string;
  status: 'ACTIVE' | 'FROZEN' | 'EXPIRED' | 'CLOSED';
  limit: MoneyJson;
  used: MoneyJson;
  available: MoneyJson;
  annualRate: string;
  openedAt: string;
  expiresOn: string;
}

export type DrawdownStatus = 'REQUESTED' | 'DISBURSED';

/** A draw-down on a credit line: reserved on the line when requested, a loan once disbursed. */
export interface DrawdownRecord {
  drawdownId: string;
  creditLineId: string;
  uscc: string;
  status: DrawdownStatus;
  amount: MoneyJson;
  termMonths: number;
  repaymentMethod: RepaymentMethod;
  dueDay: number;
  requestedAt: string;
  requestedBy: string;
  /** The loan the draw-down becomes, fixed at request time so a redelivery books the same one. */
  loanId: string;
  transferId?: string;
  disbursedAt?: string;
}

export type RepaymentChannel = 'API' | 'AUTO_DEBIT';

/** A repayment received and booked; its allocation says which buckets it paid. */
export interface RepaymentRecord {
  repaymentId: string;
  loanId: string;
  uscc: string;
  channel: RepaymentChannel;
  amount: MoneyJson;
  businessDate: string;
  receivedAt: string;
  /** The core-banking debit that collected it. */
  debitId: string;
  allocation: {
    penaltyInterest: string;
    overdueInterest: string;
    overduePrincipal: string;
    currentInterest: string;
    currentPrincipal: string;
  };
  /** Principal repaid ahead of the schedule; when positive the schedule was re-amortised. */
  prepaidPrincipal: string;
  reamortisation: 'SHORTEN_TERM' | 'LOWER_INSTALMENT';
  settled: boolean;
  /**
   * BOOKED (also when absent, on records from before refunds existed): allocated to the loan.
   * REFUNDING, then REFUNDED: the loan could not take the money once debited (written off,
   * settled meanwhile), so it goes back to the account under `refund.reference`; nothing is
   * allocated.
   */
  status?: 'BOOKED' | 'REFUNDING' | 'REFUNDED';
  refund?: { reference: string; reason: string; refundId?: string; refundedAt?: string };
}

export type LoanStatus = 'ACTIVE' | 'OVERDUE' | 'SETTLED' | 'WRITTEN_OFF';

/** Loans the nightly jobs visit: anything still owing. */
export const OPEN_LOAN_STATUSES: readonly LoanStatus[] = ['ACTIVE', 'OVERDUE'];

export interface LoanRecord {
  loanId: string;
  /** The application that approved the credit (for a draw-down, the credit line's application). */
  applicationId: string;
  creditLineId?: string;
  /** Set when the loan is a draw-down on a credit line other than the first one. */
  drawdownId?: string;
  uscc: string;
  product: Product;
  /** OVERDUE while any principal or interest is past due and unpaid. */
  status: LoanStatus;
  principal: MoneyJson;
  outstandingPrincipal: MoneyJson;
  annualRate: string;
  termMonths: number;
  disbursedAt: string;
  /** The business date of the disbursement. */
  disbursedOn: string;
  maturityDate: string;
  transferId: string;
  repaymentMethod: RepaymentMethod;
  /** Day of the month instalments fall due. */
  dueDay: number;
  /** The servicing state: balances by bucket, what is accrued, and the schedule in force. */
  servicing: LoanStateJson;
  /** The order a repayment pays the buckets in, fixed by the product's terms when the loan opened. */
  allocationOrder: AllocationBucket[];
  /** The first day of the current arrears, while OVERDUE. */
  overdueSince?: string;
  settledOn?: string;
  /** Set when the loan was written off: when, by whom, why, and how much left the books. */
  writtenOff?: { on: string; by: string; reason: string; amount: string };
  /** Bumped by every servicing write; a write names the version it read (optimistic concurrency). */
  version: number;
  lastMonitoredOn?: string;
  /** Repayments being collected (debit asked, booking not yet written); see PendingRepayment. */
  pendingRepayments?: PendingRepayment[];
}

/** A journal entry as stored: one item per entry, lines with exact amounts. */
export function journalJson(entry: JournalEntry) {
  return {
    loanId: entry.loanId,
    businessDate: entry.businessDate,
    kind: entry.kind,
    reference: entry.reference,
    lines: entry.lines.map((line) => ({
      account: line.account,
      side: line.side,
      amount: line.amount.toString(),
    })),
  };
}

export type JournalEntryJson = ReturnType<typeof journalJson>;

/** Reads a stored entry back; the constructor checks again that it balances. */
export function journalFromJson(json: JournalEntryJson): JournalEntry {
  return new JournalEntry({
    loanId: json.loanId,
    businessDate: json.businessDate,
    kind: json.kind,
    reference: json.reference,
    lines: json.lines.map((line) => ({ ...line, amount: Money.parse(line.amount) })),
  });
}
