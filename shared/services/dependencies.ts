import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '../domain/events.js';
import type { Clock } from '../ports/clock.js';
import type { CoreBanking } from '../ports/core-banking.js';
import type { EnterpriseDataProvider } from '../ports/enterprise-data.js';
import type { MessageQueue } from '../ports/queue.js';
import type { Secrets } from '../ports/secrets.js';
import type {
  ApplicationStore,
  AuditLog,
  BlacklistStore,
  DisbursementStore,
  EventOutbox,
  LoanStore,
  PartnerDataStore,
  ScoreSampleStore,
} from '../ports/stores.js';
import type { Workflow } from '../ports/workflow.js';

/** Everything a use case may touch. Each service declares the subset it needs with Pick<>. */
export interface Dependencies {
  applications: ApplicationStore;
  loans: LoanStore;
  disbursements: DisbursementStore;
  blacklist: BlacklistStore;
  workflow: Workflow;
  webhookQueue: MessageQueue;
  /** Draw-downs to pay out; the workflow sends first disbursements to the same queue itself. */
  disbursementQueue: MessageQueue;
  coreBanking: CoreBanking;
  enterpriseData: EnterpriseDataProvider;
  secrets: Secrets;
  clock: Clock;
  partnerData: PartnerDataStore;
  scoreSamples: ScoreSampleStore;
  outbox: EventOutbox;
  /** The audit trail's read side; its records are written by the stores, with each change. */
  audit: AuditLog;
}

export function newEvent(
  type: string,
  at: Date,
  subject: Pick<DomainEvent, 'applicationId' | 'loanId' | 'creditLineId' | 'uscc'>,
  data: Record<string, unknown>,
): DomainEvent {
  return { eventId: randomUUID(), type, occurredAt: at.toISOString(), ...subject, data };
}
