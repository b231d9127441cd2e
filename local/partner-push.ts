import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { businessDate } from '../shared/domain/business-date.js';
import { trailingMonths } from '../shared/domain/decisioning/index.js';
import type { PartnerDataPush } from '../shared/services/receive-partner-data.js';

/**
 * The partner `npm start` knows out of the box, and its Standard Webhooks secret: a
 * development value, published in docs/webhooks.md, never used by a deployed stack (there
 * each partner's secret is generated in Secrets Manager). `PARTNER_PUSH_SECRETS` replaces it.
 */
export const LOCAL_PARTNER_ID = 'demo-marketplace';
export const LOCAL_PARTNER_PUSH_SECRET = 'whsec_ZmFzdC1sb2FuIGxvY2FsIHBhcnRuZXIgcHVzaCBrZXk=';

/** The Standard Webhooks headers of a signed push, as a partner platform sends them. */
export function signPush(
  body: string,
  { secret = LOCAL_PARTNER_PUSH_SECRET, id = `msg_${randomUUID()}`, at = new Date() } = {},
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, body),
  };
}

/**
 * A plausible push: 24 months of sales before the month of `today`, seasonal (November and
 * December high, February low), with order counts and a 4% refund ratio.
 */
export function samplePush(
  uscc: string,
  { platform = 'TMALL', kind = 'ECOMMERCE_SALES', monthly = 80_000, today = new Date() } = {} as {
    platform?: string;
    kind?: PartnerDataPush['kind'];
    monthly?: number;
    today?: Date;
  },
): PartnerDataPush {
  const date = businessDate(today);
  const months = trailingMonths(date, 24).map((month) => {
    const season = { '02': 0.7, '11': 1.5, '12': 1.3 }[month.slice(5)] ?? 1;
    const amount = Math.round(monthly * season);
    return { month, amount: `${amount}.00`, orders: Math.round(amount / 160) };
  });
  const lastMonth = months.at(-1)?.month ?? date.slice(0, 7);
  const lastDay = new Date(Date.UTC(Number(lastMonth.slice(0, 4)), Number(lastMonth.slice(5, 7)), 0));
  return { platform, kind, uscc, asOf: lastDay.toISOString().slice(0, 10), months, refundRatio: 0.04 };
}
