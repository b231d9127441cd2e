import { type DomainEvent, isPartnerEvent } from '../domain/events.js';
import type { Dependencies } from './dependencies.js';

/**
 * Acts on newly committed event items from the table's stream (so only once their
 * transaction committed):
 * - partner-visible events go to the webhook queue;
 * - `application.submitted` starts the application's workflow. The API starts it too; this
 *   is the safety net for a submission whose API call died between its write and the start
 *   (the execution is named after the application, so a second start is a no-op). Only an
 *   application still SUBMITTED is started: a redelivered old record (a stream replayed after
 *   a restart) must not start a second run of one that has moved on;
 * - `drawdown.requested` puts the draw-down on the disbursement queue (an outbox: the
 *   reservation and the order to pay commit together or not at all).
 * Each event is then marked relayed (taken off the outbox index); reconciliation sends again
 * any that stayed unmarked (a relay that crashed, a stream record that expired). Every
 * receiver tolerates a repeat. Returns how many events were forwarded to partners.
 */
export async function relayEvents(
  deps: Pick<Dependencies, 'applications' | 'webhookQueue' | 'disbursementQueue' | 'workflow' | 'outbox'>,
  items: Record<string, unknown>[],
): Promise<number> {
  const events = items.filter(
    (item): item is Record<string, unknown> & DomainEvent =>
      item.entity === 'EVENT' && typeof item.type === 'string',
  );
  let forwarded = 0;
  for (const { eventId, type, occurredAt, applicationId, loanId, creditLineId, uscc, data } of events) {
    if (type === 'application.submitted' && applicationId && (await stillSubmitted(deps, applicationId)))
      await deps.workflow.start(applicationId, { applicationId });
    if (type === 'drawdown.requested' && creditLineId && typeof data.drawdownId === 'string')
      await deps.disbursementQueue.send(
        JSON.stringify({ kind: 'DRAWDOWN', creditLineId, drawdownId: data.drawdownId }),
      );
    if (!isPartnerEvent(type)) continue;
    await deps.webhookQueue.send(
      JSON.stringify({ eventId, type, occurredAt, applicationId, loanId, creditLineId, uscc, data }),
    );
    forwarded++;
  }
  // Only once everything above was sent: a crash before this leaves them for the outbox sweep.
  await deps.outbox.markRelayed(events);
  return forwarded;
}

async function stillSubmitted(
  deps: Pick<Dependencies, 'applications'>,
  applicationId: string,
): Promise<boolean> {
  return (await deps.applications.get(applicationId))?.status === 'SUBMITTED';
}
