import type { RecordedDecision } from '../domain/application.js';
import { DECISION_POLICY } from '../domain/decisioning/index.js';
import { ConflictError, ValidationError } from '../domain/errors.js';
import { Money } from '../domain/money.js';
import { required } from './assessment-input.js';
import { decidedEventData } from './decided-event.js';
import { type Dependencies, newEvent } from './dependencies.js';
import { loadApplication } from './load-application.js';
import type { Principal } from './principal.js';
import { reviewRecord } from './review-record.js';

export interface ReviewDecisionRequest {
  outcome: 'APPROVE' | 'DECLINE';
  /** An officer may approve a lower limit than the system proposed, never a higher one. */
  limit?: { amount: string; currency: 'CNY' };
  comment: string;
}

/** The smallest limit worth booking, the same floor the automatic decision applies. */
const MINIMUM_LIMIT = Money.parse(DECISION_POLICY.minimumLimit);

/**
 * A credit officer decides a referred case.
 * 1. The case must be IN_REVIEW and waiting on the review callback.
 * 2. The decision, the deciding user and the comment are recorded with `application.decided`;
 *    the review leaves the PENDING queue. The task token stays until the next stage replaces it,
 *    so the same officer repeating the same decision re-sends it (a lost callback is not fatal).
 * 3. The workflow resumes with the outcome (APPROVE goes on to the offer).
 */
export async function decideReview(
  deps: Pick<Dependencies, 'applications' | 'workflow' | 'clock'>,
  input: { principal: Principal; applicationId: string; request: ReviewDecisionRequest },
): Promise<RecordedDecision> {
  const { principal, applicationId, request } = input;
  const app = await loadApplication(deps.applications, applicationId);
  if (app.decision) {
    const repeated =
      app.decision.decidedBy === principal.subject &&
      app.decision.outcome === request.outcome &&
      (!request.limit || Money.fromJson(request.limit).toString() === app.decision.limit);
    if (!repeated)
      throw new ConflictError(
        `application ${applicationId} was already decided by ${app.decision.decidedBy}`,
      );
    // The same officer repeating the same decision: it may not have reached the workflow.
    if (app.pendingTask?.kind === 'REVIEW')
      await deps.workflow.sendTaskSuccess(app.pendingTask.token, { outcome: request.outcome });
    return app.decision;
  }
  if (app.status !== 'IN_REVIEW' || app.pendingTask?.kind !== 'REVIEW') {
    throw new ConflictError(
      `application ${applicationId} is ${app.status}, not waiting for a review decision`,
    );
  }
  if (app.pendingTask.expiresAt <= deps.clock.now().toISOString()) {
    throw new ConflictError(
      `the review of application ${applicationId} expired at ${app.pendingTask.expiresAt}`,
    );
  }
  const proposal = required(app.assessment.systemDecision, 'system decision', applicationId);
  const proposedLimit = Money.parse(required(proposal.limit, 'proposed limit', applicationId));
  const limit =
    request.outcome === 'APPROVE' && request.limit
      ? Money.fromJson(request.limit, 'limit.amount')
      : proposedLimit;
  if (request.outcome === 'APPROVE') {
    if (limit.compare(proposedLimit) > 0) {
      throw new ValidationError(
        `limit may not exceed the proposed limit of ${proposedLimit.toString()} CNY`,
        'limit.amount',
      );
    }
    if (limit.compare(MINIMUM_LIMIT) < 0) {
      throw new ValidationError(
        `limit must be at least ${MINIMUM_LIMIT.toString()} CNY; decline instead`,
        'limit.amount',
      );
    }
  }
  const now = deps.clock.now();
  const at = now.toISOString();
  const reason = {
    code: request.outcome === 'APPROVE' ? 'OFFICER_APPROVED' : 'OFFICER_DECLINED',
    customerMessage:
      request.outcome === 'APPROVE'
        ? 'Approved after review by a credit officer.'
        : 'Declined after review by a credit officer.',
    detail: request.comment,
  };
  const decision: RecordedDecision =
    request.outcome === 'APPROVE'
      ? {
          ...proposal,
          outcome: 'APPROVE',
          limit: limit.toString(),
          reasons: [reason],
          decidedAt: at,
          decidedBy: principal.subject,
          comment: request.comment,
        }
      : {
          ...proposal,
          outcome: 'DECLINE',
          limit: undefined,
          annualRate: undefined,
          termMonths: undefined,
          reasons: [reason],
          decidedAt: at,
          decidedBy: principal.subject,
          comment: request.comment,
        };
  const token = app.pendingTask.token;
  await deps.applications.transition({
    applicationId,
    from: 'IN_REVIEW',
    to: request.outcome === 'APPROVE' ? 'IN_REVIEW' : 'DECLINED',
    set: { decision },
    // Two officers deciding at once: the first write wins, the second gets ConflictError.
    unlessSet: ['decision'],
    events: [
      newEvent(
        'application.decided',
        now,
        { applicationId, uscc: app.applicant.uscc },
        decidedEventData(decision),
      ),
    ],
    review: reviewRecord(app, 'DECIDED', at, {
      decidedBy: principal.subject,
      decidedAt: at,
      outcome: request.outcome,
    }),
    at,
  });
  if (!(await deps.workflow.sendTaskSuccess(token, { outcome: request.outcome }))) {
    throw new ConflictError('the decision reached us after the review expired; the application expires');
  }
  return decision;
}
