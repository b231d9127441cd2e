import { dependencies } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import { ROUTES } from '../../../shared/http/routes.js';
import { getDrawdown } from '../../../shared/services/draw-down.js';

export const handler = apiHandler(ROUTES.getDrawdown, async ({ principal, params }) => ({
  body: await getDrawdown(dependencies, principal, params.id, params.drawdownId),
}));
