import { dependencies } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import { ROUTES } from '../../../shared/http/routes.js';
import { getCreditLine } from '../../../shared/services/read-models.js';

export const handler = apiHandler(ROUTES.getCreditLine, async ({ principal, params }) => ({
  body: await getCreditLine(dependencies, principal, params.id),
}));
