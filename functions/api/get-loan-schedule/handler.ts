import { dependencies } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import { ROUTES } from '../../../shared/http/routes.js';
import { getLoanSchedule } from '../../../shared/services/read-models.js';

export const handler = apiHandler(ROUTES.getLoanSchedule, async ({ principal, params }) => ({
  body: await getLoanSchedule(dependencies, principal, params.id),
}));
