import type { RecordedDecision } from '../domain/application.js';
import { publicReasonCode } from '../domain/decisioning/index.js';

/** The public payload of `application.decided`: customer-safe reasons only, no scores, no personal data. */
export function decidedEventData(decision: RecordedDecision): Record<string, unknown> {
  return {
    outcome: decision.outcome,
    decidedBy: decision.decidedBy === 'system' ? 'system' : 'credit-officer',
    limit: decision.limit ? { amount: decision.limit, currency: 'CNY' } : undefined,
    annualRate: decision.annualRate,
    termMonths: decision.termMonths,
    reasons: decision.reasons.map((r) => ({ code: publicReasonCode(r.code), message: r.customerMessage })),
  };
}
