import { ValidationError } from '../errors.js';
import { divideRoundHalfUp, Money } from '../money.js';
import type { AnnualRate } from '../rate.js';

/**
 * Day-count conventions: interest = principal × annual rate × actual days / days in the year.
 * ACT/360 is the Chinese banking default (PBOC, 《人民币利率管理规定》, 银发〔1999〕77号: daily rate =
 * annual rate ÷ 360); ACT/365 is a product option.
 */
export type DayCount = 'ACT_360' | 'ACT_365';
export const DAY_COUNTS: readonly DayCount[] = ['ACT_360', 'ACT_365'];
export const DEFAULT_DAY_COUNT: DayCount = 'ACT_360';

const YEAR_DAYS: Record<DayCount, bigint> = { ACT_360: 360n, ACT_365: 365n };
const MS_PER_DAY = 86_400_000;
const BASIS_POINTS = 10_000n;
const MULTIPLE_SCALE = 10_000n;

function epochDay(date: string, field: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const [, year = '', month = '', day = ''] = match ?? [];
  const ms = Date.UTC(Number(year), Number(month) - 1, Number(day));
  // The round trip rejects dates Date.UTC would silently roll over, such as 2025-02-30.
  if (!match || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date)
    throw new ValidationError(
      `${field} must be a calendar date YYYY-MM-DD, got ${JSON.stringify(date)}`,
      field,
    );
  return ms / MS_PER_DAY;
}

/** Refuses anything that is not a real calendar date written YYYY-MM-DD. */
export function assertBusinessDate(date: string, field = 'date'): void {
  epochDay(date, field);
}

/** Actual calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return epochDay(to, 'to') - epochDay(from, 'from');
}

export function addDays(date: string, days: number): string {
  return new Date((epochDay(date, 'date') + days) * MS_PER_DAY).toISOString().slice(0, 10);
}

/**
 * A multiple of the contract rate held exactly in ten-thousandths ("1.5" = 15000), because
 * 1.5 × a whole number of basis points is not always a whole basis point (435 bp × 1.5 = 652.5).
 */
export class RateMultiple {
  private constructor(readonly tenThousandths: bigint) {}

  static readonly ONE = new RateMultiple(MULTIPLE_SCALE);

  /** Parses "1.5" or "1.3" (at most four decimals, between 1 and 10). */
  static parse(decimal: string, field = 'penaltyMultiple'): RateMultiple {
    const match = /^(\d{1,2})(?:\.(\d{1,4}))?$/.exec(decimal);
    const value = match
      ? BigInt(match[1] ?? '0') * MULTIPLE_SCALE + BigInt((match[2] ?? '').padEnd(4, '0'))
      : 0n;
    if (value < MULTIPLE_SCALE || value > 10n * MULTIPLE_SCALE)
      throw new ValidationError(`${field} must be a decimal between 1 and 10, e.g. "1.5"`, field);
    return new RateMultiple(value);
  }

  toString(): string {
    const whole = this.tenThousandths / MULTIPLE_SCALE;
    const fraction = (this.tenThousandths % MULTIPLE_SCALE).toString().padStart(4, '0').replace(/0+$/, '');
    return fraction ? `${whole}.${fraction}` : `${whole}`;
  }
}

/**
 * Interest on `principal` for `days` actual days, computed exactly as the rational
 * fen × bp × multiple × days / (10,000 × 10,000 × year days) and rounded ONCE, half away from
 * zero, to the fen. Nothing is rounded before this division, so the result never depends on
 * the order of the factors.
 */
export function interestForDays(
  principal: Money,
  annualRate: AnnualRate,
  days: number,
  dayCount: DayCount = DEFAULT_DAY_COUNT,
  multiple: RateMultiple = RateMultiple.ONE,
): Money {
  if (!Number.isSafeInteger(days) || days < 0)
    throw new ValidationError(`days must be a whole number of days ≥ 0, got ${days}`, 'days');
  const numerator = BigInt(annualRate.basisPoints) * multiple.tenThousandths * BigInt(days);
  const denominator = BASIS_POINTS * MULTIPLE_SCALE * YEAR_DAYS[dayCount];
  return Money.ofMinor(divideRoundHalfUp(principal.minor * numerator, denominator), principal.currency);
}

/** Interest for the days of [from, to): the first day counts, the last does not (算头不算尾). */
export function interestBetween(
  principal: Money,
  annualRate: AnnualRate,
  from: string,
  to: string,
  dayCount: DayCount = DEFAULT_DAY_COUNT,
  multiple: RateMultiple = RateMultiple.ONE,
): Money {
  const days = daysBetween(from, to);
  if (days < 0)
    throw new ValidationError(`the interest period ends (${to}) before it starts (${from})`, 'to');
  return interestForDays(principal, annualRate, days, dayCount, multiple);
}

/**
 * The interest booked for the single day `date` on a balance that has been constant since
 * `anchor`: the rounded interest for [anchor, date + 1) minus the rounded interest for
 * [anchor, date). The rounding point is therefore the segment, not the day: the days of a
 * segment telescope to exactly interestBetween(anchor, end), which is how the schedule
 * computes a period's interest, and the day's figure depends on nothing but (balance, anchor,
 * date), so booking a date twice yields the same figure.
 */
export function interestForDay(
  balance: Money,
  annualRate: AnnualRate,
  anchor: string,
  date: string,
  dayCount: DayCount = DEFAULT_DAY_COUNT,
  multiple: RateMultiple = RateMultiple.ONE,
): Money {
  const elapsed = daysBetween(anchor, date);
  if (elapsed < 0)
    throw new ValidationError(`cannot accrue ${date}, before the balance existed (${anchor})`, 'date');
  return interestForDays(balance, annualRate, elapsed + 1, dayCount, multiple).subtract(
    interestForDays(balance, annualRate, elapsed, dayCount, multiple),
  );
}

/**
 * The sum of interestForDay over every date from `from` to `through` (both included) on a
 * balance constant since `anchor`, in two divisions however many dates: the daily figures
 * telescope, so the sum is round(interest[anchor, through + 1)) − round(interest[anchor, from)),
 * which is exactly what adding the rounded daily figures one by one gives, to the fen.
 */
export function interestForDates(
  balance: Money,
  annualRate: AnnualRate,
  anchor: string,
  from: string,
  through: string,
  dayCount: DayCount = DEFAULT_DAY_COUNT,
  multiple: RateMultiple = RateMultiple.ONE,
): Money {
  const first = daysBetween(anchor, from);
  if (first < 0)
    throw new ValidationError(`cannot accrue ${from}, before the balance existed (${anchor})`, 'date');
  const last = daysBetween(anchor, through);
  if (last < first)
    throw new ValidationError(`the dates end (${through}) before they start (${from})`, 'through');
  return interestForDays(balance, annualRate, last + 1, dayCount, multiple).subtract(
    interestForDays(balance, annualRate, first, dayCount, multiple),
  );
}
