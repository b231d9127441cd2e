import type { RecordedDecision } from '../domain/application.js';
import { decide } from '../domain/decisioning/index.js';
import type { Outcome } from '../domain/decisioning/types.js';
import { required } from './assessment-input.js';
import { decidedEventData } from './decided-event.js';
import { type Dependencies, newEvent } from './dependencies.js';
import { loadApplication } from './load-application.js';

/**
 * Decide stage.
 * - DECLINE: the application becomes DECLINED and `application.decided` is written with it.
 * - APPROVE: the decision and `application.decided` are written; MakeOffer follows.
 * - REFER: only the system's proposal is kept; RequestReview puts the case in the officers' queue.
 */
export async function decideApplication(
  deps: Pick<Dependencies, 'applications' | 'clock'>,
  applicationId: string,
): Promise<{ outcome: Outcome }> {
  const app = await loadApplication(deps.applications, applicationId);
  // A retried stage whose first attempt committed: answer as it did, write nothing twice.
  if (app.decision) return { outcome: app.decision.outcome };
  const { assessment } = app;
  const decision = decide({
    identity: required(assessment.identity, 'identity check', applicationId),
    featuresVersion: required(assessment.features, 'features', applicationId).version,
    screening: required(assessment.screening, 'screening', applicationId),
    score: required(assessment.score, 'score', applicationId),
    pricing: required(assessment.pricing, 'pricing', applicationId),
  });
  const now = deps.clock.now();
  const recorded: RecordedDecision = { ...decision, decidedAt: now.toISOString(), decidedBy: 'system' };
  await deps.applications.saveAssessment(applicationId, 'systemDecision', recorded, now.toISOString());
  if (decision.outcome === 'REFER') return { outcome: 'REFER' };

  await deps.applications.transition({
    applicationId,
    from: 'ASSESSING',
    to: decision.outcome === 'DECLINE' ? 'DECLINED' : 'ASSESSING',
    set: { decision: recorded },
    unlessSet: ['decision'],
    events: [
      newEvent(
        'application.decided',
        now,
        { applicationId, uscc: app.applicant.uscc },
        decidedEventData(recorded),
      ),
    ],
    at: now.toISOString(),
  });
  return { outcome: decision.outcome };
}
