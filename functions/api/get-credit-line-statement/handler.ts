import { dependencies } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import { ROUTES } from '../../../shared/http/routes.js';
import { getCreditLineStatement } from '../../../shared/services/statements.js';

export const handler = apiHandler(ROUTES.getCreditLineStatement, async ({ principal, params, query }) => ({
  body: await getCreditLineStatement(dependencies, principal, params.id, query),
}));
