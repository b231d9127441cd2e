import { dependencies } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import { ROUTES } from '../../../shared/http/routes.js';
import { listAudit } from '../../../shared/services/read-audit.js';

export const handler = apiHandler(ROUTES.listAudit, async ({ query }) => ({
  body: await listAudit(dependencies, query),
}));
