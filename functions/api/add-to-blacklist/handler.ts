import { audit, blacklist, clock, secrets, wire } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import * as routes from '../../../shared/http/routes.js';
import { staffActor } from '../../../shared/services/audit-trail.js';
import { addToBlacklist } from '../../../shared/services/manage-blacklist.js';

const dependencies = wire({ audit, blacklist, clock, secrets });

export const handler = apiHandler(routes.addToBlacklist, async ({ principal, body, correlationId }) => ({
  status: 201,
  body: await addToBlacklist(dependencies, { actor: staffActor(principal, correlationId), request: body }),
}));
