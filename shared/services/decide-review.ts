import type {
  ApplicationRecord,
  PendingApproval,
  PendingTask,
  RecordedDecision,
} from '../domain/application.js';
import type { AuditState } from '../domain/audit.js';
import { DECISION_POLICY } from '../domain/decisioning/index.js';
import { ConflictError, ForbiddenError, ValidationError } from '../domain/errors.js';
import { Money } from '../domain/money.js';
import { REVIEW_POLICY } from '../domain/policy/review.js';
import { required } from './assessment-input.js';
import { type Actor, auditAppend, textDigest, whileAuditHeadMoves } from './audit-trail.js';
import { decidedEventData } from './decided-event.js';
import { type Dependencies, newEvent } from './dependencies.js';
import { loadApplication } from './load-application.js';
import { resumeWorkflow } from './resume-workflow.js';
import { reviewRecord } from './review-record.js';

export interface ReviewDecisionRequest {
  outcome: 'APPROVE' | 'DECLINE';
  /** An officer may approve a lower limit than the system proposed, never a higher one. */
  limit?: { amount: string; currency: 'CNY' };
  comment: string;
}

/** The smallest limit worth booking, the same floor the automatic decision applies. */
const MINIMUM_LIMIT = Money.parse(DECISION_POLICY.minimumLimit);
const DUAL_CONTROL_ABOVE = Money.parse(REVIEW_POLICY.dualControlAbove);

type Deps = Pick<Dependencies, 'applications' | 'workflow' | 'clock' | 'audit'>;

/**
 * A credit officer decides a referred case; large approvals need a second person.
 * 1. The case must be IN_REVIEW, waiting on the review callback, before its deadline.
 * 2. A decline, or an approval up to REVIEW_POLICY.dualControlAbove, is final: the decision,
 *    the deciding user and the comment are recorded with `application.decided`, and the
 *    workflow resumes.
 * 3. A larger approval is recorded as pending: the case moves to the AWAITING_APPROVAL queue
 *    and the workflow keeps waiting. Only a user with the `approver` role who is not the
 *    maker may then confirm it (at that limit or lower) or decline it (maker-checker).
 * 4. Two people deciding at once: the first write wins, the other gets ConflictError. The
 *    same person repeating the same decision gets the same answer (and the callback again).
 * 5. Each proposal and decision is recorded in the audit trail (`review.proposed`,
 *    `review.confirmed`, `review.decided`) in the same transaction; a repeat records nothing.
 *    When other audited changes moved the audit head first, the case is read and decided again.
 */
export function decideReview(
  deps: Deps,
  input: { actor: Actor; applicationId: string; request: ReviewDecisionRequest },
): Promise<ApplicationRecord> {
  return whileAuditHeadMoves(`the decision on application ${input.applicationId}`, () =>
    decideOnce(deps, input),
  );
}

async function decideOnce(
  deps: Deps,
  input: { actor: Actor; applicationId: string; request: ReviewDecisionRequest },
): Promise<ApplicationRecord> {
  const { actor: principal, applicationId, request } = input;
  const app = await loadApplication(deps.applications, applicationId);
  if (app.decision) return repeatOf(deps, app, principal, request);
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
  const pending = app.pendingApproval;
  if (pending) {
    if (pending.by === principal.subject) {
      if (request.outcome === 'APPROVE' && sameLimit(request, pending.limit)) return app;
      throw new ForbiddenError(
        'a second approval must come from someone other than the officer who proposed it',
      );
    }
    if (principal.role !== 'approver') {
      throw new ForbiddenError(
        `approvals above ${DUAL_CONTROL_ABOVE.toString()} CNY are confirmed by the approver role`,
      );
    }
  }
  const proposal = required(app.assessment.systemDecision, 'system decision', applicationId);
  const ceiling = Money.parse(pending?.limit ?? required(proposal.limit, 'proposed limit', applicationId));
  const limit =
    request.outcome === 'APPROVE' && request.limit ? Money.fromJson(request.limit, 'limit.amount') : ceiling;
  if (request.outcome === 'APPROVE') {
    if (limit.compare(ceiling) > 0) {
      throw new ValidationError(
        `limit may not exceed the ${pending ? 'limit proposed by the first officer' : 'proposed limit'} of ${ceiling.toString()} CNY`,
        'limit.amount',
      );
    }
    if (limit.compare(MINIMUM_LIMIT) < 0) {
      throw new ValidationError(
        `limit must be at least ${MINIMUM_LIMIT.toString()} CNY; decline instead`,
        'limit.amount',
      );
    }
    if (!pending && limit.compare(DUAL_CONTROL_ABOVE) > 0)
      return proposeApproval(deps, app, principal, limit, request.comment);
  }
  return decideFinally(deps, app, principal, request, limit, proposal);
}

/** What the audit trail keeps of a case under review: no names, and the comment as a digest. */
function reviewState(app: ApplicationRecord): AuditState {
  return {
    status: app.status,
    uscc: app.applicant.uscc,
    pendingApproval: app.pendingApproval
      ? { by: app.pendingApproval.by, limit: app.pendingApproval.limit }
      : null,
  };
}

function sameLimit(request: ReviewDecisionRequest, limit: string | undefined): boolean {
  return !request.limit || Money.fromJson(request.limit).toString() === limit;
}

/** The same person sending the same decision again: answer as before and re-send the callback. */
async function repeatOf(
  deps: Deps,
  app: ApplicationRecord,
  principal: Actor,
  request: ReviewDecisionRequest,
) {
  const decision = app.decision as RecordedDecision;
  const repeated =
    decision.decidedBy === principal.subject &&
    decision.outcome === request.outcome &&
    sameLimit(request, decision.limit);
  if (!repeated)
    throw new ConflictError(`application ${app.id} was already decided by ${decision.decidedBy}`);
  if (app.pendingTask?.kind === 'REVIEW')
    await resumeWorkflow(deps, app.pendingTask, { outcome: request.outcome });
  return app;
}

async function proposeApproval(
  deps: Deps,
  app: ApplicationRecord,
  principal: Actor,
  limit: Money,
  comment: string,
) {
  const now = deps.clock.now();
  const at = now.toISOString();
  const pendingApproval: PendingApproval = { by: principal.subject, at, limit: limit.toString(), comment };
  await deps.applications.transition({
    applicationId: app.id,
    from: 'IN_REVIEW',
    to: 'IN_REVIEW',
    set: { pendingApproval },
    unlessSet: ['decision', 'pendingApproval'],
    events: [
      newEvent('review.approval-requested', now, { applicationId: app.id, uscc: app.applicant.uscc }, {}),
    ],
    review: reviewRecord(app, 'AWAITING_APPROVAL', at, {
      proposedBy: principal.subject,
      approvalLimit: limit.toString(),
    }),
    audit: await auditAppend(deps, principal, at, [
      {
        action: 'review.proposed',
        entityType: 'APPLICATION',
        entityId: app.id,
        before: reviewState(app),
        after: { ...reviewState({ ...app, pendingApproval }), commentSha256: textDigest(comment) },
      },
    ]),
    at,
  });
  return { ...app, pendingApproval, updatedAt: at };
}

async function decideFinally(
  deps: Deps,
  app: ApplicationRecord,
  principal: Actor,
  request: ReviewDecisionRequest,
  limit: Money,
  proposal: RecordedDecision,
) {
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
  const approvedBy = app.pendingApproval ? [app.pendingApproval.by, principal.subject] : [principal.subject];
  const decision: RecordedDecision =
    request.outcome === 'APPROVE'
      ? {
          ...proposal,
          outcome: 'APPROVE',
          limit: limit.toString(),
          reasons: [reason],
          decidedAt: at,
          decidedBy: principal.subject,
          approvedBy,
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
  const to = request.outcome === 'APPROVE' ? 'IN_REVIEW' : 'DECLINED';
  await deps.applications.transition({
    applicationId: app.id,
    from: 'IN_REVIEW',
    to,
    set: { decision },
    // Two people deciding at once: the first write wins, the second gets ConflictError; and a
    // decision made without having seen a proposal may not replace one written meanwhile.
    unlessSet: app.pendingApproval ? ['decision'] : ['decision', 'pendingApproval'],
    events: [
      newEvent(
        'application.decided',
        now,
        { applicationId: app.id, uscc: app.applicant.uscc },
        decidedEventData(decision),
      ),
    ],
    review: reviewRecord(app, 'DECIDED', at, {
      decidedBy: principal.subject,
      decidedAt: at,
      outcome: request.outcome,
    }),
    audit: await auditAppend(deps, principal, at, [
      {
        // The checker's approval of a maker's proposal; anything else is a decision of its own.
        action: app.pendingApproval && request.outcome === 'APPROVE' ? 'review.confirmed' : 'review.decided',
        entityType: 'APPLICATION',
        entityId: app.id,
        before: reviewState(app),
        after: {
          status: to,
          uscc: app.applicant.uscc,
          outcome: request.outcome,
          limit: decision.limit ?? null,
          decidedBy: principal.subject,
          approvedBy: decision.approvedBy ?? null,
          commentSha256: textDigest(request.comment),
        },
      },
    ]),
    at,
  });
  await resumeWorkflow(deps, app.pendingTask as PendingTask, { outcome: request.outcome });
  return {
    ...app,
    decision,
    status: request.outcome === 'APPROVE' ? app.status : ('DECLINED' as const),
    updatedAt: at,
  };
}
