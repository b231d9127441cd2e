import type { MoneyJson } from '../domain/money.js';

export interface TransferRequest {
  /** Our idempotency reference: the core system books at most one transfer per reference. */
  reference: string;
  amount: MoneyJson;
  /** The enterprise's settlement account, identified by its uscc in this version. */
  beneficiaryUscc: string;
  memo: string;
}

export interface Transfer {
  transferId: string;
  reference: string;
  amount: MoneyJson;
  bookedAt: string;
}

/**
 * The bank's core-banking system, which moves the money. Every movement carries our
 * reference, which the core system books at most once: asking again with the same reference
 * returns the first movement instead of making a second. A call whose answer is lost (a
 * timeout) may or may not have moved money; `status` says which.
 */
export interface CoreBanking {
  transfer(request: TransferRequest): Promise<Transfer>;
  /** Collects a repayment from the enterprise's settlement account (a repayment or an auto-debit). */
  debit(request: DebitRequest): Promise<Debit>;
  /** Gives a booked debit back to the account it came from, under its own reference. */
  refund(request: RefundRequest): Promise<Refund>;
  /** What the core system booked under a reference, if anything. */
  status(reference: string): Promise<Movement | undefined>;
  /**
   * Every movement booked from `from` (inclusive) to `to` (exclusive), ISO instants, a page at a
   * time: the statement reconciliation matches against the ledger.
   */
  movements(range: { from: string; to: string }, cursor?: string): Promise<MovementPage>;
}

export interface DebitRequest {
  /** Our idempotency reference: the core system books at most one debit per reference. */
  reference: string;
  amount: MoneyJson;
  /** The enterprise's settlement account, identified by its uscc in this version. */
  accountUscc: string;
  /** The loan account the money is collected for (so a statement line names its loan). */
  loanId: string;
  memo: string;
}

export type Debit =
  | { status: 'BOOKED'; debitId: string; reference: string; amount: MoneyJson; bookedAt: string }
  /** Nothing was taken; the same reference may be tried again once the account has funds. */
  | { status: 'INSUFFICIENT_FUNDS'; reference: string };

export interface RefundRequest {
  /** The refund's own reference (derived from the debit's), booked at most once. */
  reference: string;
  /** The debit it gives back: a refund is never more than that debit. */
  debitReference: string;
  amount: MoneyJson;
  accountUscc: string;
  memo: string;
}

export interface Refund {
  refundId: string;
  reference: string;
  debitReference: string;
  amount: MoneyJson;
  bookedAt: string;
}

/** One line of the core system's statement. */
export interface Movement {
  kind: 'TRANSFER' | 'DEBIT' | 'REFUND';
  /** The core system's own id (transferId, debitId or refundId). */
  id: string;
  reference: string;
  amount: MoneyJson;
  /** The enterprise's settlement account credited (TRANSFER, REFUND) or debited (DEBIT). */
  accountUscc: string;
  /** DEBIT: the loan it was collected for. */
  loanId?: string;
  /** REFUND: the debit it gave back. */
  debitReference?: string;
  bookedAt: string;
}

export interface MovementPage {
  movements: Movement[];
  cursor?: string;
}
