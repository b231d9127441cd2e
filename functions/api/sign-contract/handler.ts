import { applications, clock, wire, workflow } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import * as routes from '../../../shared/http/routes.js';
import { getApplication } from '../../../shared/services/read-models.js';
import { signContract } from '../../../shared/services/sign-contract.js';

const dependencies = wire({ applications, clock, workflow });

export const handler = apiHandler(routes.signContract, async ({ principal, params }) => {
  // Reading first gives another enterprise's id the same 404 as a missing one.
  await getApplication(dependencies, principal, params.id);
  await signContract(dependencies, { principal, applicationId: params.id });
  return { body: await getApplication(dependencies, principal, params.id) };
});
