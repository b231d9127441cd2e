import { dependencies } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import { ROUTES } from '../../../shared/http/routes.js';
import { acceptOffer } from '../../../shared/services/accept-offer.js';
import { getApplication } from '../../../shared/services/read-models.js';

export const handler = apiHandler(ROUTES.acceptOffer, async ({ principal, params }) => {
  // Reading first gives another enterprise's id the same 404 as a missing one.
  await getApplication(dependencies, principal, params.id);
  await acceptOffer(dependencies, { principal, applicationId: params.id });
  return { body: await getApplication(dependencies, principal, params.id) };
});
