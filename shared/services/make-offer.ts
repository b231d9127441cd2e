import { ConflictError } from '../domain/errors.js';
import { expiryAfter, WAITS } from '../domain/policy/waits.js';
import { required } from './assessment-input.js';
import { type Dependencies, newEvent } from './dependencies.js';
import { loadApplication } from './load-application.js';

/** MakeOffer stage (a `.waitForTaskToken` task): presents the approved terms and waits for the customer. */
export async function makeOffer(
  deps: Pick<Dependencies, 'applications' | 'clock'>,
  input: { applicationId: string; taskToken: string },
): Promise<void> {
  const { applicationId, taskToken } = input;
  const app = await loadApplication(deps.applications, applicationId);
  const decision = required(app.decision, 'decision', applicationId);
  if (decision.outcome !== 'APPROVE')
    throw new ConflictError(`application ${applicationId} was not approved`);
  const now = deps.clock.now();
  const expiresAt = expiryAfter(now, WAITS.OFFER);
  const offer = {
    limit: { amount: required(decision.limit, 'limit', applicationId), currency: 'CNY' as const },
    annualRate: required(decision.annualRate, 'annual rate', applicationId),
    termMonths: required(decision.termMonths, 'term', applicationId),
    expiresAt,
  };
  await deps.applications.transition({
    applicationId,
    from: app.status,
    to: 'OFFERED',
    set: { offer, pendingTask: { kind: 'OFFER', token: taskToken, expiresAt } },
    events: [newEvent('offer.made', now, { applicationId, uscc: app.applicant.uscc }, { ...offer })],
    at: now.toISOString(),
  });
}
