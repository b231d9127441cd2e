import { audit, wire } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import * as routes from '../../../shared/http/routes.js';
import { verifyAuditTrail } from '../../../shared/services/read-audit.js';

const dependencies = wire({ audit });

export const handler = apiHandler(routes.verifyAuditTrail, async ({ query }) => ({
  body: await verifyAuditTrail(dependencies, query),
}));
