import { type Dependencies, newEvent } from './dependencies.js';
import { loadApplication } from './load-application.js';

/**
 * RecordFailure stage: every Catch of the workflow ends here, so a failed case is visible as
 * FAILED (with the error's name, never its payload) instead of silently stuck.
 */
export async function recordFailure(
  deps: Pick<Dependencies, 'applications' | 'clock'>,
  input: { applicationId: string; error?: { Error?: string; Cause?: string } },
): Promise<void> {
  const app = await loadApplication(deps.applications, input.applicationId);
  if (app.status === 'FAILED') return;
  const now = deps.clock.now();
  const at = now.toISOString();
  const error = input.error?.Error ?? 'Unknown';
  await deps.applications.transition({
    applicationId: app.id,
    from: app.status,
    to: 'FAILED',
    set: { failure: { stage: app.status, error, at } },
    remove: ['pendingTask'],
    events: [
      newEvent('application.failed', now, { applicationId: app.id, uscc: app.applicant.uscc }, { error }),
    ],
    at,
  });
}
