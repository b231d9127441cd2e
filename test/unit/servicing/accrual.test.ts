import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors.js';
import {
  accrueDay,
  accrueThrough,
  type DailyAccrual,
  datesToAccrue,
  openLoan,
  RateMultiple,
  repay,
} from '../../../shared/domain/servicing/index.js';
import { input, money, sum } from './builders.js';

const lineText = (accrual: DailyAccrual | null) =>
  accrual?.lines.map((line) => `${line.kind} ${line.amount.toString()} on ${line.base.toString()}`);

describe('accrueDay', () => {
  it('accrues 20.00 a day on 120,000.00 at 6% ACT/360 from the disbursement date', () => {
    // 120000 × 0.06 / 360 = 20.00 exactly; 31 days to 14 Feb inclusive = 620.00, row 1's interest.
    const { accruals, state } = accrueThrough(openLoan(input()), '2025-02-14');
    expect(accruals).toHaveLength(31);
    expect(accruals[0]?.date).toBe('2025-01-15');
    expect(new Set(accruals.map((a) => lineText(a)?.join()))).toEqual(
      new Set(['INTEREST 20.00 on 120000.00']),
    );
    expect(state.accruedInterest.toString()).toBe('620.00');
  });

  it('sums a period of uneven days to the schedule row: 28 days on 110,292.03 = 514.70', () => {
    // Prepare: pay instalment 1 (10327.97) on its due date.
    const { state: atDue } = accrueThrough(openLoan(input()), '2025-02-14');
    const paid = repay(atDue, '2025-02-15', money('10327.97')).state;
    // Act: 110292.03 × 0.06 / 360 = 18.382005 a day, booked as 18.38 or 18.39 so the run stays rounded once.
    const { accruals, state } = accrueThrough(paid, '2025-03-14');
    // Assess
    const amounts = accruals.flatMap((a) => a.lines.map((line) => line.amount));
    expect(sum(amounts).toString()).toBe('514.70');
    expect(sum(amounts).toString()).toBe(state.schedule.rows[1]?.interest.toString());
    expect(new Set(amounts.map(String))).toEqual(new Set(['18.38', '18.39']));
  });

  it('moves an unpaid instalment overdue on its due date and charges penalty interest at 1.5 × the rate', () => {
    // Prepare: nothing paid by the end of 15 Feb.
    const { state } = accrueThrough(openLoan(input()), '2025-02-14');
    // Act
    const { accrual } = accrueDay(state, '2025-02-15');
    // Assess: 110292.03 × 0.06 / 360 = 18.382 -> 18.38; 9707.97 × 0.09 / 360 = 2.42699 -> 2.43.
    expect(accrual?.fellOverdue?.principal.toString()).toBe('9707.97');
    expect(accrual?.fellOverdue?.interest.toString()).toBe('620.00');
    expect(lineText(accrual)).toEqual(['INTEREST 18.38 on 110292.03', 'PENALTY 2.43 on 9707.97']);
  });

  it('compounds overdue interest at the penalty rate when the product says so', () => {
    // 620.00 × 0.09 / 360 = 0.155 exactly: half rounds away from zero to 0.16.
    const { state } = accrueThrough(openLoan(input({ compoundOverdueInterest: true })), '2025-02-14');
    const { accrual } = accrueDay(state, '2025-02-15');
    expect(lineText(accrual)).toEqual([
      'INTEREST 18.38 on 110292.03',
      'PENALTY 2.43 on 9707.97',
      'COMPOUND 0.16 on 620.00',
    ]);
  });

  it('takes a configured penalty multiple', () => {
    // 9707.97 × (0.06 × 1.3) / 360 = 2.1034 -> 2.10.
    const loan = openLoan(input({ penaltyMultiple: RateMultiple.parse('1.3') }));
    const { state } = accrueThrough(loan, '2025-02-14');
    expect(lineText(accrueDay(state, '2025-02-15').accrual)?.[1]).toBe('PENALTY 2.10 on 9707.97');
  });

  it('is idempotent: the same state and date give the same entries, an accrued date gives none', () => {
    const { state } = accrueThrough(openLoan(input()), '2025-02-14');
    const first = accrueDay(state, '2025-02-15');
    const again = accrueDay(state, '2025-02-15');
    expect(lineText(again.accrual)).toEqual(lineText(first.accrual));
    const rerun = accrueDay(first.state, '2025-02-15');
    expect(rerun.accrual).toBeNull();
    expect(rerun.state).toBe(first.state);
  });

  it('refuses to skip a date, naming the field', () => {
    const loan = openLoan(input());
    expect(() => accrueDay(loan, '2025-01-16')).toThrow(ValidationError);
    expect(() => accrueDay(loan, '2025-01-16')).toThrow(/next date to accrue is 2025-01-15/);
  });
});

describe('datesToAccrue', () => {
  it.each([
    {
      last: '2025-02-26',
      through: '2025-03-02',
      dates: ['2025-02-27', '2025-02-28', '2025-03-01', '2025-03-02'],
    },
    { last: '2025-03-02', through: '2025-03-02', dates: [] },
    { last: '2025-03-05', through: '2025-03-02', dates: [] },
  ])('after $last through $through', ({ last, through, dates }) => {
    expect(datesToAccrue(last, through)).toEqual(dates);
  });
});
