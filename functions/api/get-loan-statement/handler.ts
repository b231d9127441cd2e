import { dependencies } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import { ROUTES } from '../../../shared/http/routes.js';
import { getLoanStatement } from '../../../shared/services/statements.js';

export const handler = apiHandler(ROUTES.getLoanStatement, async ({ principal, params, query }) => ({
  body: await getLoanStatement(dependencies, principal, params.id, query),
}));
