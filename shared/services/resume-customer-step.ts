import type { ApplicationRecord, ApplicationStatus, WaitKind } from '../domain/application.js';
import { ConflictError } from '../domain/errors.js';
import { type Dependencies, newEvent } from './dependencies.js';
import { loadApplication } from './load-application.js';
import type { Principal } from './principal.js';

/**
 * The customer completes a step the workflow waits for (accepting the offer, signing the
 * contract): the status moves on with its event, then the workflow resumes. A repeat of the
 * same call after success re-sends the callback and answers the same, so clients may retry.
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
    change: (app: ApplicationRecord, at: string) => Partial<ApplicationRecord>;
  },
): Promise<ApplicationRecord> {
  const app = await loadApplication(deps.applications, input.applicationId);
  const pending = app.pendingTask;
  if (pending?.kind === input.wait && app.status === input.to) {
    await deps.workflow.sendTaskSuccess(pending.token, {});
    return app;
  }
  if (app.status !== input.from || pending?.kind !== input.wait) {
    throw new ConflictError(`application ${app.id} is ${app.status}; this step needs it to be ${input.from}`);
  }
  const now = deps.clock.now();
  const at = now.toISOString();
  if (pending.expiresAt <= at) throw new ConflictError(`this step expired at ${pending.expiresAt}`);
  const set = input.change(app, at);
  await deps.applications.transition({
    applicationId: app.id,
    from: input.from,
    to: input.to,
    set,
    events: [newEvent(input.eventType, now, { applicationId: app.id, uscc: app.applicant.uscc }, {})],
    at,
  });
  await deps.workflow.sendTaskSuccess(pending.token, {});
  return { ...app, ...set, status: input.to, updatedAt: at };
}
