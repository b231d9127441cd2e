import { ConflictError, ValidationError } from '../errors.js';
import { Money, type MoneyJson } from '../money.js';
import { payoff } from './allocation.js';
import type { LoanState } from './loan-state.js';
import type { Reamortisation } from './schedule.js';

/**
 * A repayment whose money is being collected: recorded on the loan before the core-banking
 * debit, so that the amounts being collected at once can never together exceed the payoff,
 * and so that a crash after the debit leaves a trace that reconciliation finishes.
 */
export interface PendingRepayment {
  /** The repayment's id, which is also the core-banking debit's reference. */
  repaymentId: string;
  channel: 'API' | 'AUTO_DEBIT';
  amount: MoneyJson;
  reamortisation: Reamortisation;
  /** The business date it was asked on. */
  businessDate: string;
  reservedAt: string;
  /** API: the digest of the request body, so the same key with another body is refused. */
  requestDigest?: string;
  /** API: who asked, and their Idempotency-Key, whose idempotency record the reservation writes. */
  idempotency?: { principal: string; key: string };
}

/** At most this many repayments of one loan are collected at once; the next waits for one to finish. */
export const MAX_PENDING_REPAYMENTS = 8;

export function pendingTotal(pending: readonly PendingRepayment[]): Money {
  return pending.reduce((sum, p) => sum.add(Money.fromJson(p.amount)), Money.zero());
}

/**
 * Refuses a new repayment that, together with those already being collected, would pay more
 * than the loan's payoff on `date`, or one more than MAX_PENDING_REPAYMENTS allow.
 */
export function assertReservable(
  state: LoanState,
  date: string,
  amount: Money,
  pending: readonly PendingRepayment[],
): void {
  if (pending.length >= MAX_PENDING_REPAYMENTS)
    throw new ConflictError(
      `${pending.length} repayments of this loan are being collected; retry once one has finished`,
    );
  assertWithinPayoff(state, date, amount, pending);
}

/**
 * Refuses an amount that, with the amounts of `pending` (the other repayments being collected),
 * would pay more than the loan's payoff on `date`, or a non-positive one. The field is the
 * request's `amount.amount`.
 */
export function assertWithinPayoff(
  state: LoanState,
  date: string,
  amount: Money,
  pending: readonly PendingRepayment[],
): void {
  if (amount.minor <= 0n) throw new ValidationError('amount must be more than zero', 'amount.amount');
  const total = payoff(state, date);
  const reserved = pendingTotal(pending);
  const room = total.subtract(reserved);
  if (amount.compare(room) > 0)
    throw new ValidationError(
      reserved.isZero()
        ? `amount ${amount.toString()} is more than the payoff ${total.toString()}`
        : `amount ${amount.toString()} is more than the payoff ${total.toString()} less ${reserved.toString()} being collected`,
      'amount.amount',
    );
}
