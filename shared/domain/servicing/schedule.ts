import { addMonths } from '../business-date.js';
import { ValidationError } from '../errors.js';
import { divideRoundHalfUp, Money } from '../money.js';
import type { AnnualRate } from '../rate.js';
import {
  assertBusinessDate,
  DAY_COUNTS,
  type DayCount,
  DEFAULT_DAY_COUNT,
  daysBetween,
  interestBetween,
} from './day-count.js';

/**
 * 等额本息 (level instalment), 等额本金 (level principal), 先息后本 (monthly interest, principal at
 * maturity) and 随借随还 (repay any time: one period to maturity, interest by the day).
 */
export type RepaymentMethod = 'EQUAL_INSTALMENT' | 'EQUAL_PRINCIPAL' | 'INTEREST_FIRST' | 'DAILY_REVOLVING';
export const REPAYMENT_METHODS: readonly RepaymentMethod[] = [
  'EQUAL_INSTALMENT',
  'EQUAL_PRINCIPAL',
  'INTEREST_FIRST',
  'DAILY_REVOLVING',
];

/** How a prepayment re-amortises what is left: fewer instalments, or the same dates with smaller ones. */
export type Reamortisation = 'SHORTEN_TERM' | 'LOWER_INSTALMENT';
export const REAMORTISATIONS: readonly Reamortisation[] = ['SHORTEN_TERM', 'LOWER_INSTALMENT'];

/**
 * A first due date closer than this to the disbursement rolls to the following month, so the
 * first period runs 15 to 45 days: a borrower never pays an instalment days after drawing.
 */
export const MIN_FIRST_PERIOD_DAYS = 15;
export const MAX_TERM_MONTHS = 360;
/** Due days stop at 28 so every month has one and due dates never need clamping. */
export const MAX_DUE_DAY = 28;

export interface ScheduleInput {
  principal: Money;
  annualRate: AnnualRate;
  termMonths: number;
  disbursementDate: string;
  /** Day of the month instalments fall due, 1..28; not used by DAILY_REVOLVING. */
  dueDay: number;
  method: RepaymentMethod;
  dayCount?: DayCount;
}

export interface ScheduleRow {
  period: number;
  startDate: string;
  dueDate: string;
  days: number;
  openingPrincipal: Money;
  principal: Money;
  interest: Money;
  total: Money;
  closingPrincipal: Money;
}

export interface RepaymentSchedule {
  method: RepaymentMethod;
  principal: Money;
  annualRate: AnnualRate;
  dayCount: DayCount;
  startDate: string;
  /** The level payment of EQUAL_INSTALMENT (PMT), kept so SHORTEN_TERM can keep paying it. */
  instalment: Money | null;
  /** The level principal of EQUAL_PRINCIPAL, kept so SHORTEN_TERM can keep paying it. */
  principalPerPeriod: Money | null;
  rows: readonly ScheduleRow[];
  totalInterest: Money;
}

/** The monthly rate of the PMT formula is annual / 12, i.e. bp / 120,000 exactly. */
const MONTHLY_RATE_DENOMINATOR = 120_000n;

/**
 * The first date on `dueDay` strictly after disbursement, rolled one month further when it is
 * fewer than MIN_FIRST_PERIOD_DAYS away (a long first period instead of a very short one).
 */
export function firstDueDate(disbursementDate: string, dueDay: number): string {
  assertDueDay(dueDay);
  assertBusinessDate(disbursementDate, 'disbursementDate');
  const inMonth = `${disbursementDate.slice(0, 8)}${String(dueDay).padStart(2, '0')}`;
  const candidate = inMonth > disbursementDate ? inMonth : addMonths(inMonth, 1);
  return daysBetween(disbursementDate, candidate) < MIN_FIRST_PERIOD_DAYS
    ? addMonths(candidate, 1)
    : candidate;
}

/** The due dates of a schedule: one a month on the due day, or the maturity date alone for DAILY_REVOLVING. */
export function dueDates(input: ScheduleInput): string[] {
  validateInput(input);
  if (input.method === 'DAILY_REVOLVING') return [addMonths(input.disbursementDate, input.termMonths)];
  const first = firstDueDate(input.disbursementDate, input.dueDay);
  return Array.from({ length: input.termMonths }, (_, k) => addMonths(first, k));
}

/**
 * The level instalment of 等额本息: the annuity payment PMT = P·i / (1 − (1 + i)^−n) on the
 * monthly rate i = annual / 12 (spreadsheet =PMT(rate/12, n, −P)), evaluated exactly as
 * P·bp·A^n / (120000·(A^n − 120000^n)) with A = 120000 + bp, and rounded once, half away from
 * zero, to the fen. With a zero rate it is P / n.
 */
export function levelInstalment(principal: Money, annualRate: AnnualRate, periods: number): Money {
  if (!Number.isSafeInteger(periods) || periods < 1)
    throw new ValidationError(`periods must be a whole number ≥ 1, got ${periods}`, 'termMonths');
  const bp = BigInt(annualRate.basisPoints);
  if (bp === 0n)
    return Money.ofMinor(divideRoundHalfUp(principal.minor, BigInt(periods)), principal.currency);
  const growth = (MONTHLY_RATE_DENOMINATOR + bp) ** BigInt(periods);
  const base = MONTHLY_RATE_DENOMINATOR ** BigInt(periods);
  return Money.ofMinor(
    divideRoundHalfUp(principal.minor * bp * growth, MONTHLY_RATE_DENOMINATOR * (growth - base)),
    principal.currency,
  );
}

/**
 * Builds the schedule. Each period's interest is the opening principal × rate × the period's
 * ACTUAL days / 360 (or 365), rounded once per period (interestBetween): the same figure the
 * daily accrual of that period sums to. EQUAL_INSTALMENT pays the PMT level instalment (on the
 * nominal monthly rate); its principal part is the instalment minus that actual-day interest.
 * The last row takes whatever principal is left, so the principal column sums to the loan
 * amount exactly and the last instalment differs from the others by the rounding and by the
 * actual-day interest.
 */
export function repaymentSchedule(input: ScheduleInput): RepaymentSchedule {
  const dates = dueDates(input);
  const dayCount = input.dayCount ?? DEFAULT_DAY_COUNT;
  const level = {
    instalment:
      input.method === 'EQUAL_INSTALMENT'
        ? levelInstalment(input.principal, input.annualRate, dates.length)
        : null,
    principalPerPeriod:
      input.method === 'EQUAL_PRINCIPAL'
        ? Money.ofMinor(
            divideRoundHalfUp(input.principal.minor, BigInt(dates.length)),
            input.principal.currency,
          )
        : null,
  };
  return buildSchedule(
    input.method,
    input.principal,
    input.annualRate,
    dayCount,
    input.disbursementDate,
    dates,
    1,
    level,
  );
}

/**
 * The principal the schedule expects to be outstanding (not yet due) at the end of `date`,
 * once that day's instalment, if any, is paid. Less than this after a repayment means the
 * customer prepaid.
 */
export function principalExpectedAfter(schedule: RepaymentSchedule, date: string): Money {
  let expected = schedule.rows[0]?.openingPrincipal ?? schedule.principal;
  for (const row of schedule.rows) if (row.dueDate <= date) expected = row.closingPrincipal;
  return expected;
}

/**
 * Re-amortises what is left after a prepayment on `date`, keeping the original due dates
 * after it. The first new period runs from `date` to the next due date (it may be short).
 * SHORTEN_TERM keeps the level instalment (EQUAL_INSTALMENT) or level principal
 * (EQUAL_PRINCIPAL) and drops the last due dates; LOWER_INSTALMENT keeps every due date and
 * recomputes the level amount. INTEREST_FIRST and DAILY_REVOLVING have no level amount to
 * keep: both choices keep the contract's maturity and only the interest falls.
 */
export function reamortise(
  schedule: RepaymentSchedule,
  date: string,
  principal: Money,
  choice: Reamortisation,
): RepaymentSchedule {
  assertBusinessDate(date, 'date');
  if (!REAMORTISATIONS.includes(choice))
    throw new ValidationError(
      `reamortisation must be one of ${REAMORTISATIONS.join(', ')}`,
      'reamortisation',
    );
  const remaining = schedule.rows.filter((row) => row.dueDate > date);
  const firstPeriod = remaining[0]?.period ?? (schedule.rows.at(-1)?.period ?? 0) + 1;
  let dates = remaining.map((row) => row.dueDate);
  if (principal.isNegative()) throw new ValidationError('principal cannot be negative', 'principal');
  if (dates.length === 0 && !principal.isZero())
    throw new ValidationError(`nothing left to re-amortise after the maturity date (${date})`, 'date');
  let instalment: Money | null = null;
  let principalPerPeriod: Money | null = null;
  if (!principal.isZero() && schedule.method === 'EQUAL_INSTALMENT') {
    if (choice === 'SHORTEN_TERM' && schedule.instalment) {
      instalment = schedule.instalment;
      dates = dates.slice(0, periodsToRepay(principal, schedule.annualRate, instalment, dates.length));
    } else {
      instalment = levelInstalment(principal, schedule.annualRate, dates.length);
    }
  }
  if (!principal.isZero() && schedule.method === 'EQUAL_PRINCIPAL') {
    if (choice === 'SHORTEN_TERM' && schedule.principalPerPeriod && !schedule.principalPerPeriod.isZero()) {
      principalPerPeriod = schedule.principalPerPeriod;
      const periods = (principal.minor + principalPerPeriod.minor - 1n) / principalPerPeriod.minor;
      dates = dates.slice(0, Math.min(dates.length, Number(periods)));
    } else {
      principalPerPeriod = Money.ofMinor(
        divideRoundHalfUp(principal.minor, BigInt(dates.length)),
        principal.currency,
      );
    }
  }
  return buildSchedule(
    schedule.method,
    principal,
    schedule.annualRate,
    schedule.dayCount,
    date,
    dates,
    firstPeriod,
    {
      instalment,
      principalPerPeriod,
    },
  );
}

/**
 * The fewest periods (at most `available`) in which `instalment` repays `principal` on the
 * PMT basis: the smallest n with P·bp·A^n ≤ I·120000·(A^n − 120000^n), compared exactly.
 */
function periodsToRepay(
  principal: Money,
  annualRate: AnnualRate,
  instalment: Money,
  available: number,
): number {
  if (instalment.minor <= 0n) return available;
  const bp = BigInt(annualRate.basisPoints);
  if (bp === 0n) {
    const periods = (principal.minor + instalment.minor - 1n) / instalment.minor;
    return Math.min(available, Math.max(1, Number(periods)));
  }
  let growth = 1n;
  let base = 1n;
  for (let n = 1; n <= available; n += 1) {
    growth *= MONTHLY_RATE_DENOMINATOR + bp;
    base *= MONTHLY_RATE_DENOMINATOR;
    if (principal.minor * bp * growth <= instalment.minor * MONTHLY_RATE_DENOMINATOR * (growth - base))
      return n;
  }
  return available;
}

function buildSchedule(
  method: RepaymentMethod,
  principal: Money,
  annualRate: AnnualRate,
  dayCount: DayCount,
  startDate: string,
  dates: readonly string[],
  firstPeriod: number,
  level: { instalment: Money | null; principalPerPeriod: Money | null },
): RepaymentSchedule {
  const rows: ScheduleRow[] = [];
  let opening = principal;
  let start = startDate;
  for (const [k, dueDate] of dates.entries()) {
    if (opening.isZero()) break;
    const interest = interestBetween(opening, annualRate, start, dueDate, dayCount);
    const repaid = principalPart(method, opening, interest, k === dates.length - 1, level);
    const closing = opening.subtract(repaid);
    rows.push({
      period: firstPeriod + k,
      startDate: start,
      dueDate,
      days: daysBetween(start, dueDate),
      openingPrincipal: opening,
      principal: repaid,
      interest,
      total: repaid.add(interest),
      closingPrincipal: closing,
    });
    opening = closing;
    start = dueDate;
  }
  return {
    method,
    principal,
    annualRate,
    dayCount,
    startDate,
    instalment: level.instalment,
    principalPerPeriod: level.principalPerPeriod,
    rows,
    totalInterest: rows.reduce((sum, row) => sum.add(row.interest), Money.zero(principal.currency)),
  };
}

/**
 * Never more than what is open (tiny loans whose rounded level principal would overshoot),
 * never negative (a long first period whose interest exceeds the level instalment pays
 * interest only that period); the last row takes the rest.
 */
function principalPart(
  method: RepaymentMethod,
  opening: Money,
  interest: Money,
  last: boolean,
  level: { instalment: Money | null; principalPerPeriod: Money | null },
): Money {
  const zero = Money.zero(opening.currency);
  if (last) return opening;
  if (method === 'EQUAL_INSTALMENT' && level.instalment)
    return Money.min(opening, Money.max(zero, level.instalment.subtract(interest)));
  if (method === 'EQUAL_PRINCIPAL' && level.principalPerPeriod)
    return Money.min(opening, level.principalPerPeriod);
  return zero;
}

function assertDueDay(dueDay: number): void {
  if (!Number.isSafeInteger(dueDay) || dueDay < 1 || dueDay > MAX_DUE_DAY)
    throw new ValidationError(`dueDay must be a whole day of the month from 1 to ${MAX_DUE_DAY}`, 'dueDay');
}

function validateInput(input: ScheduleInput): void {
  if (input.principal.minor <= 0n) throw new ValidationError('principal must be more than zero', 'principal');
  if (!Number.isSafeInteger(input.termMonths) || input.termMonths < 1 || input.termMonths > MAX_TERM_MONTHS)
    throw new ValidationError(`termMonths must be a whole number from 1 to ${MAX_TERM_MONTHS}`, 'termMonths');
  if (!REPAYMENT_METHODS.includes(input.method))
    throw new ValidationError(`method must be one of ${REPAYMENT_METHODS.join(', ')}`, 'method');
  if (input.dayCount !== undefined && !DAY_COUNTS.includes(input.dayCount))
    throw new ValidationError(`dayCount must be one of ${DAY_COUNTS.join(', ')}`, 'dayCount');
  assertDueDay(input.dueDay);
  assertBusinessDate(input.disbursementDate, 'disbursementDate');
}
