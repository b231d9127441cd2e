import { clock, loans, wire } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import * as routes from '../../../shared/http/routes.js';
import { getLoan } from '../../../shared/services/read-models.js';

const dependencies = wire({ clock, loans });

export const handler = apiHandler(routes.getLoan, async ({ principal, params }) => ({
  body: await getLoan(dependencies, principal, params.id),
}));
