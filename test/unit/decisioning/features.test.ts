import { describe, expect, it } from 'vitest';
import {
  buildFeatures,
  recentSpike,
  relatedPartyFlows,
  sumAmounts,
  trailingMonths,
  wholeMonthsBetween,
} from '../../../shared/domain/decisioning/features.js';
import { Money } from '../../../shared/domain/money.js';
import { AS_OF, answer, applicant, asOlderSnapshot, collected, flat, twoYears } from './builders.js';

describe('buildFeatures', () => {
  it('profiles the healthy enterprise with numbers checkable by hand', () => {
    // Prepare: the builder's enterprise (see `collected`): 500,000.00 a month of sales and so on.
    const data = collected();

    // Act
    const features = buildFeatures(applicant(), data, AS_OF);

    // Assess
    expect(features.version).toBe('features-3');
    expect(features.asOf).toBe(AS_OF);
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
      taxPaid12m: 210_000, // 12 × 17,500
      taxPaidToSales: 0.035, // 210,000 / 6,000,000
      purchaseToSalesRatio: 0.8163, // 4,800,000 / 5,880,000
      redLetterRatio: 0.01,
      topCustomerShare: 0.2,
      top5CustomerShare: 0.55, // 0.2 + 0.15 + 0.1 + 0.05 + 0.05
      invoiceToTradeInflowRatio: 0.9615, // 5,880,000 / (6,240,000 − 124,800 from the legal representative)
      relatedPartyInflowShare: 0.02, // 124,800 / 6,240,000
      relatedPartyFlowShare: 0.0158, // (124,800 + 62,400) / (6,240,000 + 5,640,000)
      roundTripShare: 0.01, // min(124,800, 62,400) / 6,240,000
      salesSpikeRatio: 1, // the last 3 months average what the 9 before do
      averageBalance12m: 300_000, // 250,000 and 350,000 in turn
      balanceVolatility: 0.1667, // σ 50,000 / μ 300,000
      returnedPayments12m: 1, // the 2 of 2025-02 are older than 12 months
      lenderCount: 2,
      creditLineUtilisation: 0.8, // 400,000 drawn of 500,000
      inquiriesLast6Months: 2,
      worstDaysPastDue12m: 0, // 2025-03 is outside 2025-11..2026-10
      worstDaysPastDue24m: 12,
      overdueMonths24m: 1,
      addressChanges24m: 1, // 2025-06-01; 2021-03-01 is older than 24 months
    });
    expect(features.amounts).toEqual({
      verifiedRevenue12m: '6000000.00',
      outstandingDebt: '600000.00',
      taxPaid12m: '210000.00',
      undrawnCreditLines: '100000.00',
    });
  });

  it('reads a snapshot stored before the richer records: the old features as before, the new ones null', () => {
    const features = buildFeatures(applicant(), asOlderSnapshot(collected()), AS_OF);
    const current = buildFeatures(applicant(), collected(), AS_OF);
    const featuresOf2 = [
      'monthsSinceEstablishment',
      'verifiedRevenue12m',
      'revenueGrowth',
      'revenueVolatility',
      'taxToInvoiceRatio',
      'invoiceToBankRatio',
      'debtToRevenue',
      'inquiriesLast3Months',
      'overdueAccounts',
      'casesAsDefendant',
      'legalRepresentativeAge',
    ];
    for (const [name, value] of Object.entries(features.values)) {
      // The red-letter ratio and the monthly sales a spike is read from were always in the records.
      if (featuresOf2.includes(name) || name === 'redLetterRatio' || name === 'salesSpikeRatio') {
        expect(value).toBe(current.values[name]);
      } else expect(value, name).toBeNull();
    }
    expect(features.amounts).toMatchObject({ taxPaid12m: null, undrawnCreditLines: null });
  });

  it('measures round-tripping per counterparty: only what went both ways with the same party counts', () => {
    const months = trailingMonths(AS_OF, 12);
    const transfers = months.flatMap((month) => [
      // 100,000 in from the affiliate and 90,000 back: 90,000 went round.
      {
        month,
        counterparty: '甲公司',
        relation: 'AFFILIATE' as const,
        inflow: '100000.00',
        outflow: '90000.00',
      },
      // A shareholder paid in 50,000 and took nothing back: a loan, not a circle.
      { month, counterparty: '乙', relation: 'SHAREHOLDER' as const, inflow: '50000.00', outflow: '0.00' },
    ]);
    const flows = relatedPartyFlows(transfers, months);
    expect(flows).toMatchObject({
      inflow: Money.parse('1800000.00'),
      outflow: Money.parse('1080000.00'),
      roundTrip: Money.parse('1080000.00'),
    });
    expect(flows.counterparties.map(({ counterparty }) => counterparty)).toEqual(['甲公司', '乙']);
    const base = collected();
    if (base.bankFlows.status !== 'ANSWERED') throw new Error('builder changed');
    const data = collected({
      bankFlows: answer({ ...base.bankFlows.data, relatedPartyTransfers: transfers }),
    });
    // 1,080,000 of 6,240,000 inflows.
    expect(buildFeatures(applicant(), data, AS_OF).values.roundTripShare).toBe(0.1731);
  });

  it('compares the last 3 months of sales with the 9 before them', () => {
    const sales = trailingMonths(AS_OF, 24).map((month, index) => ({
      month,
      amount: index >= 21 ? '1000000.00' : '500000.00',
    }));
    const data = collected({ tax: answer({ grade: 'A', monthlySales: sales, arrears: '0.00' }) });
    expect(buildFeatures(applicant(), data, AS_OF).values.salesSpikeRatio).toBe(2);
    expect(recentSpike(sales, AS_OF)).toMatchObject({
      recent: Money.parse('3000000.00'),
      recentMonths: 3,
      baseline: Money.parse('4500000.00'),
      baselineMonths: 9,
      yearBefore: Money.parse('1500000.00'),
    });
  });

  it('counts the worst overdue by window, and lenders once however many facilities each has', () => {
    const base = collected();
    if (base.bureau.status !== 'ANSWERED') throw new Error('builder changed');
    const data = collected({
      bureau: answer({
        ...base.bureau.data,
        outstandingDebt: '300000.00',
        facilities: [
          { institution: '招商银行', type: 'CREDIT_LINE', limit: '200000.00', balance: '100000.00' },
          { institution: '招商银行', type: 'LOAN', limit: '200000.00', balance: '200000.00' },
        ],
        overdueHistory: [
          { month: '2024-10', worstDaysPastDue: 120 }, // 25 months back: outside
          { month: '2025-01', worstDaysPastDue: 40 },
          { month: '2026-09', worstDaysPastDue: 8 },
        ],
      }),
    });
    expect(buildFeatures(applicant(), data, AS_OF).values).toMatchObject({
      lenderCount: 1,
      creditLineUtilisation: 0.5,
      worstDaysPastDue12m: 8,
      worstDaysPastDue24m: 40,
      overdueMonths24m: 2,
    });
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
    expect(features.amounts).toEqual({
      verifiedRevenue12m: null,
      outstandingDebt: null,
      taxPaid12m: null,
      undrawnCreditLines: null,
    });
    expect(features.values).toMatchObject({
      taxPaid12m: null,
      taxPaidToSales: null,
      salesSpikeRatio: null,
      lenderCount: null,
      inquiriesLast6Months: null,
      worstDaysPastDue24m: null,
      // Invoices and bank answered: what needs only them is still there.
      relatedPartyInflowShare: 0.02,
      topCustomerShare: 0.2,
    });
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
