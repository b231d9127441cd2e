import type { ApplicationRecord } from '../domain/application.js';
import { ConflictError } from '../domain/errors.js';
import type { Dependencies } from './dependencies.js';
import type { Principal } from './principal.js';
import { resumeCustomerStep } from './resume-customer-step.js';

/** The e-signature callback (here: the enterprise signing through the API); the workflow goes on to disburse. */
export function signContract(
  deps: Pick<Dependencies, 'applications' | 'workflow' | 'clock'>,
  input: { principal: Principal; applicationId: string },
): Promise<ApplicationRecord> {
  return resumeCustomerStep(deps, {
    ...input,
    wait: 'SIGNATURE',
    from: 'AWAITING_SIGNATURE',
    to: 'CONTRACT_SIGNED',
    eventType: 'contract.signed',
    done: (app) => app.contract?.signedAt !== undefined,
    change: (app, at) => {
      if (!app.contract) throw new ConflictError(`application ${app.id} has no contract`);
      return { contract: { ...app.contract, signedAt: at } };
    },
  });
}
