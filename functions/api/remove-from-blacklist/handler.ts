import { blacklist, clock, wire } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import * as routes from '../../../shared/http/routes.js';
import { removeFromBlacklist } from '../../../shared/services/manage-blacklist.js';

const dependencies = wire({ blacklist, clock });

export const handler = apiHandler(routes.removeFromBlacklist, async ({ principal, params, body }) => ({
  body: await removeFromBlacklist(dependencies, { principal, entryId: params.entryId, reason: body.reason }),
}));
