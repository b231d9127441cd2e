import { audit, blacklist, clock, wire } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import * as routes from '../../../shared/http/routes.js';
import { staffActor } from '../../../shared/services/audit-trail.js';
import { removeFromBlacklist } from '../../../shared/services/manage-blacklist.js';

const dependencies = wire({ audit, blacklist, clock });

export const handler = apiHandler(
  routes.removeFromBlacklist,
  async ({ principal, params, body, correlationId }) => ({
    body: await removeFromBlacklist(dependencies, {
      actor: staffActor(principal, correlationId),
      entryId: params.entryId,
      reason: body.reason,
    }),
  }),
);
