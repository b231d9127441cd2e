import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Money } from '../../../shared/domain/money.js';
import { AnnualRate } from '../../../shared/domain/rate.js';
import {
  type AllocationBucket,
  accrueThrough,
  addDays,
  bringToDate,
  DAY_COUNTS,
  DEFAULT_ALLOCATION_ORDER,
  interestBetween,
  interestForDates,
  interestForDay,
  type LoanInput,
  type LoanState,
  loanStateJson,
  openLoan,
  owed,
  owedOn,
  PAYOFF_HORIZON_DAYS,
  projectThrough,
  RateMultiple,
  REAMORTISATIONS,
  REPAYMENT_METHODS,
  type Reamortisation,
  repay,
  totalOwed,
} from '../../../shared/domain/servicing/index.js';
import { input, money, rate, sum } from './builders.js';

/** The state as stored: every bucket, anchor, the schedule and accruedThrough, as exact strings. */
const json = (state: LoanState) => loanStateJson(state);

describe('interestForDates', () => {
  it('is the sum of the daily figures: 30 days of 10,000.00 at 5% = 41.67 however the days are split', () => {
    // Prepare: the day-count example of docs/servicing.md, booked 1.39, 1.39, 1.39, 1.39, 1.38, …
    const balance = money('10000.00');
    const days = Array.from({ length: 30 }, (_, k) => addDays('2025-03-01', k));
    const daily = days.map((date) => interestForDay(balance, rate('0.05'), '2025-03-01', date));
    // Act
    const whole = interestForDates(balance, rate('0.05'), '2025-03-01', '2025-03-01', '2025-03-30');
    const split = sum([
      interestForDates(balance, rate('0.05'), '2025-03-01', '2025-03-01', '2025-03-07'),
      interestForDates(balance, rate('0.05'), '2025-03-01', '2025-03-08', '2025-03-30'),
    ]);
    // Assess
    expect(sum(daily).toString()).toBe('41.67');
    expect(whole.toString()).toBe('41.67');
    expect(split.toString()).toBe('41.67');
    expect(interestForDates(balance, rate('0.05'), '2025-03-01', '2025-03-05', '2025-03-05').toString()).toBe(
      daily[4]?.toString(),
    );
  });

  it('refuses dates before the anchor or in the wrong order', () => {
    expect(() =>
      interestForDates(money('1.00'), rate('0.05'), '2025-03-02', '2025-03-01', '2025-03-03'),
    ).toThrow(expect.objectContaining({ field: 'date' }));
    expect(() =>
      interestForDates(money('1.00'), rate('0.05'), '2025-03-01', '2025-03-03', '2025-03-02'),
    ).toThrow(expect.objectContaining({ field: 'through' }));
  });
});

describe('projectThrough', () => {
  it('quotes a loan years past maturity as one run: overdue principal × penalty rate × days / 360, rounded once', () => {
    // Prepare: 50,000.00 at 7.20% DAILY_REVOLVING for 3 months, never repaid: all of it falls
    // overdue on 15 Apr 2025, with 900.00 of interest.
    const state = openLoan(
      input({
        principal: money('50000.00'),
        annualRate: rate('0.072'),
        termMonths: 3,
        method: 'DAILY_REVOLVING',
      }),
    );
    // Act: the start of 31 Dec 9999, 2,912,703 days after 15 Apr 2025.
    const owing = owedOn(state, '9999-12-31');
    // Assess: penalty at 7.2% × 1.5 on 50,000.00 (15.00 a day) from 15 Apr 2025 to 30 Dec 9999 inclusive.
    expect(owing.overduePrincipal.toString()).toBe('50000.00');
    expect(owing.overdueInterest.toString()).toBe('900.00');
    expect(owing.penaltyInterest.toString()).toBe(
      interestBetween(
        money('50000.00'),
        rate('0.072'),
        '2025-04-15',
        '9999-12-31',
        'ACT_360',
        RateMultiple.parse('1.5'),
      ).toString(),
    );
    expect(owing.penaltyInterest.toString()).toBe('43690545.00');
  });

  it('leaves a state already accrued through the date as it is, as accrueThrough does', () => {
    const { state } = accrueThrough(openLoan(input()), '2025-03-20');
    expect(projectThrough(state, '2025-03-20')).toBe(state);
    expect(projectThrough(state, '2025-03-01')).toBe(state);
  });
});

/** A loan's terms, any method, day count, rate, penalty multiple (1 to 2) and compounding. */
const loanArb: fc.Arbitrary<LoanInput> = fc.record({
  principal: fc.bigInt({ min: 1n, max: 100_000_000_00n }).map((fen) => Money.ofMinor(fen)),
  annualRate: fc.integer({ min: 0, max: 3600 }).map((bp) => AnnualRate.ofBasisPoints(bp)),
  termMonths: fc.integer({ min: 1, max: 36 }),
  disbursementDate: fc.integer({ min: 0, max: 3650 }).map((offset) => addDays('2024-01-01', offset)),
  dueDay: fc.integer({ min: 1, max: 28 }),
  method: fc.constantFrom(...REPAYMENT_METHODS),
  dayCount: fc.constantFrom(...DAY_COUNTS),
  penaltyMultiple: fc
    .integer({ min: 10_000, max: 20_000 })
    .map((t) => RateMultiple.parse(`${Math.floor(t / 10_000)}.${String(t % 10_000).padStart(4, '0')}`)),
  compoundOverdueInterest: fc.boolean(),
});

/**
 * What happens next on the loan: `gap` days pass, then, on the day reached, maybe a repayment of
 * `percent` of what is owed, allocated in `order` (a payment that leaves arrears, pays current
 * buckets before overdue ones, or prepays). Days without a repayment let instalments fall overdue.
 */
interface Step {
  gap: number;
  repayment: { percent: bigint; order: AllocationBucket[]; reamortisation: Reamortisation } | null;
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  gap: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 40, max: 400 })),
  repayment: fc.option(
    fc.record({
      percent: fc.oneof(
        { weight: 4, arbitrary: fc.bigInt({ min: 1n, max: 99n }) },
        { weight: 1, arbitrary: fc.constant(100n) },
      ),
      order: fc.shuffledSubarray([...DEFAULT_ALLOCATION_ORDER], { minLength: 5, maxLength: 5 }),
      reamortisation: fc.constantFrom(...REAMORTISATIONS),
    }),
    { freq: 2 },
  ),
});

describe('projectThrough equals accrual day by day, to the fen', () => {
  it('for random loans, rates, dates and repayments, in arrears with penalty and compound interest, up to maturity + the horizon and past it', () => {
    const seen = { penalty: 0, compound: 0, overdueInterest: 0, reamortised: 0, runs: 0 };
    fc.assert(
      fc.property(loanArb, fc.array(stepArb, { maxLength: 12 }), fc.nat(600), (loan, steps, beyond) => {
        let state = openLoan(loan);
        const maturity = state.schedule.rows.at(-1)?.dueDate ?? loan.disbursementDate;
        // Assess: from `from`, the day-by-day reference and the projection reach the same state.
        const agree = (from: LoanState, through: string) => {
          const reference = accrueThrough(from, through).state;
          expect(json(projectThrough(from, through))).toEqual(json(reference));
          return reference;
        };
        let date = addDays(state.accruedThrough, 1);
        for (const step of steps) {
          date = addDays(date, step.gap);
          const atDate = agree(state, addDays(date, -1));
          expect(owedOn(state, date)).toEqual(owed(bringToDate(state, date).state));
          const amount = step.repayment
            ? totalOwed(owed(atDate)).multiplyRatio(step.repayment.percent, 100n)
            : Money.zero();
          if (step.repayment && !amount.isZero()) {
            const outcome = repay(state, date, amount, step.repayment);
            if (outcome.reamortised) seen.reamortised++;
            state = outcome.state;
          } else state = atDate;
        }
        // The longest quote allowed, and further: everything left in arrears for a long run.
        const last = agree(state, addDays(maturity, PAYOFF_HORIZON_DAYS + beyond));
        seen.runs++;
        if (!last.penaltyInterest.isZero()) seen.penalty++;
        if (!last.overdueInterest.amount.isZero()) seen.overdueInterest++;
        if (loan.compoundOverdueInterest && !last.overdueInterest.amount.isZero()) seen.compound++;
      }),
      { numRuns: 150 },
    );
    // The generator reached the situations that matter, not only loans paid on time.
    expect(seen.penalty / seen.runs).toBeGreaterThan(0.3);
    expect(seen.compound / seen.runs).toBeGreaterThan(0.05);
    expect(seen.reamortised).toBeGreaterThan(0);
  });
});
