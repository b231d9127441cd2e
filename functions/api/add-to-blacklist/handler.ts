import { dependencies } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import { ROUTES } from '../../../shared/http/routes.js';
import { staffActor } from '../../../shared/services/audit-trail.js';
import { addToBlacklist } from '../../../shared/services/manage-blacklist.js';

export const handler = apiHandler(ROUTES.addToBlacklist, async ({ principal, body, correlationId }) => ({
  status: 201,
  body: await addToBlacklist(dependencies, { actor: staffActor(principal, correlationId), request: body }),
}));
