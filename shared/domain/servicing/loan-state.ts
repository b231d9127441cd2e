import { Money } from '../money.js';
import type { AnnualRate } from '../rate.js';
import { addDays, type DayCount, DEFAULT_DAY_COUNT, RateMultiple } from './day-count.js';
import { type RepaymentSchedule, repaymentSchedule, type ScheduleInput } from './schedule.js';

/**
 * Penalty interest on overdue principal is the contract rate plus 50%: PBOC 银发〔2003〕251号
 * sets the penalty rate at the contract rate plus 30% to 50%; the bank takes the top of the band
 * unless a product says otherwise.
 */
export const DEFAULT_PENALTY_MULTIPLE: RateMultiple = RateMultiple.parse('1.5');

export interface AccrualTerms {
  annualRate: AnnualRate;
  dayCount: DayCount;
  /** Overdue principal accrues at annualRate × penaltyMultiple instead of the contract rate. */
  penaltyMultiple: RateMultiple;
  /** Whether interest due and unpaid accrues compound interest (复利) at the penalty rate. */
  compoundOverdueInterest: boolean;
}

/**
 * A balance that bears interest, with the first day of the run over which it has had this
 * amount (the accrual anchor: rounding happens over [since, date], see interestForDay).
 */
export interface InterestBase {
  amount: Money;
  since: string;
}

/**
 * What servicing knows about one loan at the end of `accruedThrough`: principal not yet due
 * (current) and overdue, interest accrued on current principal and not yet due, interest due
 * and unpaid (overdue), penalty and compound interest unpaid, and the schedule in force.
 */
export interface LoanState {
  terms: AccrualTerms;
  schedule: RepaymentSchedule;
  /** The last business date whose interest is booked; the day before disbursement at first. */
  accruedThrough: string;
  currentPrincipal: InterestBase;
  overduePrincipal: InterestBase;
  overdueInterest: InterestBase;
  accruedInterest: Money;
  penaltyInterest: Money;
}

export interface LoanInput extends ScheduleInput {
  penaltyMultiple?: RateMultiple;
  compoundOverdueInterest?: boolean;
}

/** The state of a loan on its disbursement date, before any interest: everything owed is principal. */
export function openLoan(input: LoanInput): LoanState {
  const schedule = repaymentSchedule(input);
  const zero = Money.zero(input.principal.currency);
  const since = input.disbursementDate;
  return {
    terms: {
      annualRate: input.annualRate,
      dayCount: input.dayCount ?? DEFAULT_DAY_COUNT,
      penaltyMultiple: input.penaltyMultiple ?? DEFAULT_PENALTY_MULTIPLE,
      compoundOverdueInterest: input.compoundOverdueInterest ?? false,
    },
    schedule,
    accruedThrough: addDays(input.disbursementDate, -1),
    currentPrincipal: { amount: input.principal, since },
    overduePrincipal: { amount: zero, since },
    overdueInterest: { amount: zero, since },
    accruedInterest: zero,
    penaltyInterest: zero,
  };
}

/** Current plus overdue principal. */
export function principalOutstanding(state: LoanState): Money {
  return state.currentPrincipal.amount.add(state.overduePrincipal.amount);
}

/** A changed balance starts a new accrual run on `date`; an unchanged one keeps its anchor. */
export function rebase(base: InterestBase, amount: Money, date: string): InterestBase {
  return amount.compare(base.amount) === 0 ? base : { amount, since: date };
}
