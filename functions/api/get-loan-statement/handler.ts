import { clock, loans, wire } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import * as routes from '../../../shared/http/routes.js';
import { getLoanStatement } from '../../../shared/services/statements.js';

const dependencies = wire({ clock, loans });

export const handler = apiHandler(routes.getLoanStatement, async ({ principal, params, query }) => ({
  body: await getLoanStatement(dependencies, principal, params.id, query),
}));
