import type { WaitKind } from '../domain/application.js';
import { type Dependencies, newEvent } from './dependencies.js';
import { loadApplication } from './load-application.js';
import { reviewRecord } from './review-record.js';

/** ExpireApplication stage: a wait for a person (review, offer, signature) ran out of time. */
export async function expireApplication(
  deps: Pick<Dependencies, 'applications' | 'clock'>,
  input: { applicationId: string; stage: WaitKind },
): Promise<void> {
  const app = await loadApplication(deps.applications, input.applicationId);
  if (app.status === 'EXPIRED') return;
  const now = deps.clock.now();
  const at = now.toISOString();
  await deps.applications.transition({
    applicationId: app.id,
    from: app.status,
    to: 'EXPIRED',
    set: { expiry: { stage: input.stage, at } },
    remove: ['pendingTask'],
    events: [
      newEvent(
        'application.expired',
        now,
        { applicationId: app.id, uscc: app.applicant.uscc },
        { stage: input.stage },
      ),
    ],
    review: input.stage === 'REVIEW' ? reviewRecord(app, 'EXPIRED', at) : undefined,
    at,
  });
}
