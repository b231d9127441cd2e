import { describe, expect, it } from 'vitest';
import {
  buildFeatures,
  sumAmounts,
  trailingMonths,
  wholeMonthsBetween,
} from '../../../shared/domain/decisioning/features.js';
import { AS_OF, answer, applicant, collected, flat, twoYears } from './builders.js';

describe('buildFeatures', () => {
  it('profiles the healthy enterprise with numbers checkable by hand', () => {
    // Prepare: 500,000.00 a month of sales, 490,000.00 invoiced, 520,000.00 into the bank, 600,000.00 owed.
    const data = collected();

    // Act
    const features = buildFeatures(applicant(), data, AS_OF);

    // Assess
    expect(features.version).toBe('features-2');
    expect(features.categories).toEqual({ taxGrade: 'A', industry: 'F' });
    expect(features.values).toEqual({
      monthsSinceEstablishment: 86, // 2019-09-15 -> 2026-11-15: 7 years and 2 months
      verifiedRevenue12m: 6_000_000, // 12 × 500,000
      revenueGrowth: 0, // 6,000,000 against 6,000,000
      revenueVolatility: 0, // every month the same
      taxToInvoiceRatio: 1.0204, // 6,000,000 / 5,880,000
      invoiceToBankRatio: 0.9423, // 5,880,000 / 6,240,000
      debtToRevenue: 0.1, // 600,000 / 6,000,000
      inquiriesLast3Months: 1,
      overdueAccounts: 0,
      casesAsDefendant: 0,
      legalRepresentativeAge: 47, // born 1979-03-12
    });
    expect(features.amounts).toEqual({ verifiedRevenue12m: '6000000.00', outstandingDebt: '600000.00' });
  });

  it('reads the 12 full months before the month of asOf, leaving the current month out', () => {
    const sales = [...flat('100.00'), { month: '2026-11', amount: '9999999.00' }];
    const features = buildFeatures(
      applicant(),
      collected({ tax: answer({ grade: 'A', monthlySales: sales, arrears: '0.00' }) }),
      AS_OF,
    );
    expect(features.values.verifiedRevenue12m).toBe(1_200);
  });

  it('measures growth as last 12 months against the previous 12: 6.0m against 4.8m is +25%', () => {
    const data = collected({
      tax: answer({ grade: 'A', monthlySales: twoYears('400000.00', '500000.00'), arrears: '0.00' }),
    });
    expect(buildFeatures(applicant(), data, AS_OF).values.revenueGrowth).toBe(0.25);
  });

  it('measures volatility as the coefficient of variation: 400k and 600k alternating is 100k / 500k = 0.2', () => {
    const sales = trailingMonths(AS_OF, 12).map((month, index) => ({
      month,
      amount: index % 2 === 0 ? '400000.00' : '600000.00',
    }));
    const data = collected({ tax: answer({ grade: 'A', monthlySales: sales, arrears: '0.00' }) });
    expect(buildFeatures(applicant(), data, AS_OF).values.revenueVolatility).toBe(0.2);
  });

  it('leaves growth out for an 18-month-old company and volatility out below 6 months of sales', () => {
    const young = collected({
      tax: answer({ grade: 'M', monthlySales: flat('300000.00', 18), arrears: '0.00' }),
    });
    expect(buildFeatures(applicant(), young, AS_OF).values).toMatchObject({
      verifiedRevenue12m: 3_600_000,
      revenueGrowth: null,
      revenueVolatility: 0,
    });
    const newborn = collected({
      tax: answer({ grade: 'M', monthlySales: flat('300000.00', 5), arrears: '0.00' }),
    });
    expect(buildFeatures(applicant(), newborn, AS_OF).values.revenueVolatility).toBeNull();
  });

  it('is null wherever the source did not answer', () => {
    const data = collected({
      tax: { status: 'MISSING' },
      bureau: { status: 'FAILED', error: 'timeout' },
      litigation: { status: 'FAILED', error: 'timeout' },
    });
    const features = buildFeatures(applicant(), data, AS_OF);
    expect(features.values).toMatchObject({
      verifiedRevenue12m: null,
      revenueGrowth: null,
      revenueVolatility: null,
      taxToInvoiceRatio: null,
      invoiceToBankRatio: 0.9423,
      debtToRevenue: null,
      inquiriesLast3Months: null,
      overdueAccounts: null,
      casesAsDefendant: null,
    });
    expect(features.amounts).toEqual({ verifiedRevenue12m: null, outstandingDebt: null });
  });
});

describe('sumAmounts', () => {
  it('adds in fen, exactly: 0.10 + 0.20 = 0.30', () => {
    const total = sumAmounts([
      { month: '2026-01', amount: '0.10' },
      { month: '2026-02', amount: '0.20' },
    ]);
    expect(total.toString()).toBe('0.30');
  });
});

describe('calendar helpers', () => {
  it.each([
    { from: '2024-11-15', to: '2026-11-15', months: 24 },
    { from: '2024-11-16', to: '2026-11-15', months: 23 },
    { from: '2026-01-31', to: '2026-02-28', months: 0 },
    { from: '2026-01-31', to: '2026-03-01', months: 1 },
  ])('$from -> $to is $months whole months', ({ from, to, months }) => {
    expect(wholeMonthsBetween(from, to)).toBe(months);
  });

  it('lists trailing months across a year end', () => {
    expect(trailingMonths('2026-01-10', 3)).toEqual(['2025-10', '2025-11', '2025-12']);
    expect(trailingMonths('2026-01-10', 2, 12)).toEqual(['2024-11', '2024-12']);
  });
});
