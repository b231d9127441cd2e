import { ValidationError } from '../errors.js';
import { Money } from '../money.js';
import {
  addDays,
  assertBusinessDate,
  daysBetween,
  interestForDates,
  interestForDay,
  RateMultiple,
} from './day-count.js';
import { type LoanState, rebase } from './loan-state.js';
import type { RepaymentSchedule, ScheduleRow } from './schedule.js';

/** INTEREST on current principal; PENALTY (罚息) on overdue principal; COMPOUND (复利) on overdue interest. */
export type AccrualKind = 'INTEREST' | 'PENALTY' | 'COMPOUND';

export interface AccrualLine {
  kind: AccrualKind;
  /** The balance that bore interest that day and the first day of its run (the rounding anchor). */
  base: Money;
  since: string;
  amount: Money;
}

/** What fell overdue at the start of a due date's accrual: the unpaid part of that day's instalment. */
export interface OverdueTransfer {
  principal: Money;
  interest: Money;
}

export interface DailyAccrual {
  date: string;
  fellOverdue: OverdueTransfer | null;
  /** Only the kinds that accrued a non-zero amount. */
  lines: AccrualLine[];
}

export interface AccrualStep {
  /** null when the state has already accrued `date`: running a date twice books nothing new. */
  accrual: DailyAccrual | null;
  state: LoanState;
}

/**
 * The end-of-day run for one loan and one business date, as a pure function of the state and
 * the date. In order:
 * 1. if `date` is a due date, whatever of its instalment is still unpaid falls overdue: the
 *    principal above the schedule's closing principal, and all interest accrued so far
 *    (a repayment made during the due date was applied before this, so it counted in time);
 * 2. the day's interest on the balances as they stand at the end of the day (the first day of
 *    a balance counts, the day it is repaid does not: 算头不算尾), each rounded by
 *    interestForDay from its anchor, which for current principal is never earlier than the
 *    start of the schedule period, so a period's days sum to the schedule row's interest.
 * Overdue principal accrues the penalty rate instead of the contract rate (银发〔2003〕251号:
 * from the day it is overdue, at the penalty rate, until repaid); overdue interest accrues
 * compound interest at the penalty rate only when the product says so. Penalty interest does
 * not itself bear interest.
 */
export function accrueDay(state: LoanState, date: string): AccrualStep {
  assertBusinessDate(date, 'date');
  if (date <= state.accruedThrough) return { accrual: null, state };
  const next = addDays(state.accruedThrough, 1);
  if (date !== next)
    throw new ValidationError(
      `accrue dates in order: the next date to accrue is ${next}, not ${date}`,
      'date',
    );

  const { state: afterDue, fellOverdue } = fallDue(state, date);
  const { annualRate, dayCount } = afterDue.terms;
  const lines: AccrualLine[] = [];
  for (const { kind, base, since, multiple } of accruingBalances(afterDue, date)) {
    if (base.isZero()) continue;
    const amount = interestForDay(base, annualRate, since, date, dayCount, multiple);
    if (!amount.isZero()) lines.push({ kind, base, since, amount });
  }
  return { accrual: { date, fellOverdue, lines }, state: withAccrued(afterDue, date, lines) };
}

/** The business dates to accrue, in order: after `lastAccrued` (exclusive) up to `through` (inclusive). */
export function datesToAccrue(lastAccrued: string, through: string): string[] {
  const count = daysBetween(lastAccrued, through);
  return Array.from({ length: Math.max(0, count) }, (_, k) => addDays(lastAccrued, k + 1));
}

/** Catches a loan up to `through`, one date at a time, returning each day's accrual to book in order. */
export function accrueThrough(
  state: LoanState,
  through: string,
): { accruals: DailyAccrual[]; state: LoanState } {
  const accruals: DailyAccrual[] = [];
  let current = state;
  for (const date of datesToAccrue(state.accruedThrough, through)) {
    const step = accrueDay(current, date);
    if (step.accrual) accruals.push(step.accrual);
    current = step.state;
  }
  return { accruals, state: current };
}

/**
 * The state accrueThrough(state, through) ends in, computed a run at a time rather than a date
 * at a time, for quotes and other reads that book nothing (so no daily accruals come out).
 *
 * A run is a stretch of dates on which nothing accrueDay looks at changes: it ends the day
 * before the next schedule date (a period's start or due date), so no instalment falls due
 * inside it (only, possibly, on its first date), every balance and its anchor stay as they
 * are, and each balance bears interest at one rate. Nothing accrued inside a run bears interest
 * inside it either: current interest bears none until it falls due, compound interest accrues
 * on overdue interest, which changes only on a due date or by a repayment, and penalty interest
 * never bears interest. So each balance's interest over the run is interestForDates, the
 * telescoped sum of its daily figures, equal to the fen to what accrueDay books day by day
 * (a property test compares the two over random loans, repayments and arrears). The cost grows
 * with the schedule dates crossed, at most two per period, not with the days: after maturity
 * the rest is one run, however long.
 */
export function projectThrough(state: LoanState, through: string): LoanState {
  assertBusinessDate(through, 'through');
  if (through <= state.accruedThrough) return state;
  const { rows } = state.schedule;
  const changes = [...new Set(rows.flatMap((row) => [row.startDate, row.dueDate]))].sort();
  let current = state;
  let next = 0;
  // The first row due after the run's first date. Rows follow one another in date order, so it
  // is the only row that can contain that date: the one fallDue and periodStart would find,
  // without searching the schedule again for every run.
  let row = 0;
  while (current.accruedThrough < through) {
    const from = addDays(current.accruedThrough, 1);
    while (next < changes.length && (changes[next] as string) <= from) next += 1;
    while (row < rows.length && (rows[row] as ScheduleRow).dueDate <= from) row += 1;
    const change = changes[next];
    const previous = rows[row - 1];
    const containing = rows[row];
    current = accrueRun(
      current,
      from,
      change !== undefined && change <= through ? addDays(change, -1) : through,
      previous?.dueDate === from ? previous : null,
      containing && containing.startDate <= from ? containing.startDate : state.schedule.startDate,
    );
  }
  return current;
}

/**
 * The dates from `from` to `through`, a run (see projectThrough) whose first date may be the due
 * date of `dueRow`, in the schedule period that started on `periodStarted`.
 */
function accrueRun(
  state: LoanState,
  from: string,
  through: string,
  dueRow: ScheduleRow | null,
  periodStarted: string,
): LoanState {
  const { state: afterDue } = fallDue(state, from, dueRow);
  const { annualRate, dayCount } = afterDue.terms;
  const amounts = accruingBalances(afterDue, from, periodStarted)
    .filter(({ base }) => !base.isZero())
    .map(({ kind, base, since, multiple }) => ({
      kind,
      amount: interestForDates(base, annualRate, since, from, through, dayCount, multiple),
    }));
  return withAccrued(afterDue, through, amounts);
}

interface AccruingBalance {
  kind: AccrualKind;
  base: Money;
  since: string;
  multiple: RateMultiple;
}

/**
 * What bears interest on `date`, once its instalment has fallen due: current principal at the
 * contract rate, anchored no earlier than the start of the schedule period; overdue principal at
 * the penalty rate; and, when the product compounds, overdue interest at the penalty rate.
 */
function accruingBalances(
  state: LoanState,
  date: string,
  periodStarted = periodStart(state.schedule, date),
): AccruingBalance[] {
  const { penaltyMultiple, compoundOverdueInterest } = state.terms;
  const balances: AccruingBalance[] = [
    {
      kind: 'INTEREST',
      base: state.currentPrincipal.amount,
      since: laterOf(state.currentPrincipal.since, periodStarted),
      multiple: RateMultiple.ONE,
    },
    {
      kind: 'PENALTY',
      base: state.overduePrincipal.amount,
      since: state.overduePrincipal.since,
      multiple: penaltyMultiple,
    },
  ];
  if (compoundOverdueInterest)
    balances.push({
      kind: 'COMPOUND',
      base: state.overdueInterest.amount,
      since: state.overdueInterest.since,
      multiple: penaltyMultiple,
    });
  return balances;
}

/** The state accrued through `date`, with the interest accrued added to its buckets. */
function withAccrued(
  state: LoanState,
  date: string,
  amounts: ReadonlyArray<{ kind: AccrualKind; amount: Money }>,
): LoanState {
  const sum = (kinds: readonly AccrualKind[]) =>
    amounts
      .filter((line) => kinds.includes(line.kind))
      .reduce((total, line) => total.add(line.amount), zeroOf(state));
  return {
    ...state,
    accruedThrough: date,
    accruedInterest: state.accruedInterest.add(sum(['INTEREST'])),
    penaltyInterest: state.penaltyInterest.add(sum(['PENALTY', 'COMPOUND'])),
  };
}

function fallDue(
  state: LoanState,
  date: string,
  row: ScheduleRow | null = state.schedule.rows.find((candidate) => candidate.dueDate === date) ?? null,
): { state: LoanState; fellOverdue: OverdueTransfer | null } {
  if (!row) return { state, fellOverdue: null };
  const zero = zeroOf(state);
  const principal = Money.max(zero, state.currentPrincipal.amount.subtract(row.closingPrincipal));
  const interest = state.accruedInterest;
  if (principal.isZero() && interest.isZero()) return { state, fellOverdue: null };
  return {
    fellOverdue: { principal, interest },
    state: {
      ...state,
      currentPrincipal: rebase(
        state.currentPrincipal,
        state.currentPrincipal.amount.subtract(principal),
        date,
      ),
      overduePrincipal: rebase(state.overduePrincipal, state.overduePrincipal.amount.add(principal), date),
      overdueInterest: rebase(state.overdueInterest, state.overdueInterest.amount.add(interest), date),
      accruedInterest: zero,
    },
  };
}

/** The start of the schedule period containing `date`, or the schedule's start if none does. */
function periodStart(schedule: RepaymentSchedule, date: string): string {
  const row = schedule.rows.find((candidate) => candidate.startDate <= date && date < candidate.dueDate);
  return row?.startDate ?? schedule.startDate;
}

function laterOf(a: string, b: string): string {
  return a > b ? a : b;
}

function zeroOf(state: LoanState): Money {
  return Money.zero(state.currentPrincipal.amount.currency);
}
