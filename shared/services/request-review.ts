import { expiryAfter, WAITS } from '../domain/policy/waits.js';
import { required } from './assessment-input.js';
import { type Dependencies, newEvent } from './dependencies.js';
import { loadApplication } from './load-application.js';

/**
 * RequestReview stage (a `.waitForTaskToken` task): puts the referred case in the officers'
 * queue with the system's proposal and reasons, and keeps the token that resumes the workflow.
 */
export async function requestReview(
  deps: Pick<Dependencies, 'applications' | 'clock'>,
  input: { applicationId: string; taskToken: string },
): Promise<void> {
  const { applicationId, taskToken } = input;
  const app = await loadApplication(deps.applications, applicationId);
  const proposal = required(app.assessment.systemDecision, 'system decision', applicationId);
  const now = deps.clock.now();
  const at = now.toISOString();
  await deps.applications.transition({
    applicationId,
    from: app.status,
    to: 'IN_REVIEW',
    set: { pendingTask: { kind: 'REVIEW', token: taskToken, expiresAt: expiryAfter(now, WAITS.REVIEW) } },
    events: [newEvent('application.referred', now, { applicationId, uscc: app.applicant.uscc }, {})],
    review: {
      applicationId,
      status: 'PENDING',
      createdAt: at,
      uscc: app.applicant.uscc,
      enterpriseName: app.applicant.enterpriseName,
      requestedAmount: app.applicant.requestedAmount,
      proposedLimit: proposal.limit,
      reasons: proposal.reasons.map((r) => ({ code: r.code, detail: r.detail })),
    },
    at,
  });
}
