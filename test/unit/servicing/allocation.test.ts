import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors.js';
import {
  accrueThrough,
  allocateRepayment,
  isSettled,
  type Owed,
  openLoan,
  owedOn,
  payoff,
  repay,
  writeOff,
} from '../../../shared/domain/servicing/index.js';
import { input, money, rate, rowText } from './builders.js';

const text = (owed: Owed) => ({
  penaltyInterest: owed.penaltyInterest.toString(),
  overdueInterest: owed.overdueInterest.toString(),
  overduePrincipal: owed.overduePrincipal.toString(),
  currentInterest: owed.currentInterest.toString(),
  currentPrincipal: owed.currentPrincipal.toString(),
});

/** Instalment 1 missed: at the start of 25 Feb, ten days overdue. */
const missed = () => owedOn(openLoan(input()), '2025-02-25');

describe('payoff', () => {
  it.each([
    { date: '2025-01-15', payoff: '120000.00', why: 'on the day it is drawn: no interest yet' },
    { date: '2025-02-01', payoff: '120340.00', why: '17 days × 20.00' },
    { date: '2025-02-15', payoff: '120620.00', why: 'the whole first period, 31 × 20.00' },
    {
      date: '2025-02-25',
      payoff: '120828.09',
      why: '120000 + 620.00 overdue interest + 183.82 (10 days on 110292.03) + 24.27 (10 days × 9% on 9707.97)',
    },
  ])('on $date is $payoff ($why)', ({ date, payoff: expected }) => {
    expect(payoff(openLoan(input()), date).toString()).toBe(expected);
  });

  it('splits what is owed ten days after a missed instalment by bucket', () => {
    expect(text(missed())).toEqual({
      penaltyInterest: '24.27',
      overdueInterest: '620.00',
      overduePrincipal: '9707.97',
      currentInterest: '183.82',
      currentPrincipal: '110292.03',
    });
  });

  it('refuses a date whose accrual is already booked', () => {
    const { state } = accrueThrough(openLoan(input()), '2025-02-14');
    expect(() => payoff(state, '2025-02-14')).toThrow(expect.objectContaining({ field: 'date' }));
  });
});

describe('allocateRepayment', () => {
  it('pays penalty, overdue interest, overdue principal, current interest, current principal by default', () => {
    const allocation = allocateRepayment(missed(), money('1000.00'));
    expect(text(allocation)).toEqual({
      penaltyInterest: '24.27',
      overdueInterest: '620.00',
      overduePrincipal: '355.73',
      currentInterest: '0.00',
      currentPrincipal: '0.00',
    });
  });

  it('follows a configured order', () => {
    const order = [
      'currentInterest',
      'currentPrincipal',
      'penaltyInterest',
      'overdueInterest',
      'overduePrincipal',
    ] as const;
    const allocation = allocateRepayment(missed(), money('1000.00'), order);
    expect(allocation.currentInterest.toString()).toBe('183.82');
    expect(allocation.currentPrincipal.toString()).toBe('816.18');
  });

  it.each([
    { amount: '120828.10', why: 'one fen above the payoff' },
    { amount: '0.00', why: 'nothing' },
    { amount: '-1.00', why: 'negative' },
  ])('refuses $amount ($why), naming the field', ({ amount }) => {
    expect(() => allocateRepayment(missed(), money(amount))).toThrow(ValidationError);
    expect(() => allocateRepayment(missed(), money(amount))).toThrow(
      expect.objectContaining({ field: 'amount' }),
    );
  });

  it('refuses an order that leaves out a bucket', () => {
    expect(() => allocateRepayment(missed(), money('1.00'), ['penaltyInterest'])).toThrow(
      expect.objectContaining({ field: 'allocationOrder' }),
    );
  });
});

describe('repay', () => {
  it('settles the loan with exactly the payoff', () => {
    const loan = openLoan(input());
    const outcome = repay(loan, '2025-02-25', payoff(loan, '2025-02-25'));
    expect(isSettled(outcome.state)).toBe(true);
    expect(outcome.state.schedule.rows).toHaveLength(0);
    expect(outcome.accruals).toHaveLength(41);
  });

  it('pays an instalment on its due date without re-amortising', () => {
    const outcome = repay(openLoan(input()), '2025-02-15', money('10327.97'));
    expect(outcome.reamortised).toBe(false);
    expect(outcome.state.currentPrincipal.amount.toString()).toBe('110292.03');
  });

  it.each([
    { choice: 'SHORTEN_TERM', rows: 8, instalment: '10327.97' },
    { choice: 'LOWER_INSTALMENT', rows: 11, instalment: '7520.07' },
  ] as const)(
    'prepays 30,000.00 with instalment 1 and re-amortises by $choice',
    ({ choice, rows, instalment }) => {
      const outcome = repay(openLoan(input()), '2025-02-15', money('40327.97'), { reamortisation: choice });
      expect(outcome.prepaidPrincipal.toString()).toBe('30000.00');
      expect(outcome.reamortised).toBe(true);
      expect(outcome.state.schedule.rows).toHaveLength(rows);
      expect(outcome.state.schedule.instalment?.toString()).toBe(instalment);
    },
  );

  it('repays a revolving draw-down early and charges interest only for the days used', () => {
    // 50,000.00 at 7.2% for 3 months: 10.00 a day. Repay 20,000.00 after 30 days: 300.00 interest
    // first, 19,700.00 principal; 30,300.00 left for the 60 days to 15 Apr at 6.06 a day = 363.60.
    const loan = openLoan(
      input({
        principal: money('50000.00'),
        annualRate: rate('0.072'),
        termMonths: 3,
        method: 'DAILY_REVOLVING',
      }),
    );
    const outcome = repay(loan, '2025-02-14', money('20000.00'));
    expect(outcome.allocation.currentInterest.toString()).toBe('300.00');
    expect(outcome.allocation.currentPrincipal.toString()).toBe('19700.00');
    expect(outcome.state.schedule.rows.map(rowText)).toEqual([
      ['1', '2025-02-14', '2025-04-15', '60', '30300.00', '30300.00', '363.60', '30663.60', '0.00'],
    ]);
    expect(payoff(outcome.state, '2025-04-15').toString()).toBe('30663.60');
  });
});

describe('writeOff', () => {
  it('takes everything owed off the loan', () => {
    const outcome = writeOff(openLoan(input()), '2025-02-25');
    expect(outcome.writtenOff.overduePrincipal.toString()).toBe('9707.97');
    expect(isSettled(outcome.state)).toBe(true);
  });
});
