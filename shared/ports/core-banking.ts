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
}
