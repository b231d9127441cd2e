import type { ApplicationRecord } from '../domain/application.js';
import type { ReviewRecord } from '../ports/stores.js';

/** The officers' queue entry for an application: what they need to decide, and the decision once made. */
export function reviewRecord(
  app: ApplicationRecord,
  status: ReviewRecord['status'],
  at: string,
  decided?: Pick<ReviewRecord, 'decidedBy' | 'decidedAt' | 'outcome' | 'proposedBy' | 'approvalLimit'>,
): ReviewRecord {
  const proposal = app.assessment.systemDecision;
  return {
    applicationId: app.id,
    status,
    createdAt: at,
    uscc: app.applicant.uscc,
    enterpriseName: app.applicant.enterpriseName,
    requestedAmount: app.applicant.requestedAmount,
    proposedLimit: proposal?.limit,
    reasons: (proposal?.reasons ?? []).map((r) => ({ code: r.code, detail: r.detail })),
    ...decided,
  };
}
