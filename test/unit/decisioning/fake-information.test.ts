import { describe, expect, it } from 'vitest';
import { trailingMonths } from '../../../shared/domain/decisioning/features.js';
import {
  IDENTITY_POLICY,
  identityPolicySchema,
  publicReasonCode,
  verifyIdentity,
} from '../../../shared/domain/decisioning/identity.js';
import type {
  BankFlowRecord,
  CollectedData,
  InvoiceRecord,
  MonthlyAmount,
  RegistryRecord,
  RelatedPartyTransfer,
  TaxRecord,
} from '../../../shared/domain/decisioning/types.js';
import { AS_OF, answer, applicant, asOlderSnapshot, collected, flat } from './builders.js';

const base = collected();
function records(data: CollectedData) {
  if (
    data.registry.status !== 'ANSWERED' ||
    data.tax.status !== 'ANSWERED' ||
    data.invoices.status !== 'ANSWERED' ||
    data.bankFlows.status !== 'ANSWERED'
  ) {
    throw new Error('the builder answers every source');
  }
  return {
    registry: data.registry.data,
    tax: data.tax.data,
    invoices: data.invoices.data,
    bankFlows: data.bankFlows.data,
  };
}
const healthy = records(base);

const signalsOf = (data: CollectedData) =>
  verifyIdentity(applicant(), data, AS_OF).signals.map(({ code, severity }) => `${code}:${severity}`);
const withBank = (bank: Partial<BankFlowRecord>) =>
  collected({ bankFlows: answer({ ...healthy.bankFlows, ...bank }) });
const withTax = (tax: Partial<TaxRecord>) => collected({ tax: answer({ ...healthy.tax, ...tax }) });
const withInvoices = (invoices: Partial<InvoiceRecord>) =>
  collected({ invoices: answer({ ...healthy.invoices, ...invoices }) });
const withRegistry = (registry: Partial<RegistryRecord>) =>
  collected({ registry: answer({ ...healthy.registry, ...registry }) });

/** Twelve months of the same transfer with one counterparty; `lastOut` replaces the last month's outflow. */
function transfers(
  counterparty: string,
  relation: RelatedPartyTransfer['relation'],
  inflow: string,
  outflow: string,
  lastOut = outflow,
): RelatedPartyTransfer[] {
  return trailingMonths(AS_OF, 12).map((month, index) => ({
    month,
    counterparty,
    relation,
    inflow,
    outflow: index === 11 ? lastOut : outflow,
  }));
}

describe('fake-information signals (identity-2026.12)', () => {
  it('raise nothing on the healthy enterprise, nor on a snapshot stored before the richer records', () => {
    expect(verifyIdentity(applicant(), base, AS_OF)).toEqual({
      policyVersion: 'identity-2026.12',
      passed: true,
      signals: [],
    });
    expect(verifyIdentity(applicant(), asOlderSnapshot(base), AS_OF).signals).toEqual([]);
  });

  describe('ROUND_TRIPPING: declines from 30% of the bank inflows going round with related parties', () => {
    // Bank inflows are 6,240,000.00 a year: 30% is 1,872,000.00, 156,000.00 a month.
    it('declines at exactly 30%', () => {
      const data = withBank({
        relatedPartyTransfers: transfers('闽江源控股有限公司', 'SHAREHOLDER', '156000.00', '156000.00'),
      });
      const [signal] = verifyIdentity(applicant(), data, AS_OF).signals;
      expect(signal).toEqual({
        code: 'ROUND_TRIPPING',
        severity: 'DECLINE',
        customerMessage: 'We could not verify the information provided.',
        detail:
          '1872000.00 of the 12-month bank inflows of 6240000.00 (30%) came from related parties and went back to them; policy declines from 30%: 闽江源控股有限公司 (SHAREHOLDER, registry shareholder 20%): in 1872000.00, out 1872000.00',
      });
    });

    it('passes one fen below', () => {
      const data = withBank({
        relatedPartyTransfers: transfers(
          '闽江源控股有限公司',
          'SHAREHOLDER',
          '156000.00',
          '156000.00',
          '155999.99',
        ),
      });
      expect(signalsOf(data)).toEqual([]);
    });

    it('does not count money a shareholder paid in and left in the business', () => {
      const data = withBank({
        relatedPartyTransfers: transfers('林志远', 'LEGAL_REPRESENTATIVE', '156000.00', '0.00'),
      });
      expect(signalsOf(data)).toEqual([]);
    });

    it('adds up the circles of several parties', () => {
      const data = withBank({
        relatedPartyTransfers: [
          ...transfers('甲供应链有限公司', 'AFFILIATE', '100000.00', '100000.00'),
          ...transfers('林志远', 'LEGAL_REPRESENTATIVE', '60000.00', '56000.00'),
        ],
      });
      // 1,200,000 + 672,000 = 1,872,000 = 30%.
      expect(signalsOf(data)).toEqual(['ROUND_TRIPPING:DECLINE']);
    });
  });

  describe('REVENUE_MISMATCH compares bank inflows without the money from related parties', () => {
    it('declines when sales are only matched by money the owners paid in', () => {
      // 6,240,000 in, of which 2,400,000 from the legal representative: 3,840,000 of trade against 6,000,000 of sales.
      const data = withBank({
        relatedPartyTransfers: transfers('林志远', 'LEGAL_REPRESENTATIVE', '200000.00', '0.00'),
      });
      const [signal] = verifyIdentity(applicant(), data, AS_OF).signals;
      expect(signal).toMatchObject({
        code: 'REVENUE_MISMATCH',
        detail:
          '12-month totals disagree beyond 1.5x: tax sales 6000000.00, invoices issued 5880000.00, bank inflows from trade 3840000.00 (6240000.00 less 2400000.00 from related parties)',
      });
    });

    it('passes the same inflows when the bank reports no related parties', () => {
      expect(signalsOf(withBank({ relatedPartyTransfers: [] }))).toEqual([]);
    });
  });

  describe('REVENUE_SPIKE: refers when the last 3 months average 1.5x both baselines', () => {
    /** 24 months of tax sales at 500,000.00, the last three replaced. */
    const salesEndingWith = (last3: string[], yearBefore = '500000.00'): MonthlyAmount[] =>
      trailingMonths(AS_OF, 24).map((month, index) => ({
        month,
        amount:
          index >= 21 ? (last3[index - 21] ?? '0.00') : index >= 9 && index < 12 ? yearBefore : '500000.00',
      }));

    it('refers at exactly 1.5x, naming the series', () => {
      const data = withTax({ monthlySales: salesEndingWith(['750000.00', '750000.00', '750000.00']) });
      const [signal] = verifyIdentity(applicant(), data, AS_OF).signals;
      expect(signal).toEqual({
        code: 'REVENUE_SPIKE',
        severity: 'REFER',
        customerMessage: 'We need a little more time to check your application.',
        detail:
          'turnover jumped just before the application (1.5x or more, monthly averages): tax sales 2250000.00 in the last 3 months against 4500000.00 in the 9 before, 1500000.00 in the same months a year before',
      });
    });

    it('passes one fen below', () => {
      const data = withTax({ monthlySales: salesEndingWith(['750000.00', '750000.00', '749999.99']) });
      expect(signalsOf(data)).toEqual([]);
    });

    it('catches a single month three times the usual', () => {
      const data = withTax({ monthlySales: salesEndingWith(['500000.00', '500000.00', '1500000.00']) });
      expect(signalsOf(data)).toEqual(['REVENUE_SPIKE:REFER']);
    });

    it('passes a seasonal peak the business had in the same months a year before', () => {
      const data = withTax({
        monthlySales: salesEndingWith(['1000000.00', '1000000.00', '1000000.00'], '900000.00'),
      });
      expect(signalsOf(data)).toEqual([]);
    });

    it('reads a young company against its trailing months only', () => {
      const sales = flat('500000.00', 12).map(({ month }, index) => ({
        month,
        amount: index >= 9 ? '800000.00' : '500000.00',
      }));
      expect(signalsOf(withTax({ monthlySales: sales, monthlyTaxPaid: undefined }))).toEqual([
        'REVENUE_SPIKE:REFER',
      ]);
    });

    it('looks at bank inflows too', () => {
      const inflows = healthy.bankFlows.monthlyInflow.map(({ month }, index) => ({
        month,
        amount: index >= 21 ? '1000000.00' : '520000.00',
      }));
      const [signal] = verifyIdentity(applicant(), withBank({ monthlyInflow: inflows }), AS_OF).signals;
      expect(signal?.code).toBe('REVENUE_SPIKE');
      expect(signal?.detail).toContain('bank inflows 3000000.00 in the last 3 months');
    });
  });

  describe('HIGH_RED_LETTER_RATIO: refers from 10% of invoices cancelled or reversed', () => {
    it.each([
      { ratio: 0.0999, expected: [] },
      { ratio: 0.1, expected: ['HIGH_RED_LETTER_RATIO:REFER'] },
      { ratio: 0.35, expected: ['HIGH_RED_LETTER_RATIO:REFER'] },
    ])('red-letter ratio $ratio -> $expected', ({ ratio, expected }) => {
      expect(signalsOf(withInvoices({ redLetterRatio: ratio }))).toEqual(expected);
    });

    it('tells staff the share and the threshold', () => {
      const [signal] = verifyIdentity(applicant(), withInvoices({ redLetterRatio: 0.18 }), AS_OF).signals;
      expect(signal?.detail).toBe(
        '18% of issued invoices were cancelled or reversed by red-letter invoices; policy refers from 10%',
      );
    });
  });

  describe('FREQUENT_ADDRESS_CHANGES: a note for staff that never changes the outcome', () => {
    it.each([
      { changes: ['2025-01-10', '2025-08-01'], expected: [] },
      { changes: ['2024-11-15', '2025-01-10', '2025-08-01'], expected: [] }, // the first is 24 months back to the day
      { changes: ['2024-11-16', '2025-01-10', '2025-08-01'], expected: ['FREQUENT_ADDRESS_CHANGES:INFO'] },
    ])('$changes -> $expected', ({ changes, expected }) => {
      const data = withRegistry({ addressChanges: changes.map((changedOn) => ({ changedOn })) });
      const result = verifyIdentity(applicant(), data, AS_OF);
      expect(result.signals.map(({ code, severity }) => `${code}:${severity}`)).toEqual(expected);
      expect(result.passed).toBe(true);
    });
  });

  it.each([
    ['ROUND_TRIPPING', 'INFORMATION_NOT_VERIFIED'],
    ['REVENUE_MISMATCH', 'INFORMATION_NOT_VERIFIED'],
    ['REVENUE_SPIKE', 'ADDITIONAL_REVIEW'],
    ['HIGH_RED_LETTER_RATIO', 'ADDITIONAL_REVIEW'],
    ['FREQUENT_ADDRESS_CHANGES', 'ADDITIONAL_REVIEW'],
    ['ID_NAME_MISMATCH', 'ID_NAME_MISMATCH'],
  ])('shows %s to customers and partners as %s', (code, shown) => {
    expect(publicReasonCode(code)).toBe(shown);
  });

  it('is validated data: a policy that would pass a source twice the other is refused', () => {
    expect(() =>
      identityPolicySchema.parse({ ...IDENTITY_POLICY, maxRevenueSourceRatioBasisPoints: 9_000 }),
    ).toThrow();
    expect(() => identityPolicySchema.parse({ ...IDENTITY_POLICY, version: 'identity-next' })).toThrow();
  });
});
