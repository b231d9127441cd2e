import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors.js';
import {
  firstDueDate,
  levelInstalment,
  principalExpectedAfter,
  reamortise,
  repaymentSchedule,
  type ScheduleInput,
} from '../../../shared/domain/servicing/index.js';
import { money, rate, rowText, sum } from './builders.js';

/** 120,000.00 at 6% for 12 months, drawn 15 Jan 2025, due on the 15th: whole calendar months. */
const loan = (overrides: Partial<ScheduleInput> = {}): ScheduleInput => ({
  principal: money('120000.00'),
  annualRate: rate('0.06'),
  termMonths: 12,
  disbursementDate: '2025-01-15',
  dueDay: 15,
  method: 'EQUAL_INSTALMENT',
  ...overrides,
});

describe('firstDueDate: the first due day at least 15 days after disbursement', () => {
  it.each([
    { drawn: '2025-01-15', dueDay: 15, first: '2025-02-15', why: 'a whole month (31 days)' },
    {
      drawn: '2025-01-15',
      dueDay: 20,
      first: '2025-02-20',
      why: '20 Jan is 5 days away: long first period of 36 days',
    },
    { drawn: '2025-01-15', dueDay: 1, first: '2025-02-01', why: '17 days: short first period' },
    { drawn: '2025-01-20', dueDay: 1, first: '2025-03-01', why: '1 Feb is 12 days away: 40 days' },
    { drawn: '2025-01-10', dueDay: 28, first: '2025-01-28', why: '18 days, same month' },
    { drawn: '2025-12-20', dueDay: 5, first: '2026-01-05', why: 'across the year end, 16 days' },
    { drawn: '2025-01-31', dueDay: 14, first: '2025-03-14', why: '14 Feb is 14 days away: 42 days' },
  ])('drawn $drawn, due day $dueDay: $first ($why)', ({ drawn, dueDay, first }) => {
    expect(firstDueDate(drawn, dueDay)).toBe(first);
  });
});

describe('levelInstalment (PMT)', () => {
  it.each([
    {
      principal: '120000.00',
      rate: '0.06',
      n: 12,
      pmt: '10327.97',
      source: '=PMT(0.06/12,12,-120000) = 10327.9716',
    },
    { principal: '500000.00', rate: '0.0435', n: 36, pmt: '14839.97', source: '=PMT(0.0435/12,36,-500000)' },
    { principal: '30000.00', rate: '0.18', n: 24, pmt: '1497.72', source: '=PMT(0.18/12,24,-30000)' },
    { principal: '1000.00', rate: '0', n: 3, pmt: '333.33', source: 'no interest: 1000 / 3' },
  ])('$principal at $rate over $n months = $pmt ($source)', (c) => {
    expect(levelInstalment(money(c.principal), rate(c.rate), c.n).toString()).toBe(c.pmt);
  });
});

describe('EQUAL_INSTALMENT (等额本息)', () => {
  // Expected rows: spreadsheet formulas, evaluated independently with Python Decimal (ROUND_HALF_UP): D = due − start;
  // interest =ROUND(E*0.06*D/360,2) on the opening principal E (actual days, not IPMT's nominal month);
  // principal = 10327.97 − interest; the last row takes the remaining principal.
  const schedule = repaymentSchedule(loan());

  it('pays the PMT instalment', () => {
    expect(schedule.instalment?.toString()).toBe('10327.97');
    expect(schedule.rows).toHaveLength(12);
  });

  it.each([
    ['1', '2025-01-15', '2025-02-15', '31', '120000.00', '9707.97', '620.00', '10327.97', '110292.03'],
    ['2', '2025-02-15', '2025-03-15', '28', '110292.03', '9813.27', '514.70', '10327.97', '100478.76'],
    ['3', '2025-03-15', '2025-04-15', '31', '100478.76', '9808.83', '519.14', '10327.97', '90669.93'],
    ['4', '2025-04-15', '2025-05-15', '30', '90669.93', '9874.62', '453.35', '10327.97', '80795.31'],
    ['11', '2025-11-15', '2025-12-15', '30', '20539.85', '10225.27', '102.70', '10327.97', '10314.58'],
    ['12', '2025-12-15', '2026-01-15', '31', '10314.58', '10314.58', '53.29', '10367.87', '0.00'],
  ])('row %s', (period, ...expected) => {
    const row = schedule.rows[Number(period) - 1];
    expect(row && rowText(row)).toEqual([period, ...expected]);
  });

  it('lets the last instalment absorb the actual-day interest and rounding', () => {
    // 365 actual days of interest instead of 12 nominal months: 3975.54 against the nominal
    // 12 × 10327.97 − 120000 = 3935.64; the last instalment is 10367.87, not 10327.97.
    expect(schedule.totalInterest.toString()).toBe('3975.54');
    expect(sum(schedule.rows.map((row) => row.principal)).toString()).toBe('120000.00');
  });

  it('differs from IPMT only by the days: a 30-day period is exactly the nominal month', () => {
    // IPMT(0.005,1,12,-120000) = 600.00 on a nominal month; the actual 31 days give 620.00.
    // Row 4 has 30 days, so its interest is the nominal rate on its opening: 90669.93 × 0.005 = 453.35.
    expect(schedule.rows[0]?.interest.toString()).toBe('620.00');
    expect(schedule.rows[3]?.interest.toString()).toBe('453.35');
  });
});

describe('EQUAL_PRINCIPAL (等额本金)', () => {
  it('repays 10,000.00 a month plus actual-day interest on the opening principal', () => {
    // 120000 / 12 = 10000.00; interest =ROUND(opening*0.06*days/360,2).
    const { rows, principalPerPeriod } = repaymentSchedule(loan({ method: 'EQUAL_PRINCIPAL' }));
    expect(principalPerPeriod?.toString()).toBe('10000.00');
    expect(rows.slice(0, 3).map(rowText)).toEqual([
      ['1', '2025-01-15', '2025-02-15', '31', '120000.00', '10000.00', '620.00', '10620.00', '110000.00'],
      ['2', '2025-02-15', '2025-03-15', '28', '110000.00', '10000.00', '513.33', '10513.33', '100000.00'],
      ['3', '2025-03-15', '2025-04-15', '31', '100000.00', '10000.00', '516.67', '10516.67', '90000.00'],
    ]);
    expect(rows[11] && rowText(rows[11])).toEqual([
      '12',
      '2025-12-15',
      '2026-01-15',
      '31',
      '10000.00',
      '10000.00',
      '51.67',
      '10051.67',
      '0.00',
    ]);
  });

  it('puts the rounding of 100,000.00 / 12 into the last instalment', () => {
    // =ROUND(100000/12,2) = 8333.33 for eleven months; the twelfth takes 100000 − 11 × 8333.33 = 8333.37.
    const { rows } = repaymentSchedule(loan({ principal: money('100000.00'), method: 'EQUAL_PRINCIPAL' }));
    expect(rows[10]?.principal.toString()).toBe('8333.33');
    expect(rows[11] && rowText(rows[11])).toEqual([
      '12',
      '2025-12-15',
      '2026-01-15',
      '31',
      '8333.37',
      '8333.37',
      '43.06',
      '8376.43',
      '0.00',
    ]);
  });
});

describe('INTEREST_FIRST (先息后本)', () => {
  it('charges the interest of each month and the principal at maturity', () => {
    // 120000 × 0.06 × days / 360: 31 days 620.00, 28 days 560.00, 30 days 600.00; 365 days in all = 7300.00.
    const { rows, totalInterest } = repaymentSchedule(loan({ method: 'INTEREST_FIRST' }));
    expect(rows.slice(0, 4).map((row) => row.total.toString())).toEqual([
      '620.00',
      '560.00',
      '620.00',
      '600.00',
    ]);
    expect(rows[11] && rowText(rows[11])).toEqual([
      '12',
      '2025-12-15',
      '2026-01-15',
      '31',
      '120000.00',
      '120000.00',
      '620.00',
      '120620.00',
      '0.00',
    ]);
    expect(totalInterest.toString()).toBe('7300.00');
  });
});

describe('DAILY_REVOLVING (随借随还)', () => {
  it('has one period to maturity with interest by the day', () => {
    // 50000 × 0.072 × 90 / 360 = 900.00 (15 Jan to 15 Apr 2025 is 90 days).
    const { rows } = repaymentSchedule(
      loan({
        principal: money('50000.00'),
        annualRate: rate('0.072'),
        termMonths: 3,
        method: 'DAILY_REVOLVING',
      }),
    );
    expect(rows.map(rowText)).toEqual([
      ['1', '2025-01-15', '2025-04-15', '90', '50000.00', '50000.00', '900.00', '50900.00', '0.00'],
    ]);
  });

  it('clamps a month-end maturity and honours ACT/365', () => {
    // 31 Jan + 1 month = 28 Feb (28 days); 36500 × 0.05 × 28 / 365 = 140.00.
    const { rows } = repaymentSchedule(
      loan({
        principal: money('36500.00'),
        annualRate: rate('0.05'),
        termMonths: 1,
        disbursementDate: '2025-01-31',
        method: 'DAILY_REVOLVING',
        dayCount: 'ACT_365',
      }),
    );
    expect(rows[0]?.dueDate).toBe('2025-02-28');
    expect(rows[0]?.interest.toString()).toBe('140.00');
  });
});

describe('reamortise after a prepayment of 30,000.00 with the first instalment (15 Feb 2025)', () => {
  // Left: 110292.03 − 30000 = 80292.03 over the 11 remaining due dates (15 Mar 2025 … 15 Jan 2026).
  const original = repaymentSchedule(loan());
  const left = money('80292.03');

  it('LOWER_INSTALMENT keeps the dates and lowers the instalment', () => {
    // =PMT(0.06/12,11,-80292.03) = 7520.07; rows as above with =ROUND(E*0.06*D/360,2).
    const schedule = reamortise(original, '2025-02-15', left, 'LOWER_INSTALMENT');
    expect(schedule.instalment?.toString()).toBe('7520.07');
    expect(schedule.rows).toHaveLength(11);
    expect(schedule.rows[0] && rowText(schedule.rows[0])).toEqual([
      '2',
      '2025-02-15',
      '2025-03-15',
      '28',
      '80292.03',
      '7145.37',
      '374.70',
      '7520.07',
      '73146.66',
    ]);
    expect(schedule.rows[10] && rowText(schedule.rows[10])).toEqual([
      '12',
      '2025-12-15',
      '2026-01-15',
      '31',
      '7495.03',
      '7495.03',
      '38.72',
      '7533.75',
      '0.00',
    ]);
  });

  it('SHORTEN_TERM keeps the instalment and drops due dates', () => {
    // =NPER(0.06/12,-10327.97,80292.03) = 7.95 -> 8 instalments, the last one smaller.
    const schedule = reamortise(original, '2025-02-15', left, 'SHORTEN_TERM');
    expect(schedule.instalment?.toString()).toBe('10327.97');
    expect(schedule.rows).toHaveLength(8);
    expect(schedule.rows[7] && rowText(schedule.rows[7])).toEqual([
      '9',
      '2025-09-15',
      '2025-10-15',
      '30',
      '9756.79',
      '9756.79',
      '48.78',
      '9805.57',
      '0.00',
    ]);
    expect(sum(schedule.rows.map((row) => row.principal)).toString()).toBe('80292.03');
  });

  it('starts a short first period on a prepayment between due dates', () => {
    const schedule = reamortise(original, '2025-03-01', money('100000.00'), 'LOWER_INSTALMENT');
    expect(schedule.rows[0]).toMatchObject({
      period: 2,
      startDate: '2025-03-01',
      dueDate: '2025-03-15',
      days: 14,
    });
  });

  it('knows what principal the schedule expects after a date', () => {
    expect(principalExpectedAfter(original, '2025-02-14').toString()).toBe('120000.00');
    expect(principalExpectedAfter(original, '2025-02-15').toString()).toBe('110292.03');
    expect(principalExpectedAfter(original, '2026-01-15').toString()).toBe('0.00');
  });
});

describe('repaymentSchedule refuses bad input, naming the field', () => {
  it.each([
    { overrides: { dueDay: 29 }, field: 'dueDay' },
    { overrides: { dueDay: 0 }, field: 'dueDay' },
    { overrides: { termMonths: 0 }, field: 'termMonths' },
    { overrides: { termMonths: 1.5 }, field: 'termMonths' },
    { overrides: { principal: money('0.00') }, field: 'principal' },
    { overrides: { disbursementDate: '2025-02-29' }, field: 'disbursementDate' },
  ])('$field', ({ overrides, field }) => {
    expect(() => repaymentSchedule(loan(overrides))).toThrow(ValidationError);
    expect(() => repaymentSchedule(loan(overrides))).toThrow(expect.objectContaining({ field }));
  });
});
