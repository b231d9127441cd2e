import { expiryAfter, WAITS } from '../domain/policy/waits.js';
import { type Dependencies, newEvent } from './dependencies.js';
import { loadApplication } from './load-application.js';

/**
 * RequestSignature stage (a `.waitForTaskToken` task): issues the contract for the accepted
 * offer and waits for the e-signature callback. The contract id is derived from the
 * application so a retried stage issues the same contract.
 */
export async function requestSignature(
  deps: Pick<Dependencies, 'applications' | 'clock'>,
  input: { applicationId: string; taskToken: string },
): Promise<void> {
  const { applicationId, taskToken } = input;
  const app = await loadApplication(deps.applications, applicationId);
  const now = deps.clock.now();
  const expiresAt = expiryAfter(now, WAITS.SIGNATURE);
  const contract = app.contract ?? {
    contractId: `CTR-${applicationId}`,
    createdAt: now.toISOString(),
    expiresAt,
  };
  await deps.applications.transition({
    applicationId,
    from: app.status,
    to: 'AWAITING_SIGNATURE',
    set: {
      contract: { ...contract, expiresAt },
      pendingTask: { kind: 'SIGNATURE', token: taskToken, expiresAt },
    },
    events: [
      newEvent(
        'contract.issued',
        now,
        { applicationId, uscc: app.applicant.uscc },
        { contractId: contract.contractId },
      ),
    ],
    at: now.toISOString(),
  });
}
