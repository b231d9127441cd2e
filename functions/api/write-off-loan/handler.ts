import { dependencies } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import { ROUTES } from '../../../shared/http/routes.js';
import { staffActor } from '../../../shared/services/audit-trail.js';
import { getLoan } from '../../../shared/services/read-models.js';
import { writeOffLoan } from '../../../shared/services/write-off.js';

export const handler = apiHandler(ROUTES.writeOffLoan, async ({ principal, params, body, correlationId }) => {
  await writeOffLoan(dependencies, staffActor(principal, correlationId), params.id, body.reason);
  return { body: await getLoan(dependencies, principal, params.id) };
});
