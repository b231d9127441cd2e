import { businessDate } from '../domain/business-date.js';
import { ConflictError, IdempotencyKeyReusedError, InsufficientFundsError } from '../domain/errors.js';
import type { LoanRecord, RepaymentRecord } from '../domain/loan.js';
import { Money } from '../domain/money.js';
import {
  addDays,
  amountDue,
  assertBusinessDate,
  owedOn,
  type Reamortisation,
  repay,
  totalOwed,
} from '../domain/servicing/index.js';
import { IdempotencyRecordExistsError } from '../ports/stores.js';
import type { Dependencies } from './dependencies.js';
import { idempotencyClaim, idempotentId, replayOf, requestDigest } from './idempotency.js';
import { accrueLoan, bookRepayment, isOpen, loanEvent, loanState } from './loan-servicing.js';
import type { Principal } from './principal.js';
import { visibleLoan } from './read-models.js';

export interface RepaymentRequest {
  amount: { amount: string; currency: 'CNY' };
  /** How a prepayment re-amortises the rest; LOWER_INSTALMENT keeps the dates and lowers the instalments. */
  prepayment?: Reamortisation;
}

const SCOPE = 'repayments';

/**
 * A repayment the enterprise makes from its settlement account (Idempotency-Key).
 * 1. Catches the loan's accrual up to yesterday, then allocates the amount on today's state
 *    as a dry run, so an amount above the payoff is refused before any money moves.
 * 2. Debits the settlement account through core banking under a reference derived from the
 *    key: a retry after a lost answer gets the same debit back, never a second one.
 * 3. Books it (bookRepayment) together with the idempotency record.
 */
export async function repayLoan(
  deps: Pick<Dependencies, 'loans' | 'applications' | 'coreBanking' | 'clock'>,
  input: { principal: Principal; loanId: string; idempotencyKey: string; request: RepaymentRequest },
): Promise<{ repayment: RepaymentRecord; loan: LoanRecord; replayed: boolean }> {
  const { principal, loanId, idempotencyKey, request } = input;
  let loan = await visibleLoan(deps, principal, loanId);
  const digest = requestDigest({ loanId, ...request });
  const repaymentId = idempotentId('RP', SCOPE, principal.subject, idempotencyKey);
  const replay = replayOf(
    await deps.applications.findIdempotency(SCOPE, principal.subject, idempotencyKey),
    digest,
    'repayment',
  );
  if (replay) {
    const repayment = await deps.loans.getRepayment(loanId, repaymentId);
    if (repayment) return { repayment, loan, replayed: true };
  }
  if (!isOpen(loan)) throw new ConflictError(`loan ${loanId} is ${loan.status}; there is nothing to repay`);
  const today = businessDate(deps.clock.now());
  const amount = Money.fromJson(request.amount, 'amount.amount');
  const reamortisation = request.prepayment ?? 'LOWER_INSTALMENT';
  loan = (await accrueLoan(deps, loan, addDays(today, -1))).loan;
  // Dry run: refuses a zero amount or one above the payoff, naming the field, before the debit.
  try {
    repay(loanState(loan), today, amount, { reamortisation, order: loan.allocationOrder });
  } catch (error) {
    if (error instanceof Error && 'field' in error && error.field === 'amount')
      Object.assign(error, { field: 'amount.amount' });
    throw error;
  }
  const debit = await deps.coreBanking.debit({
    reference: repaymentId,
    amount: amount.toJSON(),
    accountUscc: loan.uscc,
    memo: `Fast-loan repayment of ${loanId}`,
  });
  if (debit.status === 'INSUFFICIENT_FUNDS')
    throw new InsufficientFundsError(
      `the settlement account of ${loan.uscc} cannot cover ${amount.toString()}; nothing was debited`,
    );
  if (Money.fromJson(debit.amount).compare(amount) !== 0)
    throw new IdempotencyKeyReusedError(
      'this Idempotency-Key was already used for a repayment of another amount; use a new key',
    );
  try {
    const booked = await bookRepayment(deps, loan, today, {
      repaymentId,
      channel: 'API',
      amount,
      debitId: debit.debitId,
      reamortisation,
      idempotency: (repayment) =>
        idempotencyClaim(
          SCOPE,
          principal.subject,
          idempotencyKey,
          { requestDigest: digest, statusCode: 201, response: { ...repayment }, resourceId: repaymentId },
          deps.clock.now(),
        ),
    });
    return { ...booked, replayed: false };
  } catch (error) {
    if (!(error instanceof IdempotencyRecordExistsError)) throw error;
    // A concurrent request with the same key booked it first.
    const repayment = await deps.loans.getRepayment(loanId, repaymentId);
    if (!repayment) throw error;
    return { repayment, loan: await visibleLoan(deps, principal, loanId), replayed: true };
  }
}

/**
 * The exact amount that settles the loan on `date` (default today): principal plus interest
 * accrued to the day before plus penalties, by bucket. A date whose interest is already booked
 * is refused; a future date assumes nothing is paid meanwhile.
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
  assertBusinessDate(on, 'date');
  if (on < today) throw new ConflictError(`date ${on} is in the past; quote today (${today}) or later`);
  const owing = owedOn(loanState(loan), on);
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

export type AutoDebitOutcome = 'NOTHING_DUE' | 'COLLECTED' | 'INSUFFICIENT_FUNDS' | 'ALREADY_COLLECTED';

/**
 * The auto-debit of business date `today` for one loan (run by the nightly job after the
 * accrual): on a due date it announces `instalment.due` and collects the instalment plus any
 * arrears; on other days it retries the arrears. The reference is fixed per loan and date, so
 * a re-run collects nothing twice. A refused debit books nothing: the instalment falls overdue
 * at the end of the day.
 */
export async function autoDebit(
  deps: Pick<Dependencies, 'loans' | 'coreBanking' | 'clock'>,
  loan: LoanRecord,
  today: string,
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
  const debit = await deps.coreBanking.debit({
    reference: repaymentId,
    amount: due.total.toJSON(),
    accountUscc: current.uscc,
    memo: `Fast-loan auto-debit of ${current.loanId} for ${today}`,
  });
  if (debit.status === 'INSUFFICIENT_FUNDS') return { outcome: 'INSUFFICIENT_FUNDS', loan: current, events };
  const booked = await bookRepayment(deps, current, today, {
    repaymentId,
    channel: 'AUTO_DEBIT',
    amount: Money.fromJson(debit.amount),
    debitId: debit.debitId,
    reamortisation: 'LOWER_INSTALMENT',
  });
  return { outcome: 'COLLECTED', loan: booked.loan, events };
}
