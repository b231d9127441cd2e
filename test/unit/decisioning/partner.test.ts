import { describe, expect, it } from 'vitest';
import {
  assess,
  assessPartnerData,
  buildFeatures,
  type PartnerDataRecord,
  type PartnerMonth,
  trailingMonths,
} from '../../../shared/domain/decisioning/index.js';
import { AS_OF, applicant, collected, USCC } from './builders.js';

/** 24 months before AS_OF (2024-11..2026-10): the first 12 at `previous`, the last 12 at `last`. */
function months(previous: string, last: string, orders?: number): PartnerMonth[] {
  return trailingMonths(AS_OF, 24).map((month, index) => ({
    month,
    amount: index < 12 ? previous : last,
    ...(orders === undefined ? {} : { orders }),
  }));
}

function record(overrides: Partial<PartnerDataRecord> = {}): PartnerDataRecord {
  return {
    partnerId: 'demo-marketplace',
    platform: 'TMALL',
    kind: 'ECOMMERCE_SALES',
    uscc: USCC,
    asOf: '2026-10-31',
    months: months('100000.00', '100000.00', 500),
    refundRatio: 0.05,
    webhookId: 'msg_1',
    receivedAt: '2026-11-01T02:00:00.000Z',
    ...overrides,
  };
}

/** The builders' healthy enterprise: 6,000,000.00 of tax-verified revenue in the last 12 months. */
const features = buildFeatures(applicant(), collected(), AS_OF);
const present = (...records: PartnerDataRecord[]) =>
  assessPartnerData({ status: 'ANSWERED', data: records }, features, AS_OF);
const codes = (signals: { code: string }[]) => signals.map((signal) => signal.code);

describe('partner platform data for staff', () => {
  it('says so when the snapshot predates partner data, when no platform pushed any, and when reading it failed', () => {
    expect(assessPartnerData(undefined, features, AS_OF)).toMatchObject({
      status: 'NOT_COLLECTED',
      signals: [],
    });
    expect(assessPartnerData({ status: 'MISSING' }, features, AS_OF)).toMatchObject({
      status: 'NONE',
      signals: [],
      values: { partnerSales12m: null, partnerShareOfVerifiedRevenue: null },
    });
    const failed = assessPartnerData(
      { status: 'FAILED', error: 'no answer within 2500 ms' },
      features,
      AS_OF,
    );
    expect(failed.status).toBe('FAILED');
    expect(failed.signals).toEqual([
      expect.objectContaining({
        code: 'PARTNER_DATA_UNAVAILABLE',
        severity: 'INFO',
        detail: expect.stringContaining('no answer within 2500 ms'),
      }),
    ]);
  });

  it('sums the last 12 months exactly and compares them with verified revenue', () => {
    // 12 × 100,000.01 = 1,200,000.12 of 6,000,000.00 = 20%; 12 × 500 orders.
    const result = present(record({ months: months('100000.01', '100000.01', 500) }));

    expect(result.status).toBe('PRESENT');
    expect(result.amounts.partnerSales12m).toBe('1200000.12');
    expect(result.values).toEqual({
      partnerSales12m: 1_200_000,
      partnerOrders12m: 6000,
      partnerShareOfVerifiedRevenue: 0.2,
      partnerSalesGrowth: 0,
      partnerRefundRatio: 0.05,
    });
    expect(result.platforms).toEqual([
      {
        partnerId: 'demo-marketplace',
        platform: 'TMALL',
        kind: 'ECOMMERCE_SALES',
        asOf: '2026-10-31',
        receivedAt: '2026-11-01T02:00:00.000Z',
        monthsInLast12: 12,
        sales12m: '1200000.12',
        orders12m: 6000,
        refundRatio: 0.05,
      },
    ]);
    expect(result.signals).toEqual([
      {
        code: 'PARTNER_DATA',
        severity: 'INFO',
        customerMessage: expect.any(String),
        detail:
          'TMALL ECOMMERCE_SALES (partner demo-marketplace, as of 2026-10-31): 1200000.12 CNY over 12 of the last 12 months; 20.0% of verified revenue 6000000.00',
      },
    ]);
  });

  it('adds platforms together and weights their refund ratios by sales', () => {
    // TMALL 1,200,000 at 40% refunds, JD supply chain 3,600,000 at 10%: (0.48m + 0.36m) / 4.8m = 17.5%.
    const result = present(
      record({ refundRatio: 0.4 }),
      record({
        partnerId: 'jd-supply',
        platform: 'JD',
        kind: 'SUPPLY_CHAIN_ORDERS',
        months: months('300000.00', '300000.00'),
        refundRatio: 0.1,
      }),
    );

    expect(result.values).toMatchObject({
      partnerSales12m: 4_800_000,
      partnerShareOfVerifiedRevenue: 0.8,
      partnerRefundRatio: 0.175,
      // JD sent no order counts, so there is no total.
      partnerOrders12m: null,
    });
    expect(result.platforms.map((p) => p.platform)).toEqual(['JD', 'TMALL']);
    expect(codes(result.signals)).toEqual(['PARTNER_DATA', 'PARTNER_HIGH_REFUNDS']);
  });

  it.each([
    [
      'platform sales above 120% of verified revenue',
      { months: months('650000.00', '650000.00') },
      'PARTNER_SALES_ABOVE_VERIFIED',
    ],
    [
      'platform sales down more than 30% on the year',
      { months: months('200000.00', '100000.00') },
      'PARTNER_SALES_DECLINING',
    ],
    ['figures more than 62 days old', { asOf: '2026-08-31' }, 'PARTNER_DATA_STALE'],
  ])('flags %s, for information only', (_, overrides, code) => {
    const result = present(record(overrides));

    expect(codes(result.signals)).toEqual(['PARTNER_DATA', code]);
    expect(result.signals.every((signal) => signal.severity === 'INFO')).toBe(true);
  });

  it('leaves growth out when a platform does not cover both years', () => {
    const recent = trailingMonths(AS_OF, 6).map((month) => ({ month, amount: '50000.00' }));
    const result = present(record({ months: recent }));

    expect(result.values.partnerSalesGrowth).toBeNull();
    expect(result.values.partnerSales12m).toBe(300_000);
    expect(result.platforms[0]?.monthsInLast12).toBe(6);
  });

  it('never changes the decision: with or without partner data, strong or alarming, the outcome and limit are the same', () => {
    const data = collected();
    const without = assess(applicant(), data, AS_OF);
    for (const partner of [
      record(),
      record({ months: months('900000.00', '100000.00'), refundRatio: 0.6, asOf: '2025-01-31' }),
    ]) {
      const withPartner = assess(
        applicant(),
        { ...data, partner: { status: 'ANSWERED', data: [partner] } },
        AS_OF,
      );
      expect(withPartner.decision).toEqual(without.decision);
      expect(withPartner.score).toEqual(without.score);
      expect(withPartner.partner.status).toBe('PRESENT');
    }
    expect(
      assess(applicant(), { ...data, partner: { status: 'FAILED', error: 'x' } }, AS_OF).decision,
    ).toEqual(without.decision);
  });
});
