import { clock, partnerData, secrets, wire } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import * as routes from '../../../shared/http/routes.js';
import { type VerifiedWebhook, verifyWebhookSignature } from '../../../shared/http/webhook-signature.js';
import { receiptView, receivePartnerData } from '../../../shared/services/receive-partner-data.js';

const dependencies = wire({ clock, partnerData, secrets });

/** A partner platform's signed push; no bearer token, the partner's Standard Webhooks secret instead. */
export const handler = apiHandler<typeof routes.pushPartnerData, VerifiedWebhook>(
  routes.pushPartnerData,
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
