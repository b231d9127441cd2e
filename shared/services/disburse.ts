import { ConflictError } from '../domain/errors.js';
import { Money } from '../domain/money.js';
import { required } from './assessment-input.js';
import { type Dependencies, newEvent } from './dependencies.js';
import { loadApplication } from './load-application.js';

export interface DisbursementOutput {
  transferId: string;
  amount: { amount: string; currency: 'CNY' };
  disbursedAt: string;
}

/**
 * The disbursement worker's use case, run for each queue message (at-least-once delivery).
 * 1. Moves a CONTRACT_SIGNED application to DISBURSING.
 * 2. Claims the one disbursement record of the application; if it is COMPLETED, a previous
 *    delivery already paid out and only the callback is repeated.
 * 3. Asks core banking to transfer under the application's fixed reference, which the core
 *    system books at most once, so a crash between the transfer and step 4 cannot pay twice.
 * 4. Marks the record COMPLETED and resumes the workflow with the transfer.
 */
export async function disburse(
  deps: Pick<Dependencies, 'applications' | 'disbursements' | 'coreBanking' | 'workflow' | 'clock'>,
  input: { applicationId: string; taskToken: string },
): Promise<DisbursementOutput> {
  const { applicationId, taskToken } = input;
  const app = await loadApplication(deps.applications, applicationId);
  const now = deps.clock.now();
  if (app.status === 'CONTRACT_SIGNED') {
    try {
      await deps.applications.transition({
        applicationId,
        from: 'CONTRACT_SIGNED',
        to: 'DISBURSING',
        events: [newEvent('disbursement.requested', now, { applicationId, uscc: app.applicant.uscc }, {})],
        at: now.toISOString(),
      });
    } catch (error) {
      // Another delivery of the same message got there first; carry on behind it.
      if (!(error instanceof ConflictError)) throw error;
      const current = await loadApplication(deps.applications, applicationId);
      if (current.status !== 'DISBURSING') throw error;
    }
  } else if (app.status !== 'DISBURSING' && app.status !== 'DISBURSED') {
    throw new ConflictError(`application ${applicationId} is ${app.status}; nothing may be disbursed`);
  }
  const offer = required(app.offer, 'offer', applicationId);
  // A revolving line's first draw is what the applicant asked to draw (by default the limit it
  // asked for), within the limit granted; a term loan's limit is its amount.
  const amount = Money.min(
    Money.parse(app.initialDrawdown ?? app.applicant.requestedAmount),
    Money.fromJson(offer.limit),
  );
  const claim = await deps.disbursements.claim({
    applicationId,
    reference: `DSB-${applicationId}`,
    status: 'REQUESTED',
    amount: amount.toString(),
    requestedAt: now.toISOString(),
  });
  let output: DisbursementOutput;
  if (claim.status === 'COMPLETED' && claim.transferId && claim.completedAt) {
    output = {
      transferId: claim.transferId,
      amount: { amount: claim.amount, currency: 'CNY' },
      disbursedAt: claim.completedAt,
    };
  } else {
    const transfer = await deps.coreBanking.transfer({
      reference: claim.reference,
      amount: { amount: claim.amount, currency: 'CNY' },
      beneficiaryUscc: app.applicant.uscc,
      memo: `Fast-loan ${app.applicant.product} ${applicationId}`,
    });
    await deps.disbursements.complete(applicationId, transfer.transferId, transfer.bookedAt);
    output = {
      transferId: transfer.transferId,
      amount: transfer.amount as DisbursementOutput['amount'],
      disbursedAt: transfer.bookedAt,
    };
  }
  await deps.workflow.sendTaskSuccess(taskToken, { ...output });
  return output;
}
