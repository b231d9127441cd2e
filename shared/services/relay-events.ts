import { type DomainEvent, isPartnerEvent } from '../domain/events.js';
import type { Dependencies } from './dependencies.js';

/**
 * Forwards the partner-visible events among newly written table items to the webhook queue.
 * Runs on the table's stream, so an event is relayed only once its transaction committed.
 * Returns how many were forwarded.
 */
export async function relayEvents(
  deps: Pick<Dependencies, 'webhookQueue'>,
  items: Record<string, unknown>[],
): Promise<number> {
  const events = items.filter(
    (item): item is Record<string, unknown> & DomainEvent =>
      item.entity === 'EVENT' && typeof item.type === 'string' && isPartnerEvent(item.type),
  );
  for (const { eventId, type, occurredAt, applicationId, loanId, creditLineId, uscc, data } of events) {
    await deps.webhookQueue.send(
      JSON.stringify({ eventId, type, occurredAt, applicationId, loanId, creditLineId, uscc, data }),
    );
  }
  return events.length;
}
