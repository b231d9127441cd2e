import type { ApplicationRecord } from '../domain/application.js';
import { ConflictError } from '../domain/errors.js';
import type { Dependencies } from './dependencies.js';
import type { Principal } from './principal.js';
import { resumeCustomerStep } from './resume-customer-step.js';

/** The enterprise accepts the offer; the workflow goes on to the contract. */
export function acceptOffer(
  deps: Pick<Dependencies, 'applications' | 'workflow' | 'clock'>,
  input: { principal: Principal; applicationId: string },
): Promise<ApplicationRecord> {
  return resumeCustomerStep(deps, {
    ...input,
    wait: 'OFFER',
    from: 'OFFERED',
    to: 'OFFER_ACCEPTED',
    eventType: 'offer.accepted',
    done: (app) => app.offer?.acceptedAt !== undefined,
    change: (app, at) => {
      if (!app.offer) throw new ConflictError(`application ${app.id} has no offer`);
      return { offer: { ...app.offer, acceptedAt: at } };
    },
  });
}
