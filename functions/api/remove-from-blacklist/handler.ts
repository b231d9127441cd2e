import { dependencies } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import { ROUTES } from '../../../shared/http/routes.js';
import { staffActor } from '../../../shared/services/audit-trail.js';
import { removeFromBlacklist } from '../../../shared/services/manage-blacklist.js';

export const handler = apiHandler(
  ROUTES.removeFromBlacklist,
  async ({ principal, params, body, correlationId }) => ({
    body: await removeFromBlacklist(dependencies, {
      actor: staffActor(principal, correlationId),
      entryId: params.entryId,
      reason: body.reason,
    }),
  }),
);
