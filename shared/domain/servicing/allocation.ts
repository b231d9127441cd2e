import { ValidationError } from '../errors.js';
import { Money } from '../money.js';
import { accrueThrough, type DailyAccrual, projectThrough } from './accrual.js';
import { addDays, assertBusinessDate } from './day-count.js';
import { type LoanState, rebase } from './loan-state.js';
import { principalExpectedAfter, type Reamortisation, reamortise } from './schedule.js';

/** What a loan owes, by the buckets a repayment is allocated over. */
export interface Owed {
  /** Penalty interest on overdue principal plus compound interest on overdue interest. */
  penaltyInterest: Money;
  /** Interest that fell due and was not paid. */
  overdueInterest: Money;
  overduePrincipal: Money;
  /** Interest accrued on principal not yet overdue, including an instalment due today. */
  currentInterest: Money;
  /** Principal not yet overdue: what is due today first, any excess is a prepayment. */
  currentPrincipal: Money;
}

export type AllocationBucket = keyof Owed;

/**
 * Oldest and most expensive first, as Chinese loan contracts usually provide: penalties,
 * then overdue interest and principal (so the arrears stop growing), then what is current.
 */
export const DEFAULT_ALLOCATION_ORDER: readonly AllocationBucket[] = [
  'penaltyInterest',
  'overdueInterest',
  'overduePrincipal',
  'currentInterest',
  'currentPrincipal',
];

/** How much of a repayment went to each bucket; the buckets sum to `amount`. */
export interface Allocation extends Owed {
  amount: Money;
}

export interface RepaymentOptions {
  order?: readonly AllocationBucket[];
  /** Used only when the repayment prepays principal; LOWER_INSTALMENT unless the customer chooses. */
  reamortisation?: Reamortisation;
}

export interface RepaymentOutcome {
  /** Accruals the loan needed before the repayment (dates up to the day before), to book first. */
  accruals: DailyAccrual[];
  allocation: Allocation;
  /** Principal repaid beyond what the schedule had due by this date. */
  prepaidPrincipal: Money;
  /** True when the schedule was re-amortised; `state.schedule` is then the new one. */
  reamortised: boolean;
  state: LoanState;
}

/** What the state owes as booked (accrued through `state.accruedThrough`). */
export function owed(state: LoanState): Owed {
  return {
    penaltyInterest: state.penaltyInterest,
    overdueInterest: state.overdueInterest.amount,
    overduePrincipal: state.overduePrincipal.amount,
    currentInterest: state.accruedInterest,
    currentPrincipal: state.currentPrincipal.amount,
  };
}

export function totalOwed(amounts: Owed): Money {
  return DEFAULT_ALLOCATION_ORDER.reduce(
    (sum, bucket) => sum.add(amounts[bucket]),
    Money.zero(amounts.currentPrincipal.currency),
  );
}

/**
 * The loan as it stands at the start of `date`: every day before it accrued (and due dates
 * before it fallen due), nothing of `date` itself, since a day repaid bears no interest.
 * Refuses a date whose accrual is already booked: a quote or repayment for it comes too late.
 * Returns each day's accrual, to book; owedOn computes the same state without them, faster.
 */
export function bringToDate(state: LoanState, date: string): { accruals: DailyAccrual[]; state: LoanState } {
  assertNotBooked(state, date);
  return accrueThrough(state, addDays(date, -1));
}

/**
 * What is owed at the start of `date`, by bucket: bringToDate's state, computed a run at a time
 * (projectThrough), so its cost grows with the schedule periods crossed, not with the days.
 */
export function owedOn(state: LoanState, date: string): Owed {
  assertNotBooked(state, date);
  return owed(projectThrough(state, addDays(date, -1)));
}

/** What must be paid during `date` so that nothing is overdue at its end. */
export interface AmountDue {
  /** Penalty, overdue interest and overdue principal owed at the start of the date. */
  arrears: Money;
  /** The part of the instalment falling due on `date` still unpaid; zero if `date` is no due date. */
  instalment: Money;
  total: Money;
  isDueDate: boolean;
}

/**
 * The amount an auto-debit collects on `date`: the arrears, plus, on a due date, the interest
 * accrued so far and the principal above the schedule's closing principal for the date (what
 * accrueDay would move to overdue at the end of the day if it stayed unpaid).
 */
export function amountDue(state: LoanState, date: string): AmountDue {
  const owing = owedOn(state, date);
  const zero = Money.zero(owing.currentPrincipal.currency);
  const arrears = owing.penaltyInterest.add(owing.overdueInterest).add(owing.overduePrincipal);
  const row = state.schedule.rows.find((candidate) => candidate.dueDate === date);
  const instalment = row
    ? owing.currentInterest.add(Money.max(zero, owing.currentPrincipal.subtract(row.closingPrincipal)))
    : zero;
  return { arrears, instalment, total: arrears.add(instalment), isDueDate: row !== undefined };
}

/** The exact amount that settles the loan on `date`: principal + interest accrued to the day before + penalties. */
export function payoff(state: LoanState, date: string): Money {
  return totalOwed(owedOn(state, date));
}

/**
 * How many days after the contract's maturity a payoff can still be quoted: a year and a day,
 * so a quote a full year past maturity fits even across a 29 February. A loan that far past
 * maturity is long in the arrears process (classification, collections, write-off); a quote for
 * a later date informs nobody, and refusing it keeps every quote's work bounded.
 */
export const PAYOFF_HORIZON_DAYS = 366;

/** The first and last dates a payoff can be quoted for. */
export interface PayoffWindow {
  earliest: string;
  latest: string;
}

/**
 * The dates a payoff can be quoted for on business date `today`: from today (and after the
 * last date whose interest is booked) to the contract's `maturityDate` plus
 * PAYOFF_HORIZON_DAYS. A loan already further past maturity than that can still be quoted for
 * today, the day it can be settled, and no later.
 */
export function payoffWindow(state: LoanState, today: string, maturityDate: string): PayoffWindow {
  assertBusinessDate(today, 'today');
  assertBusinessDate(maturityDate, 'maturityDate');
  const earliest = laterOf(today, addDays(state.accruedThrough, 1));
  return { earliest, latest: laterOf(earliest, addDays(maturityDate, PAYOFF_HORIZON_DAYS)) };
}

/** Refuses a payoff date outside the window with a ValidationError naming `field`. */
export function assertInPayoffWindow(window: PayoffWindow, date: string, field = 'date'): void {
  assertBusinessDate(date, field);
  if (date < window.earliest || date > window.latest)
    throw new ValidationError(
      `${field} must be from ${window.earliest} to ${window.latest} (at most ${PAYOFF_HORIZON_DAYS} days after maturity), got ${date}`,
      field,
    );
}

/**
 * Spreads `amount` over the buckets in `order`, each taking what it is owed before the next
 * takes anything. Refuses a non-positive amount or one above the payoff (the bank does not
 * hold overpayments on a loan), naming the field `amount`.
 */
export function allocateRepayment(
  amounts: Owed,
  amount: Money,
  order: readonly AllocationBucket[] = DEFAULT_ALLOCATION_ORDER,
): Allocation {
  assertOrder(order);
  if (amount.minor <= 0n) throw new ValidationError('amount must be more than zero', 'amount');
  const total = totalOwed(amounts);
  if (amount.compare(total) > 0)
    throw new ValidationError(
      `amount ${amount.toString()} is more than the payoff ${total.toString()}`,
      'amount',
    );
  const zero = Money.zero(amount.currency);
  const allocation: Allocation = {
    amount,
    penaltyInterest: zero,
    overdueInterest: zero,
    overduePrincipal: zero,
    currentInterest: zero,
    currentPrincipal: zero,
  };
  let left = amount;
  for (const bucket of order) {
    const part = Money.min(left, amounts[bucket]);
    allocation[bucket] = part;
    left = left.subtract(part);
  }
  return allocation;
}

/**
 * A repayment received on `date`: catch the loan up to the start of the date, allocate, and, if
 * current principal fell below what the schedule expects after this date (a prepayment, full or
 * partial), re-amortise the rest from `date` by the customer's choice.
 */
export function repay(
  state: LoanState,
  date: string,
  amount: Money,
  options: RepaymentOptions = {},
): RepaymentOutcome {
  const { accruals, state: atDate } = bringToDate(state, date);
  const allocation = allocateRepayment(owed(atDate), amount, options.order);
  const paid = applyAllocation(atDate, date, allocation);
  const expected = principalExpectedAfter(atDate.schedule, date);
  const left = paid.currentPrincipal.amount;
  const prepaidPrincipal = Money.max(Money.zero(amount.currency), expected.subtract(left));
  if (prepaidPrincipal.isZero())
    return { accruals, allocation, prepaidPrincipal, reamortised: false, state: paid };
  const schedule = reamortise(atDate.schedule, date, left, options.reamortisation ?? 'LOWER_INSTALMENT');
  return { accruals, allocation, prepaidPrincipal, reamortised: true, state: { ...paid, schedule } };
}

/** Write-off (核销) on `date`: everything owed at the start of the date leaves the books. */
export function writeOff(
  state: LoanState,
  date: string,
): { accruals: DailyAccrual[]; writtenOff: Owed; state: LoanState } {
  const { accruals, state: atDate } = bringToDate(state, date);
  const writtenOff = owed(atDate);
  const cleared = applyAllocation(atDate, date, { ...writtenOff, amount: totalOwed(writtenOff) });
  const schedule = reamortise(atDate.schedule, date, cleared.currentPrincipal.amount, 'LOWER_INSTALMENT');
  return { accruals, writtenOff, state: { ...cleared, schedule } };
}

/** True when nothing is owed as booked. */
export function isSettled(state: LoanState): boolean {
  return totalOwed(owed(state)).isZero();
}

function applyAllocation(state: LoanState, date: string, allocation: Allocation): LoanState {
  return {
    ...state,
    penaltyInterest: state.penaltyInterest.subtract(allocation.penaltyInterest),
    accruedInterest: state.accruedInterest.subtract(allocation.currentInterest),
    overdueInterest: rebase(
      state.overdueInterest,
      state.overdueInterest.amount.subtract(allocation.overdueInterest),
      date,
    ),
    overduePrincipal: rebase(
      state.overduePrincipal,
      state.overduePrincipal.amount.subtract(allocation.overduePrincipal),
      date,
    ),
    currentPrincipal: rebase(
      state.currentPrincipal,
      state.currentPrincipal.amount.subtract(allocation.currentPrincipal),
      date,
    ),
  };
}

function assertNotBooked(state: LoanState, date: string): void {
  assertBusinessDate(date, 'date');
  if (date <= state.accruedThrough)
    throw new ValidationError(
      `date must be after ${state.accruedThrough}, the last date whose interest is already booked`,
      'date',
    );
}

function laterOf(a: string, b: string): string {
  return a > b ? a : b;
}

function assertOrder(order: readonly AllocationBucket[]): void {
  const complete =
    order.length === DEFAULT_ALLOCATION_ORDER.length &&
    DEFAULT_ALLOCATION_ORDER.every((bucket) => order.includes(bucket));
  if (!complete)
    throw new ValidationError(
      `allocationOrder must list each of ${DEFAULT_ALLOCATION_ORDER.join(', ')} exactly once`,
      'allocationOrder',
    );
}
