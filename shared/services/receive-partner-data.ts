import { createHash } from 'node:crypto';
import { businessDate } from '../domain/business-date.js';
import type { PartnerDataKind, PartnerDataRecord, PartnerMonth } from '../domain/decisioning/partner.js';
import { IdempotencyKeyReusedError, ValidationError } from '../domain/errors.js';
import { type PartnerPushReceipt, PartnerReceiptExistsError } from '../ports/stores.js';
import type { Dependencies } from './dependencies.js';

/** What a partner platform pushes about one enterprise (the validated body). */
export interface PartnerDataPush {
  platform: string;
  kind: PartnerDataKind;
  uscc: string;
  asOf: string;
  months: PartnerMonth[];
  refundRatio?: number;
}

export interface SignedPartnerPush {
  /** The partner whose secret verified the signature. */
  partnerId: string;
  webhookId: string;
  /** The body exactly as signed. */
  rawBody: string;
  push: PartnerDataPush;
}

/**
 * A partner platform pushes an enterprise's monthly sales or orders (the signature was
 * verified at the edge with this partner's secret).
 * 1. A `webhook-id` this partner used before is a redelivery: the first receipt is the
 *    answer (`replayed`) and nothing is stored; the same id with another body is refused
 *    (IdempotencyKeyReusedError, 422).
 * 2. Figures dated after the bank's current business date are refused (ValidationError,
 *    422): stored, they would outrank every honest push that follows.
 * 3. The push becomes the latest data of its (uscc, platform, kind), with its receipt, in one
 *    transaction; a push older than the stored one is only receipted (SUPERSEDED); a platform
 *    another partner supplies for the enterprise is a conflict (409). The next application
 *    of the enterprise reads it in CollectData.
 */
export async function receivePartnerData(
  deps: Pick<Dependencies, 'partnerData' | 'clock'>,
  input: SignedPartnerPush,
): Promise<{ receipt: PartnerPushReceipt; replayed: boolean }> {
  const { partnerId, webhookId, push } = input;
  const bodyDigest = createHash('sha256').update(input.rawBody, 'utf8').digest('hex');
  const earlier = await deps.partnerData.findReceipt(partnerId, webhookId);
  if (earlier) return redelivery(earlier, bodyDigest);

  const now = deps.clock.now();
  // One day of slack: a partner in another time zone may already be a day ahead.
  const latestAllowed = businessDate(new Date(now.getTime() + 86_400_000));
  if (push.asOf > latestAllowed) {
    throw new ValidationError(`asOf ${push.asOf} is in the future`, 'asOf');
  }
  const receivedAt = now.toISOString();
  const record: PartnerDataRecord = {
    partnerId,
    platform: push.platform,
    kind: push.kind,
    uscc: push.uscc,
    asOf: push.asOf,
    months: push.months,
    ...(push.refundRatio === undefined ? {} : { refundRatio: push.refundRatio }),
    webhookId,
    receivedAt,
  };
  try {
    const receipt = await deps.partnerData.record(record, {
      partnerId,
      webhookId,
      bodyDigest,
      receivedAt,
      uscc: push.uscc,
      platform: push.platform,
      kind: push.kind,
      asOf: push.asOf,
    });
    return { receipt, replayed: false };
  } catch (error) {
    // A concurrent delivery of the same message won the race: answer as it did.
    if (!(error instanceof PartnerReceiptExistsError)) throw error;
    const first = await deps.partnerData.findReceipt(partnerId, webhookId);
    if (!first) throw error;
    return redelivery(first, bodyDigest);
  }
}

function redelivery(
  receipt: PartnerPushReceipt,
  bodyDigest: string,
): { receipt: PartnerPushReceipt; replayed: boolean } {
  if (receipt.bodyDigest !== bodyDigest) {
    throw new IdempotencyKeyReusedError(
      `webhook-id ${receipt.webhookId} was received before with another body; a new message needs a new id`,
    );
  }
  return { receipt, replayed: true };
}

/** The receipt as the partner sees it (without the body digest). */
export function receiptView({ bodyDigest, ...receipt }: PartnerPushReceipt) {
  return receipt;
}
