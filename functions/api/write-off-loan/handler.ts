import { audit, clock, loans, wire } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import * as routes from '../../../shared/http/routes.js';
import { staffActor } from '../../../shared/services/audit-trail.js';
import { getLoan } from '../../../shared/services/read-models.js';
import { writeOffLoan } from '../../../shared/services/write-off.js';

const dependencies = wire({ audit, clock, loans });

export const handler = apiHandler(routes.writeOffLoan, async ({ principal, params, body, correlationId }) => {
  await writeOffLoan(dependencies, staffActor(principal, correlationId), params.id, body.reason);
  return { body: await getLoan(dependencies, principal, params.id) };
});
