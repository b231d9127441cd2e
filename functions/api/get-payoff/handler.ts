import { dependencies } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import { ROUTES } from '../../../shared/http/routes.js';
import { quotePayoff } from '../../../shared/services/repay-loan.js';

export const handler = apiHandler(ROUTES.getPayoff, async ({ principal, params, query }) => ({
  body: await quotePayoff(dependencies, principal, params.id, query.date),
}));
