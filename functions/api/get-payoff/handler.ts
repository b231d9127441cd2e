import { clock, loans, wire } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import * as routes from '../../../shared/http/routes.js';
import { quotePayoff } from '../../../shared/services/repay-loan.js';

const dependencies = wire({ clock, loans });

export const handler = apiHandler(routes.getPayoff, async ({ principal, params, query }) => ({
  body: await quotePayoff(dependencies, principal, params.id, query.date),
}));
