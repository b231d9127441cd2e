import type { DomainEvent } from '../../domain/events.js';
import { keys } from './table.js';

/** An event item lives beside the aggregate it announces, so its timeline is one Query. */
export function eventItem(event: DomainEvent): Record<string, unknown> {
  const key = event.applicationId
    ? keys.applicationEvent(event.applicationId, event.occurredAt, event.eventId)
    : keys.loanEvent(event.loanId ?? event.creditLineId ?? 'unknown', event.occurredAt, event.eventId);
  return { ...key, entity: 'EVENT', ...event };
}
