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

/** The bank's core-banking system, which moves the money. */
export interface CoreBanking {
  transfer(request: TransferRequest): Promise<Transfer>;
  /** Collects a repayment from the enterprise's settlement account (a repayment or an auto-debit). */
  debit(request: DebitRequest): Promise<Debit>;
}

export interface DebitRequest {
  /** Our idempotency reference: the core system books at most one debit per reference. */
  reference: string;
  amount: MoneyJson;
  /** The enterprise's settlement account, identified by its uscc in this version. */
  accountUscc: string;
  memo: string;
}

export type Debit =
  | { status: 'BOOKED'; debitId: string; reference: string; amount: MoneyJson; bookedAt: string }
  /** Nothing was taken; the same reference may be tried again once the account has funds. */
  | { status: 'INSUFFICIENT_FUNDS'; reference: string };
