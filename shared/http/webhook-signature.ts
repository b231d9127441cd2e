import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { UnauthorizedError } from '../domain/errors.js';
import { systemClock } from '../ports/clock.js';
import { HttpProblem } from './problem.js';

/** The tolerance the Standard Webhooks library applies to `webhook-timestamp`, either way. */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

/** Webhook ids become part of a table key: letters, digits and `_ . : -` only (Standard Webhooks ids are `msg_...`). */
const WEBHOOK_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

const NOT_VERIFIED = 'the webhook signature could not be verified';

export interface VerifiedWebhook {
  webhookId: string;
  /** The sender's `webhook-timestamp`. */
  sentAt: Date;
}

/**
 * Checks an inbound Standard Webhooks signature (https://www.standardwebhooks.com/): an
 * HMAC-SHA256 of "webhook-id.webhook-timestamp.raw body" under the sender's secret, in
 * `webhook-signature` ("v1,<base64>", several separated by spaces while a secret is rotated),
 * with a timestamp within 5 minutes of the bank's wall clock either way (the library's
 * window; replays after it fail here, replays within it are caught by the receipt of the id).
 * `now` is real time, never the local runtime's advanceable business clock: the sender
 * signs with its own wall clock.
 *
 * An unknown sender (no `secret`) and a wrong signature get the same answer, so the route does
 * not tell a prober which partner ids exist. Throws UnauthorizedError (401) for every failure
 * of authentication, and a 400 problem for an authentic request whose `webhook-id` the bank
 * cannot key by.
 */
export function verifyWebhookSignature(
  secret: string | undefined,
  rawBody: string,
  headers: Readonly<Record<string, string | undefined>>,
  now: Date = systemClock.now(),
): VerifiedWebhook {
  const webhookId = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signature = headers['webhook-signature'];
  if (!webhookId || !timestamp || !signature) {
    throw new UnauthorizedError(
      'the webhook-id, webhook-timestamp and webhook-signature headers are required (Standard Webhooks)',
    );
  }
  // The library checks the same window; checking it first names the problem without reading its messages.
  if (!/^\d{1,12}$/.test(timestamp)) {
    throw new UnauthorizedError('webhook-timestamp must be whole seconds since the Unix epoch');
  }
  const sentAt = new Date(Number(timestamp) * 1000);
  if (Math.abs(now.getTime() - sentAt.getTime()) > WEBHOOK_TOLERANCE_SECONDS * 1000) {
    throw new UnauthorizedError(
      `webhook-timestamp is more than ${WEBHOOK_TOLERANCE_SECONDS / 60} minutes from the current time`,
    );
  }
  if (!secret) throw new UnauthorizedError(NOT_VERIFIED);
  try {
    new Webhook(secret).verify(
      rawBody,
      { 'webhook-id': webhookId, 'webhook-timestamp': timestamp, 'webhook-signature': signature },
      { jsonParse: false },
    );
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    throw new UnauthorizedError(NOT_VERIFIED, { cause: error });
  }
  if (!WEBHOOK_ID.test(webhookId)) {
    throw new HttpProblem(400, 'Invalid request', 'webhook-id: 1 to 128 letters, digits or _ . : -', [
      { field: 'webhook-id', message: '1 to 128 characters [A-Za-z0-9_.:-]' },
    ]);
  }
  return { webhookId, sentAt };
}
