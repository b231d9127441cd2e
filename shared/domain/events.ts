/**
 * A domain event: written in the same DynamoDB transaction as the state change it announces,
 * then relayed from the table's stream to the webhook queue. `type` names are the public
 * contract with partners (docs/webhooks.md).
 */
export const PARTNER_EVENT_TYPES = [
  'application.decided',
  'loan.disbursed',
  'drawdown.disbursed',
  'repayment.received',
  'repayment.refunded',
  'instalment.due',
  'loan.overdue',
  'loan.settled',
] as const;

export interface DomainEvent {
  eventId: string;
  type: string;
  occurredAt: string;
  applicationId?: string;
  loanId?: string;
  creditLineId?: string;
  uscc: string;
  data: Record<string, unknown>;
}

export function isPartnerEvent(type: string): type is (typeof PARTNER_EVENT_TYPES)[number] {
  return (PARTNER_EVENT_TYPES as readonly string[]).includes(type);
}
