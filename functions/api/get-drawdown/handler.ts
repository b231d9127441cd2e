import { loans, wire } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import * as routes from '../../../shared/http/routes.js';
import { getDrawdown } from '../../../shared/services/draw-down.js';

const dependencies = wire({ loans });

export const handler = apiHandler(routes.getDrawdown, async ({ principal, params }) => ({
  body: await getDrawdown(dependencies, principal, params.id, params.drawdownId),
}));
