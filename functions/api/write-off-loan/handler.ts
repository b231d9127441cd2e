import { clock, loans, wire } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import * as routes from '../../../shared/http/routes.js';
import { getLoan } from '../../../shared/services/read-models.js';
import { writeOffLoan } from '../../../shared/services/write-off.js';

const dependencies = wire({ clock, loans });

export const handler = apiHandler(routes.writeOffLoan, async ({ principal, params, body }) => {
  await writeOffLoan(dependencies, principal, params.id, body.reason);
  return { body: await getLoan(dependencies, principal, params.id) };
});
