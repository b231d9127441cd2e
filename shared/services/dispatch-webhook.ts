import { Webhook } from 'standardwebhooks';
import type { DomainEvent } from '../domain/events.js';
import type { Clock } from '../ports/clock.js';

export class WebhookDeliveryError extends Error {
  override name = 'WebhookDeliveryError';
}

export interface WebhookTarget {
  url: string;
  /** Standard Webhooks secret, "whsec_" followed by base64. */
  secret: string;
}

/**
 * Delivers one event to a partner, signed per the Standard Webhooks specification:
 * `webhook-id` is the event id (stable across retries, so partners can drop duplicates),
 * `webhook-timestamp` the send time, `webhook-signature` an HMAC-SHA256 of
 * "id.timestamp.body". A non-2xx answer or a network error throws, so the queue retries it
 * and, after the last attempt, dead-letters it.
 */
export async function dispatchWebhook(
  deps: { clock: Clock; fetch?: typeof fetch },
  target: WebhookTarget,
  event: DomainEvent,
  timeoutMs = 5000,
): Promise<void> {
  const body = JSON.stringify({
    type: event.type,
    timestamp: event.occurredAt,
    data: {
      ...event.data,
      eventId: event.eventId,
      applicationId: event.applicationId,
      loanId: event.loanId,
      creditLineId: event.creditLineId,
      uscc: event.uscc,
    },
  });
  const sentAt = deps.clock.now();
  const signature = new Webhook(target.secret).sign(event.eventId, sentAt, body);
  const send = deps.fetch ?? fetch;
  let response: Response;
  try {
    response = await send(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': event.eventId,
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new WebhookDeliveryError(
      `delivery of ${event.type} failed: ${error instanceof Error ? error.message : 'network error'}`,
      {
        cause: error,
      },
    );
  }
  if (!response.ok) {
    throw new WebhookDeliveryError(`partner answered ${response.status} to ${event.type} ${event.eventId}`);
  }
}
