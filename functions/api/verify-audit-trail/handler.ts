import { dependencies } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import { ROUTES } from '../../../shared/http/routes.js';
import { verifyAuditTrail } from '../../../shared/services/read-audit.js';

export const handler = apiHandler(ROUTES.verifyAuditTrail, async ({ query }) => ({
  body: await verifyAuditTrail(dependencies, query),
}));
