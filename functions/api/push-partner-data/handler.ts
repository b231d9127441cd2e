import { dependencies } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import { ROUTES } from '../../../shared/http/routes.js';
import { type VerifiedWebhook, verifyWebhookSignature } from '../../../shared/http/webhook-signature.js';
import { receiptView, receivePartnerData } from '../../../shared/services/receive-partner-data.js';

/** A partner platform's signed push; no bearer token, the partner's Standard Webhooks secret instead. */
export const handler = apiHandler<typeof ROUTES.pushPartnerData, VerifiedWebhook>(
  ROUTES.pushPartnerData,
  async ({ params, signed, rawBody, body }) => {
    const { receipt, replayed } = await receivePartnerData(dependencies, {
      partnerId: params.partnerId,
      webhookId: signed.webhookId,
      rawBody,
      push: body,
    });
    return {
      status: replayed ? 200 : 202,
      headers: replayed ? { 'idempotent-replayed': 'true' } : undefined,
      body: receiptView(receipt),
    };
  },
  async ({ rawBody, headers, params }) =>
    verifyWebhookSignature(await dependencies.secrets.partnerPushSecret(params.partnerId), rawBody, headers),
);
