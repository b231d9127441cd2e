import { dependencies } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import { ROUTES } from '../../../shared/http/routes.js';
import { getApplication } from '../../../shared/services/read-models.js';

export const handler = apiHandler(ROUTES.getApplication, async ({ principal, params }) => ({
  body: await getApplication(dependencies, principal, params.id),
}));
