import { dependencies } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import { ROUTES } from '../../../shared/http/routes.js';
import { removeFromBlacklist } from '../../../shared/services/manage-blacklist.js';

export const handler = apiHandler(ROUTES.removeFromBlacklist, async ({ principal, params, body }) => ({
  body: await removeFromBlacklist(dependencies, { principal, entryId: params.entryId, reason: body.reason }),
}));
