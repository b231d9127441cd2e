import { businessDate } from '../domain/business-date.js';
import {
  ConflictError,
  IdempotencyKeyReusedError,
  OutcomeUnknownError,
  ValidationError,
} from '../domain/errors.js';
import type { LoanRecord, RepaymentRecord } from '../domain/loan.js';
import { Money } from '../domain/money.js';
import {
  addDays,
  assertReservable,
  assertWithinPayoff,
  type PendingRepayment,
  repay,
  repaymentEntry,
} from '../domain/servicing/index.js';
import type { Debit } from '../ports/core-banking.js';
import { IdempotencyRecordExistsError, StaleLoanError } from '../ports/stores.js';
import type { Dependencies } from './dependencies.js';
import { idempotencyClaim } from './idempotency.js';
import { accrueLoan, isOpen, loanEvent, loanState, reload, withState } from './loan-servicing.js';

/**
 * A repayment moves money only as a durable sequence, the same for the API and the auto-debit:
 *
 * 1. reserve: the intent (id = core-banking reference, amount, channel) is written on the loan,
 *    conditionally on the loan's version and only if the amount fits in the payoff less what
 *    other pending repayments already hold, so concurrent repayments can never together
 *    exceed the payoff;
 * 2. collect: the debit, under the intent's reference (a retry gets the same debit back);
 * 3. settle: the booking (allocation, journal entry, repayment record, events) in one
 *    transaction that also removes the intent; if the loan can no longer take the money
 *    (written off meanwhile, or the intent was released and the payoff has no room), the
 *    repayment is recorded REFUNDING in that transaction instead and the debit is refunded
 *    under `RF-<reference>`.
 *
 * A crash between any two steps leaves either an intent on the loan or a debit in core
 * banking's statement; reconciliation (reconcile.ts) finishes both. The repayment record's
 * key is the reference, written at most once, so a booking and a refund can never both win.
 */

/** How many times a step is recomputed when another writer changed the loan first. */
const ATTEMPTS = 8;

export const REPAYMENTS_SCOPE = 'repayments';

export const refundReference = (repaymentId: string) => `RF-${repaymentId}`;

export type Intent = Omit<PendingRepayment, 'reservedAt' | 'businessDate'>;

/** The loan with `pending` as its intents (none: no attribute), at the next version by default. */
function withPending(loan: LoanRecord, pending: PendingRepayment[], version = loan.version + 1): LoanRecord {
  const { pendingRepayments: _, ...rest } = loan;
  return { ...rest, ...(pending.length > 0 ? { pendingRepayments: pending } : {}), version };
}

const busy = (loanId: string) =>
  new ConflictError(`loan ${loanId} is being changed by other requests right now; retry in a moment`);

/**
 * Step 1. Returns the loan as it stands with the intent recorded (the one already there, for a
 * twin), or the repayment record when a twin has settled it already.
 *
 * With `claimKey` (an API request whose key has no idempotency record yet) the record is written
 * in the same transaction as the intent, so the key is bound to this request before any money
 * moves: a request with the same key and another body (another amount, another loan) finds it
 * and is refused instead of debiting. IdempotencyRecordExistsError when another request claimed
 * the key first; the caller reads the record to tell a twin from a reuse.
 */
export async function reserveRepayment(
  deps: Pick<Dependencies, 'loans' | 'clock'>,
  loan: LoanRecord,
  today: string,
  intent: Intent,
  { claimKey = false }: { claimKey?: boolean } = {},
): Promise<{ loan: LoanRecord; pending: PendingRepayment } | { done: RepaymentRecord }> {
  let current = loan;
  for (let attempt = 1; ; attempt++) {
    current = (await accrueLoan(deps, current, addDays(today, -1))).loan;
    const existing = current.pendingRepayments?.find((p) => p.repaymentId === intent.repaymentId);
    if (existing) {
      if (existing.requestDigest !== intent.requestDigest || existing.amount.amount !== intent.amount.amount)
        throw new IdempotencyKeyReusedError(
          'this Idempotency-Key is in use for a repayment with a different request body; use a new key',
        );
      return { loan: current, pending: existing };
    }
    // Read after the loan: a booking that committed before that read shows here, and one that
    // commits after it moves the loan's version, so the reservation below cannot win.
    const done = await deps.loans.getRepayment(current.loanId, intent.repaymentId);
    if (done) return { done };
    if (!isOpen(current))
      throw new ConflictError(`loan ${current.loanId} is ${current.status}; there is nothing to repay`);
    const others = current.pendingRepayments ?? [];
    assertReservable(loanState(current), today, Money.fromJson(intent.amount), others);
    const pending: PendingRepayment = {
      ...intent,
      businessDate: today,
      reservedAt: deps.clock.now().toISOString(),
    };
    const updated = withPending(current, [...others, pending]);
    const claim =
      claimKey && intent.idempotency && intent.requestDigest
        ? idempotencyClaim(
            REPAYMENTS_SCOPE,
            intent.idempotency.principal,
            intent.idempotency.key,
            {
              requestDigest: intent.requestDigest,
              statusCode: 202,
              response: { repaymentId: intent.repaymentId, loanId: current.loanId, amount: intent.amount },
              resourceId: intent.repaymentId,
            },
            deps.clock.now(),
          )
        : undefined;
    try {
      await deps.loans.commit({
        loan: updated,
        expectedVersion: current.version,
        journal: [],
        events: [],
        idempotency: claim,
      });
      return { loan: updated, pending };
    } catch (error) {
      if (!(error instanceof StaleLoanError)) throw error;
      if (attempt >= ATTEMPTS) throw busy(current.loanId);
      current = await reload(deps, current.loanId);
    }
  }
}

/**
 * Step 2. A debit refused for want of funds releases the intent (nothing was taken); a debit
 * whose answer was lost keeps it, for a retry or reconciliation to finish.
 */
export async function collectRepayment(
  deps: Pick<Dependencies, 'loans' | 'coreBanking'>,
  loan: LoanRecord,
  pending: PendingRepayment,
): Promise<Debit> {
  let debit: Debit;
  try {
    debit = await deps.coreBanking.debit({
      reference: pending.repaymentId,
      amount: pending.amount,
      accountUscc: loan.uscc,
      loanId: loan.loanId,
      memo: `Fast-loan ${pending.channel === 'API' ? 'repayment' : 'auto-debit'} of ${loan.loanId}`,
    });
  } catch (error) {
    throw new OutcomeUnknownError(
      `core banking did not confirm the debit ${pending.repaymentId} of ${pending.amount.amount}; it is recorded and will be booked or released: retry with the same Idempotency-Key`,
      { cause: error },
    );
  }
  if (debit.status === 'INSUFFICIENT_FUNDS') await releaseRepayment(deps, loan.loanId, pending.repaymentId);
  else if (debit.amount.amount !== pending.amount.amount)
    throw new IdempotencyKeyReusedError(
      `core banking holds a debit ${pending.repaymentId} of another amount (${debit.amount.amount}); use a new key`,
    );
  return debit;
}

/** Removes an intent whose debit never happened (or never will); nothing if it is gone already. */
export async function releaseRepayment(
  deps: Pick<Dependencies, 'loans'>,
  loanId: string,
  repaymentId: string,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const loan = await reload(deps, loanId);
    const pending = loan.pendingRepayments ?? [];
    if (!pending.some((p) => p.repaymentId === repaymentId)) return;
    try {
      await deps.loans.commit({
        loan: withPending(
          loan,
          pending.filter((p) => p.repaymentId !== repaymentId),
        ),
        expectedVersion: loan.version,
        journal: [],
        events: [],
      });
      return;
    } catch (error) {
      if (!(error instanceof StaleLoanError)) throw error;
      if (attempt >= ATTEMPTS) throw busy(loanId);
    }
  }
}

/**
 * Step 3. Books a collected debit on its loan, or, when the loan cannot take it, records the
 * refund and makes it. Safe to run again and from anywhere (the request, its twin, a retry,
 * reconciliation): whoever writes the repayment record first decides, the others read it.
 */
export async function settleRepayment(
  deps: Pick<Dependencies, 'loans' | 'coreBanking' | 'clock'>,
  loanId: string,
  intent: PendingRepayment,
  debitId: string,
): Promise<{ repayment: RepaymentRecord; loan: LoanRecord; alreadySettled: boolean }> {
  const amount = Money.fromJson(intent.amount);
  for (let attempt = 1; ; attempt++) {
    const loan = await reload(deps, loanId);
    const done = await deps.loans.getRepayment(loanId, intent.repaymentId);
    if (done) {
      // A twin's reservation can outlive the booking it raced with; it holds no money.
      if (loan.pendingRepayments?.some((p) => p.repaymentId === intent.repaymentId))
        await releaseRepayment(deps, loanId, intent.repaymentId);
      return {
        repayment: await finishRefund(deps, done),
        loan: await reload(deps, loanId),
        alreadySettled: true,
      };
    }
    const today = businessDate(deps.clock.now());
    const others = (loan.pendingRepayments ?? []).filter((p) => p.repaymentId !== intent.repaymentId);
    const reserved = others.length !== (loan.pendingRepayments?.length ?? 0);
    try {
      try {
        if (!isOpen(loan)) throw new ConflictError(`loan ${loanId} is ${loan.status}`);
        const current = (await accrueLoan(deps, loan, addDays(today, -1))).loan;
        // An intent released meanwhile (its debit seemed never to happen) holds no room: the debit must fit now.
        if (!reserved) assertWithinPayoff(loanState(current), today, amount, others);
        return { ...(await book(deps, current, today, intent, debitId, others)), alreadySettled: false };
      } catch (error) {
        if (!(error instanceof ValidationError || error instanceof ConflictError)) throw error;
        const reason =
          error instanceof ValidationError
            ? `the payoff of loan ${loanId} has no room for it: ${error.message}`
            : `${error.message}; it can take no repayment`;
        const repayment = await refund(deps, loan, today, intent, debitId, others, reason);
        return { repayment, loan, alreadySettled: false };
      }
    } catch (error) {
      if (!(error instanceof StaleLoanError || error instanceof IdempotencyRecordExistsError)) throw error;
      if (attempt >= ATTEMPTS) throw busy(loanId);
    }
  }
}

async function book(
  deps: Pick<Dependencies, 'loans' | 'clock'>,
  current: LoanRecord,
  date: string,
  intent: PendingRepayment,
  debitId: string,
  others: PendingRepayment[],
): Promise<{ repayment: RepaymentRecord; loan: LoanRecord }> {
  const amount = Money.fromJson(intent.amount);
  const outcome = repay(loanState(current), date, amount, {
    reamortisation: intent.reamortisation,
    order: current.allocationOrder,
  });
  const { allocation } = outcome;
  const updated = withPending(withState(current, outcome.state, date), others, current.version + 1);
  const now = deps.clock.now();
  const repayment: RepaymentRecord = {
    repaymentId: intent.repaymentId,
    loanId: current.loanId,
    uscc: current.uscc,
    channel: intent.channel,
    amount: intent.amount,
    businessDate: date,
    receivedAt: now.toISOString(),
    debitId,
    allocation: {
      penaltyInterest: allocation.penaltyInterest.toString(),
      overdueInterest: allocation.overdueInterest.toString(),
      overduePrincipal: allocation.overduePrincipal.toString(),
      currentInterest: allocation.currentInterest.toString(),
      currentPrincipal: allocation.currentPrincipal.toString(),
    },
    prepaidPrincipal: outcome.prepaidPrincipal.toString(),
    reamortisation: intent.reamortisation,
    settled: updated.status === 'SETTLED',
    status: 'BOOKED',
  };
  const principalRepaid = allocation.overduePrincipal.add(allocation.currentPrincipal);
  await deps.loans.commit({
    loan: updated,
    expectedVersion: current.version,
    journal: [
      repaymentEntry(
        { loanId: current.loanId, businessDate: date, reference: repayment.repaymentId },
        allocation,
      ),
    ],
    events: [
      loanEvent(current, 'repayment.received', now, {
        repaymentId: repayment.repaymentId,
        channel: repayment.channel,
        amount: repayment.amount,
        allocation: repayment.allocation,
        outstandingPrincipal: updated.outstandingPrincipal,
      }),
      ...(updated.status === 'SETTLED'
        ? [loanEvent(current, 'loan.settled', now, { settledOn: date, principal: current.principal })]
        : []),
    ],
    repayment,
    // The key's idempotency record was written with the intent (reserveRepayment).
    creditLineRelease: current.creditLineId
      ? { creditLineId: current.creditLineId, amount: principalRepaid }
      : undefined,
  });
  return { repayment, loan: updated };
}

/** Records the repayment REFUNDING (releasing its intent) in one transaction, then makes the refund. */
async function refund(
  deps: Pick<Dependencies, 'loans' | 'coreBanking' | 'clock'>,
  loan: LoanRecord,
  date: string,
  intent: PendingRepayment,
  debitId: string,
  others: PendingRepayment[],
  reason: string,
): Promise<RepaymentRecord> {
  const now = deps.clock.now();
  const zero = Money.zero().toString();
  const repayment: RepaymentRecord = {
    repaymentId: intent.repaymentId,
    loanId: loan.loanId,
    uscc: loan.uscc,
    channel: intent.channel,
    amount: intent.amount,
    businessDate: date,
    receivedAt: now.toISOString(),
    debitId,
    allocation: {
      penaltyInterest: zero,
      overdueInterest: zero,
      overduePrincipal: zero,
      currentInterest: zero,
      currentPrincipal: zero,
    },
    prepaidPrincipal: zero,
    reamortisation: intent.reamortisation,
    settled: false,
    status: 'REFUNDING',
    refund: { reference: refundReference(intent.repaymentId), reason },
  };
  await deps.loans.commit({
    loan: withPending(loan, others),
    expectedVersion: loan.version,
    journal: [],
    events: [
      loanEvent(loan, 'repayment.refunded', now, {
        repaymentId: repayment.repaymentId,
        channel: repayment.channel,
        amount: repayment.amount,
        refundReference: repayment.refund?.reference,
      }),
    ],
    repayment,
  });
  return finishRefund(deps, repayment);
}

/**
 * Makes the refund of a REFUNDING repayment and marks it REFUNDED; a BOOKED or REFUNDED one is
 * returned as it is. If core banking does not answer, the record stays REFUNDING for a retry or
 * reconciliation (the refund's reference makes a second call harmless).
 */
export async function finishRefund(
  deps: Pick<Dependencies, 'loans' | 'coreBanking'>,
  repayment: RepaymentRecord,
): Promise<RepaymentRecord> {
  if (repayment.status !== 'REFUNDING' || !repayment.refund) return repayment;
  try {
    const made = await deps.coreBanking.refund({
      reference: repayment.refund.reference,
      debitReference: repayment.repaymentId,
      amount: repayment.amount,
      accountUscc: repayment.uscc,
      memo: `Fast-loan refund of ${repayment.repaymentId} on ${repayment.loanId}`,
    });
    await deps.loans.completeRefund(repayment.loanId, repayment.repaymentId, {
      refundId: made.refundId,
      refundedAt: made.bookedAt,
    });
    return {
      ...repayment,
      status: 'REFUNDED',
      refund: { ...repayment.refund, refundId: made.refundId, refundedAt: made.bookedAt },
    };
  } catch {
    return repayment;
  }
}

/** The error a repayment whose debit went back answers with (409). */
export function refundedError(repayment: RepaymentRecord): ConflictError {
  const state = repayment.status === 'REFUNDED' ? 'was refunded' : 'is being refunded';
  return new ConflictError(
    `repayment ${repayment.repaymentId} was not booked: ${repayment.refund?.reason ?? 'the loan could not take it'}; the ${repayment.amount.amount} debited ${state} under ${repayment.refund?.reference}`,
  );
}
