import type { PendingTask } from '../domain/application.js';
import { ConflictError } from '../domain/errors.js';
import type { Dependencies } from './dependencies.js';

/**
 * Resumes the workflow paused on `pending`. Step Functions refuses a token that is no longer
 * waiting, whether a concurrent request already delivered it or the wait timed out. The
 * deadline people see ends a safety margin before the workflow's timeout, so a refusal
 * before that deadline means the callback was delivered (a double tap): success. After it,
 * the step came too late and is void: the workflow's expiry stage records EXPIRED.
 */
export async function resumeWorkflow(
  deps: Pick<Dependencies, 'workflow' | 'clock'>,
  pending: PendingTask,
  output: Record<string, unknown>,
): Promise<void> {
  if (await deps.workflow.sendTaskSuccess(pending.token, output)) return;
  if (deps.clock.now().toISOString() < pending.expiresAt) return;
  throw new ConflictError(
    `this step reached us after its deadline (${pending.expiresAt}); the application expires`,
  );
}
