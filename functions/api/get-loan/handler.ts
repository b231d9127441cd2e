import { dependencies } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import { ROUTES } from '../../../shared/http/routes.js';
import { getLoan } from '../../../shared/services/read-models.js';

export const handler = apiHandler(ROUTES.getLoan, async ({ principal, params }) => ({
  body: await getLoan(dependencies, principal, params.id),
}));
