import { Money } from '../money.js';
import { amountsIn, growth, ratio, round4, sumAmounts, trailingMonths } from './features.js';
import type { Features, Signal, SourceOutcome } from './types.js';

/**
 * Partner platform data: what e-commerce marketplaces and supply-chain platforms push to the
 * bank about an enterprise's sales through them (a signed webhook, `POST /v1/partner-data/{partnerId}`).
 * Most SMEs sell through no partner platform, so this data is a bonus, never a requirement:
 * its absence refers or declines nothing, and when present it informs the credit officer
 * (INFO signals and partner features in the staff explanation) without touching the
 * scorecard, whose bins were fitted without it.
 */

export const PARTNER_DATA_KINDS = ['ECOMMERCE_SALES', 'SUPPLY_CHAIN_ORDERS'] as const;
/** ECOMMERCE_SALES: the enterprise's sales on a marketplace; SUPPLY_CHAIN_ORDERS: orders a core enterprise placed with it. */
export type PartnerDataKind = (typeof PARTNER_DATA_KINDS)[number];

export interface PartnerMonth {
  /** "YYYY-MM". */
  month: string;
  /** Gross amount in CNY, a decimal string ("123456.78"). */
  amount: string;
  orders?: number;
}

/** The latest push of one platform about one enterprise, as stored and as put in the snapshot. */
export interface PartnerDataRecord {
  partnerId: string;
  /** The platform's code, e.g. "TMALL"; one partner may run several. */
  platform: string;
  kind: PartnerDataKind;
  uscc: string;
  /** The business date the partner's figures run to ("YYYY-MM-DD"). */
  asOf: string;
  /** Oldest first. */
  months: PartnerMonth[];
  /** Share of the gross amount refunded or returned over the months pushed, 0..1. */
  refundRatio?: number;
  /** The push's `webhook-id`, and when the bank received it (ISO 8601 UTC). */
  webhookId: string;
  receivedAt: string;
}

/** What CollectData found: the latest push of each platform, none (MISSING, the usual case), or a failed read. */
export type PartnerDataOutcome = SourceOutcome<PartnerDataRecord[]>;

export const PARTNER_POLICY = {
  version: 'partner-2026.11',
  /**
   * Platform sales are part of an enterprise's sales, so they should not exceed its taxable
   * sales. Timing (orders booked before invoicing) and VAT explain small gaps; beyond 20%
   * either sales go untaxed or the platform's figures are inflated, both worth an officer's look.
   */
  maxShareOfVerifiedRevenue: 1.2,
  /** Returns above 15% of gross sales are high for most categories and eat the margin the sales suggest. */
  highRefundRatio: 0.15,
  /** Platform sales falling by more than 30% year on year. */
  decliningGrowth: -0.3,
  /** Figures older than about two months no longer describe the business at the time of the decision. */
  staleAfterDays: 62,
} as const;

export interface PartnerPlatformSummary {
  partnerId: string;
  platform: string;
  kind: PartnerDataKind;
  asOf: string;
  receivedAt: string;
  /** Months of the last 12 (before the month of the decision) that the push covers. */
  monthsInLast12: number;
  sales12m: string;
  orders12m: number | null;
  refundRatio: number | null;
}

export interface PartnerAssessment {
  version: string;
  /**
   * PRESENT: at least one platform pushed data; NONE: none did (most SMEs); FAILED: the read
   * failed and the decision went on without it; NOT_COLLECTED: a snapshot from before partner data.
   */
  status: 'PRESENT' | 'NONE' | 'FAILED' | 'NOT_COLLECTED';
  platforms: PartnerPlatformSummary[];
  values: {
    /** Whole yuan over the last 12 months, all platforms together. */
    partnerSales12m: number | null;
    partnerOrders12m: number | null;
    /** Partner sales over the tax-verified revenue of the same 12 months. */
    partnerShareOfVerifiedRevenue: number | null;
    /** Last 12 months over the 12 before, minus one; only when every platform covers both years. */
    partnerSalesGrowth: number | null;
    /** Refund or return ratio, weighted by each platform's sales. */
    partnerRefundRatio: number | null;
  };
  /** The exact partner sales, summed in fen (CNY decimal string). */
  amounts: { partnerSales12m: string | null };
  /** INFO only: partner data explains, it never refers or declines. */
  signals: Signal[];
}

const CONSIDERED = 'Information from your partner platforms was taken into account.';

/**
 * Partner features and staff signals from the snapshot's partner data and the tax-verified
 * revenue the feature builder computed (`features.amounts.verifiedRevenue12m`). Pure, so a
 * stored snapshot explains itself the same way again; the 12-month window is the feature
 * builder's (the whole months before the month of `asOf`).
 */
export function assessPartnerData(
  outcome: PartnerDataOutcome | undefined,
  features: Features,
  asOf: string,
): PartnerAssessment {
  const base = { version: PARTNER_POLICY.version, platforms: [], signals: [] };
  const empty = {
    values: {
      partnerSales12m: null,
      partnerOrders12m: null,
      partnerShareOfVerifiedRevenue: null,
      partnerSalesGrowth: null,
      partnerRefundRatio: null,
    },
    amounts: { partnerSales12m: null },
  };
  if (outcome === undefined) return { ...base, ...empty, status: 'NOT_COLLECTED' };
  if (outcome.status === 'FAILED') {
    return {
      ...base,
      ...empty,
      status: 'FAILED',
      signals: [
        info(
          'PARTNER_DATA_UNAVAILABLE',
          `reading partner platform data failed (${outcome.error}); decided without it`,
        ),
      ],
    };
  }
  if (outcome.status === 'MISSING' || outcome.data.length === 0) {
    return { ...base, ...empty, status: 'NONE' };
  }

  const records = [...outcome.data].sort(
    (a, b) => a.platform.localeCompare(b.platform) || a.kind.localeCompare(b.kind),
  );
  const last12 = trailingMonths(asOf, 12);
  const previous12 = trailingMonths(asOf, 12, 12);
  const platforms = records.map((record) => summarize(record, last12));
  const sales = records.map((record) => sumAmounts(amountsIn(record.months, last12)));
  const total = sales.reduce((sum, amount) => sum.add(amount), Money.zero());
  const previousTotal = records.reduce(
    (sum, record) => sum.add(sumAmounts(amountsIn(record.months, previous12))),
    Money.zero(),
  );
  const coversBothYears = records.every(
    (record) =>
      amountsIn(record.months, last12).length === 12 && amountsIn(record.months, previous12).length === 12,
  );
  const orders = platforms.map((platform) => platform.orders12m);
  const verified = features.amounts?.verifiedRevenue12m ?? null;

  const values: PartnerAssessment['values'] = {
    partnerSales12m: Number(total.minor / 100n),
    partnerOrders12m: orders.every((count) => count !== null)
      ? orders.reduce<number>((sum, count) => sum + (count ?? 0), 0)
      : null,
    partnerShareOfVerifiedRevenue: verified === null ? null : ratio(total, Money.parse(verified)),
    partnerSalesGrowth: coversBothYears ? growth(total, previousTotal) : null,
    partnerRefundRatio: weightedRefundRatio(records, sales),
  };

  const signals: Signal[] = [
    info(
      'PARTNER_DATA',
      platforms
        .map(
          (p) =>
            `${p.platform} ${p.kind} (partner ${p.partnerId}, as of ${p.asOf}): ${p.sales12m} CNY over ${p.monthsInLast12} of the last 12 months`,
        )
        .join('; ') +
        (values.partnerShareOfVerifiedRevenue === null
          ? '; no verified revenue to compare with'
          : `; ${percent(values.partnerShareOfVerifiedRevenue)} of verified revenue ${verified}`),
    ),
  ];
  const share = values.partnerShareOfVerifiedRevenue;
  if (share !== null && share > PARTNER_POLICY.maxShareOfVerifiedRevenue) {
    signals.push(
      info(
        'PARTNER_SALES_ABOVE_VERIFIED',
        `partner platforms report ${total} CNY of sales in 12 months, ${percent(share)} of the tax-verified ${verified}: untaxed sales, or inflated platform figures`,
      ),
    );
  }
  const refunds = values.partnerRefundRatio;
  if (refunds !== null && refunds > PARTNER_POLICY.highRefundRatio) {
    signals.push(
      info(
        'PARTNER_HIGH_REFUNDS',
        `refunds and returns are ${percent(refunds)} of platform sales (above ${percent(PARTNER_POLICY.highRefundRatio)})`,
      ),
    );
  }
  const trend = values.partnerSalesGrowth;
  if (trend !== null && trend < PARTNER_POLICY.decliningGrowth) {
    signals.push(
      info(
        'PARTNER_SALES_DECLINING',
        `platform sales ${percent(trend)} year on year (${previousTotal} -> ${total} CNY)`,
      ),
    );
  }
  for (const record of records) {
    const age = daysBetween(record.asOf, asOf);
    if (age > PARTNER_POLICY.staleAfterDays) {
      signals.push(
        info(
          'PARTNER_DATA_STALE',
          `${record.platform} ${record.kind} figures run to ${record.asOf}, ${age} days before the decision`,
        ),
      );
    }
  }
  return {
    ...base,
    status: 'PRESENT',
    platforms,
    values,
    amounts: { partnerSales12m: total.toString() },
    signals,
  };
}

function summarize(record: PartnerDataRecord, last12: readonly string[]): PartnerPlatformSummary {
  const wanted = new Set(last12);
  const window = record.months.filter(({ month }) => wanted.has(month));
  const withOrders = window.filter((month) => month.orders !== undefined);
  return {
    partnerId: record.partnerId,
    platform: record.platform,
    kind: record.kind,
    asOf: record.asOf,
    receivedAt: record.receivedAt,
    monthsInLast12: window.length,
    sales12m: sumAmounts(window).toString(),
    orders12m:
      window.length > 0 && withOrders.length === window.length
        ? withOrders.reduce((sum, month) => sum + (month.orders ?? 0), 0)
        : null,
    refundRatio: record.refundRatio ?? null,
  };
}

function weightedRefundRatio(records: readonly PartnerDataRecord[], sales: readonly Money[]): number | null {
  let weighted = 0;
  let weight = 0;
  records.forEach((record, index) => {
    const amount = Number(sales[index]?.minor ?? 0n);
    if (record.refundRatio === undefined || amount === 0) return;
    weighted += record.refundRatio * amount;
    weight += amount;
  });
  return weight === 0 ? null : round4(weighted / weight);
}

function info(code: string, detail: string): Signal {
  return { code, severity: 'INFO', customerMessage: CONSIDERED, detail };
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/** Calendar days from `from` to `to`, both "YYYY-MM-DD". */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
