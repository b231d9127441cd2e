import { expiryAfter, WAITS } from '../domain/policy/waits.js';
import { required } from './assessment-input.js';
import { type Dependencies, newEvent } from './dependencies.js';
import { loadApplication } from './load-application.js';
import { reviewRecord } from './review-record.js';

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
  // The officers see the system's proposal; a referral without one is a workflow bug.
  required(app.assessment.systemDecision, 'system decision', applicationId);
  const now = deps.clock.now();
  const at = now.toISOString();
  await deps.applications.transition({
    applicationId,
    from: app.status,
    to: 'IN_REVIEW',
    set: { pendingTask: { kind: 'REVIEW', token: taskToken, expiresAt: expiryAfter(now, WAITS.REVIEW) } },
    events: [newEvent('application.referred', now, { applicationId, uscc: app.applicant.uscc }, {})],
    review: reviewRecord(app, 'PENDING', at),
    at,
  });
}
