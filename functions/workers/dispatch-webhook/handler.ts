import * as z from 'zod';
import { secrets, wire } from '../../../shared/adapters/wiring.js';
import { sqsHandler } from '../../../shared/lambda/sqs-handler.js';
import { systemClock } from '../../../shared/ports/clock.js';
import { dispatchWebhook } from '../../../shared/services/dispatch-webhook.js';

const dependencies = wire({ secrets });

const Event = z.object({
  eventId: z.string(),
  type: z.string(),
  occurredAt: z.string(),
  applicationId: z.string().optional(),
  loanId: z.string().optional(),
  creditLineId: z.string().optional(),
  uscc: z.string(),
  data: z.record(z.string(), z.unknown()),
});

/** Empty when the bank configured no partner: events then stay in the table's timelines only. */
const partnerUrl = process.env.PARTNER_WEBHOOK_URL ?? '';

/** Delivers partner events from the webhook queue; failures are retried by SQS, then dead-lettered. */
export const handler = sqsHandler('dispatch-webhook', Event, async (event) => {
  if (!partnerUrl) return;
  const secret = await dependencies.secrets.get('partnerWebhookSecret');
  // The signature's timestamp guards partners against replays, checked against their own
  // wall clock: it is the real time of sending, never the (locally advanceable) business clock.
  await dispatchWebhook({ clock: systemClock }, { url: partnerUrl, secret }, event);
});
