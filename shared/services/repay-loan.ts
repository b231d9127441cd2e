import { businessDate } from '../domain/business-date.js';
import {
  ConflictError,
  IdempotencyKeyReusedError,
  InsufficientFundsError,
  OutcomeUnknownError,
  ValidationError,
} from '../domain/errors.js';
import type { LoanRecord, RepaymentRecord } from '../domain/loan.js';
import { Money } from '../domain/money.js';
import {
  addDays,
  amountDue,
  assertInPayoffWindow,
  owedOn,
  payoff,
  payoffWindow,
  pendingTotal,
  type Reamortisation,
  totalOwed,
} from '../domain/servicing/index.js';
import { IdempotencyRecordExistsError } from '../ports/stores.js';
import {
  collectRepayment,
  finishRefund,
  REPAYMENTS_SCOPE,
  refundedError,
  reserveRepayment,
  settleRepayment,
} from './collect-repayment.js';
import type { Dependencies } from './dependencies.js';
import { idempotentId, replayOf, requestDigest } from './idempotency.js';
import { accrueLoan, isOpen, loanEvent, loanState, reload } from './loan-servicing.js';
import type { Principal } from './principal.js';
import { visibleLoan } from './read-models.js';

export interface RepaymentRequest {
  amount: { amount: string; currency: 'CNY' };
  /** How a prepayment re-amortises the rest; LOWER_INSTALMENT keeps the dates and lowers the instalments. */
  prepayment?: Reamortisation;
}

/**
 * A repayment the enterprise makes from its settlement account (Idempotency-Key), as the
 * durable sequence of collect-repayment.ts: the intent is reserved on the loan against the
 * payoff, the settlement account is debited under a reference derived from the key, and the
 * debit is booked (or, if the loan can no longer take it, refunded). A retry with the same key
 * continues wherever the first attempt stopped and never debits twice.
 */
export async function repayLoan(
  deps: Pick<Dependencies, 'loans' | 'applications' | 'coreBanking' | 'clock'>,
  input: { principal: Principal; loanId: string; idempotencyKey: string; request: RepaymentRequest },
): Promise<{ repayment: RepaymentRecord; loan: LoanRecord; replayed: boolean }> {
  const { principal, loanId, idempotencyKey, request } = input;
  const loan = await visibleLoan(deps, principal, loanId);
  const digest = requestDigest({ loanId, ...request });
  const claimed = () =>
    deps.applications.findIdempotency(REPAYMENTS_SCOPE, principal.subject, idempotencyKey);
  const claim = replayOf(await claimed(), digest, 'repayment');
  // The loan is part of the id, which is the debit's reference, so one key used on two loans can
  // never make two bookings of one debit. A key whose record names its repayment keeps that id.
  const repaymentId =
    claim?.resourceId ??
    idempotentId('RP', `${REPAYMENTS_SCOPE}/${loanId}`, principal.subject, idempotencyKey);
  // A repayment already under this id answers a replay, if it is this request's: the idempotency
  // record expires after a day and the repayment record does not, and a request with another
  // body may have booked it since the record was read.
  const replay = async (done: RepaymentRecord) => {
    // Compared as amounts: the record holds "1440.00" for a request that said "1440".
    if (
      Money.fromJson(done.amount).compare(Money.fromJson(request.amount, 'amount.amount')) !== 0 ||
      done.reamortisation !== (request.prepayment ?? 'LOWER_INSTALMENT')
    )
      throw new IdempotencyKeyReusedError(
        'this Idempotency-Key was already used for another repayment; use a new key for a new repayment',
      );
    return answer(deps, principal, await finishRefund(deps, done), true);
  };
  const done = await deps.loans.getRepayment(loanId, repaymentId);
  if (done) return replay(done);
  const amount = Money.fromJson(request.amount, 'amount.amount');
  const today = businessDate(deps.clock.now());
  const intent = {
    repaymentId,
    channel: 'API' as const,
    amount: amount.toJSON(),
    reamortisation: request.prepayment ?? 'LOWER_INSTALMENT',
    requestDigest: digest,
    idempotency: { principal: principal.subject, key: idempotencyKey },
  };
  let reserved: Awaited<ReturnType<typeof reserveRepayment>>;
  try {
    reserved = await reserveRepayment(deps, loan, today, intent, { claimKey: !claim });
  } catch (error) {
    if (!(error instanceof IdempotencyRecordExistsError)) throw error;
    // Another request took the key first: with another body (another amount, another loan) it
    // is refused here, before any debit; with the same body (a twin) this one goes on with it.
    replayOf(await claimed(), digest, 'repayment');
    reserved = await reserveRepayment(deps, loan, today, intent);
  }
  if ('done' in reserved) return replay(reserved.done);
  const debit = await collectRepayment(deps, reserved.loan, reserved.pending);
  if (debit.status === 'INSUFFICIENT_FUNDS')
    throw new InsufficientFundsError(
      `the settlement account of ${loan.uscc} cannot cover ${amount.toString()}; nothing was debited`,
    );
  const settled = await settleRepayment(deps, loanId, reserved.pending, debit.debitId);
  // A twin request with the same key may have booked it: the answer is then a replay.
  return answer(deps, principal, settled.repayment, settled.alreadySettled);
}

async function answer(
  deps: Pick<Dependencies, 'loans' | 'applications'>,
  principal: Principal,
  repayment: RepaymentRecord,
  replayed: boolean,
) {
  if (repayment.status === 'REFUNDING' || repayment.status === 'REFUNDED') throw refundedError(repayment);
  return { repayment, loan: await visibleLoan(deps, principal, repayment.loanId), replayed };
}

/**
 * The exact amount that settles the loan on `date` (default today): principal plus interest
 * accrued to the day before plus penalties, by bucket. A future date assumes nothing is paid
 * meanwhile. The date must lie in the payoff window: from today to the maturity date plus
 * PAYOFF_HORIZON_DAYS (today for a loan further past maturity than that); any other date is
 * refused at once, naming `query.date`, before any interest is computed.
 */
export async function quotePayoff(
  deps: Pick<Dependencies, 'loans' | 'clock'>,
  principal: Principal,
  loanId: string,
  date?: string,
) {
  const loan = await visibleLoan(deps, principal, loanId);
  if (!isOpen(loan)) throw new ConflictError(`loan ${loanId} is ${loan.status}; nothing is owed`);
  const today = businessDate(deps.clock.now());
  const on = date ?? today;
  const state = loanState(loan);
  assertInPayoffWindow(payoffWindow(state, today, loan.maturityDate), on, 'query.date');
  const owing = owedOn(state, on);
  return {
    loanId,
    date: on,
    amount: totalOwed(owing).toJSON(),
    breakdown: {
      penaltyInterest: owing.penaltyInterest.toString(),
      overdueInterest: owing.overdueInterest.toString(),
      overduePrincipal: owing.overduePrincipal.toString(),
      currentInterest: owing.currentInterest.toString(),
      currentPrincipal: owing.currentPrincipal.toString(),
    },
  };
}

export type AutoDebitOutcome =
  | 'NOTHING_DUE'
  | 'COLLECTED'
  | 'INSUFFICIENT_FUNDS'
  | 'ALREADY_COLLECTED'
  /** Other repayments being collected already cover what is due. */
  | 'COLLECTION_IN_PROGRESS'
  /** The loan could not take the debit (written off meanwhile); it was refunded. */
  | 'REFUNDED'
  /** Core banking did not answer; reconciliation books or releases it. */
  | 'OUTCOME_UNKNOWN';

/**
 * The auto-debit of business date `today` for one loan (run by the nightly job after the
 * accrual): on a due date it announces `instalment.due` and collects the instalment plus any
 * arrears; on other days it retries the arrears. It is the same durable sequence as a repayment
 * (collect-repayment.ts) under a reference fixed per loan and date, so a re-run collects nothing
 * twice; it asks for no more than the payoff leaves beside repayments already being collected.
 * A refused debit books nothing: the instalment falls overdue at the end of the day.
 */
export async function autoDebit(
  deps: Pick<Dependencies, 'loans' | 'coreBanking' | 'clock'>,
  loan: LoanRecord,
  today: string,
  /** Internal: how many times the amount was computed (see the reservation below). */
  attempt = 1,
): Promise<{ outcome: AutoDebitOutcome; loan: LoanRecord; events: ReturnType<typeof loanEvent>[] }> {
  const current = (await accrueLoan(deps, loan, addDays(today, -1))).loan;
  if (!isOpen(current)) return { outcome: 'NOTHING_DUE', loan: current, events: [] };
  const due = amountDue(loanState(current), today);
  const events = due.isDueDate
    ? [
        loanEvent(current, 'instalment.due', deps.clock.now(), {
          dueDate: today,
          instalment: due.instalment.toString(),
          arrears: due.arrears.toString(),
          amountDue: due.total.toString(),
        }),
      ]
    : [];
  if (due.total.isZero()) return { outcome: 'NOTHING_DUE', loan: current, events };
  const repaymentId = `AD-${current.loanId}-${today}`;
  if (await deps.loans.getRepayment(current.loanId, repaymentId))
    return { outcome: 'ALREADY_COLLECTED', loan: current, events };
  const others = (current.pendingRepayments ?? []).filter((p) => p.repaymentId !== repaymentId);
  const room = payoff(loanState(current), today).subtract(pendingTotal(others));
  const amount =
    current.pendingRepayments?.find((p) => p.repaymentId === repaymentId)?.amount ??
    Money.min(due.total, room).toJSON();
  if (Money.fromJson(amount).minor <= 0n) return { outcome: 'COLLECTION_IN_PROGRESS', loan: current, events };
  let reserved: Awaited<ReturnType<typeof reserveRepayment>>;
  try {
    reserved = await reserveRepayment(deps, current, today, {
      repaymentId,
      channel: 'AUTO_DEBIT',
      amount,
      reamortisation: 'LOWER_INSTALMENT',
    });
  } catch (error) {
    // A repayment (or this date's auto-debit from a re-run) reserved on the loan after it was
    // read, so the amount no longer fits or no longer matches: compute it again from the loan
    // as it is now, instead of failing the night's job.
    if ((error instanceof ValidationError || error instanceof IdempotencyKeyReusedError) && attempt < 3)
      return autoDebit(deps, await reload(deps, current.loanId), today, attempt + 1);
    throw error;
  }
  if ('done' in reserved) return { outcome: 'ALREADY_COLLECTED', loan: current, events };
  try {
    const debit = await collectRepayment(deps, reserved.loan, reserved.pending);
    if (debit.status === 'INSUFFICIENT_FUNDS')
      return { outcome: 'INSUFFICIENT_FUNDS', loan: await reload(deps, current.loanId), events };
    const settled = await settleRepayment(deps, current.loanId, reserved.pending, debit.debitId);
    const outcome = settled.repayment.status === 'BOOKED' ? 'COLLECTED' : 'REFUNDED';
    return { outcome, loan: settled.loan, events };
  } catch (error) {
    if (error instanceof OutcomeUnknownError) return { outcome: 'OUTCOME_UNKNOWN', loan: current, events };
    throw error;
  }
}
