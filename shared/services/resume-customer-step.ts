import type { ApplicationRecord, ApplicationStatus, WaitKind } from '../domain/application.js';
import { ConflictError } from '../domain/errors.js';
import { type Dependencies, newEvent } from './dependencies.js';
import { loadApplication } from './load-application.js';
import type { Principal } from './principal.js';
import { resumeWorkflow } from './resume-workflow.js';

/**
 * The customer completes a step the workflow waits for (accepting the offer, signing the
 * contract).
 * 1. A step already done answers as the first call did (re-sending the callback while the
 *    workflow still waits on it), so clients may retry and double taps are harmless.
 * 2. Otherwise the application must be waiting for this step, before its deadline.
 * 3. The status moves on with its event, conditioned on the status read.
 * 4. The workflow resumes. If its wait already timed out (the callback is refused), the step
 *    is void and the caller is told so: the workflow's expiry stage records EXPIRED.
 */
export async function resumeCustomerStep(
  deps: Pick<Dependencies, 'applications' | 'workflow' | 'clock'>,
  input: {
    principal: Principal;
    applicationId: string;
    wait: WaitKind;
    from: ApplicationStatus;
    to: ApplicationStatus;
    eventType: string;
    /** Whether the step is already done (the offer accepted, the contract signed). */
    done: (app: ApplicationRecord) => boolean;
    change: (app: ApplicationRecord, at: string) => Partial<ApplicationRecord>;
  },
): Promise<ApplicationRecord> {
  const app = await loadApplication(deps.applications, input.applicationId);
  const pending = app.pendingTask;
  if (input.done(app) && app.status !== 'EXPIRED') return repeated(deps, app, input.wait);
  if (app.status !== input.from || pending?.kind !== input.wait) {
    throw new ConflictError(`application ${app.id} is ${app.status}; this step needs it to be ${input.from}`);
  }
  const now = deps.clock.now();
  const at = now.toISOString();
  if (pending.expiresAt <= at) throw new ConflictError(`this step expired at ${pending.expiresAt}`);
  const set = input.change(app, at);
  try {
    await deps.applications.transition({
      applicationId: app.id,
      from: input.from,
      to: input.to,
      set,
      events: [newEvent(input.eventType, now, { applicationId: app.id, uscc: app.applicant.uscc }, {})],
      at,
    });
  } catch (error) {
    // A double tap: the other request completed the step first; answer as it did.
    const current = await loadApplication(deps.applications, input.applicationId);
    if (error instanceof ConflictError && input.done(current) && current.status !== 'EXPIRED') {
      return repeated(deps, current, input.wait);
    }
    throw error;
  }
  await resumeWorkflow(deps, pending, {});
  return { ...app, ...set, status: input.to, updatedAt: at };
}

/** A repeat of a completed step: while the workflow still waits on this step, the callback is sent again. */
async function repeated(
  deps: Pick<Dependencies, 'workflow' | 'clock'>,
  app: ApplicationRecord,
  wait: WaitKind,
) {
  if (app.pendingTask?.kind === wait) await resumeWorkflow(deps, app.pendingTask, {});
  return app;
}
