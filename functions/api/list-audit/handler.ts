import { audit, wire } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import * as routes from '../../../shared/http/routes.js';
import { listAudit } from '../../../shared/services/read-audit.js';

const dependencies = wire({ audit });

export const handler = apiHandler(routes.listAudit, async ({ query }) => ({
  body: await listAudit(dependencies, query),
}));
