import { loans, wire } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import * as routes from '../../../shared/http/routes.js';
import { getLoanSchedule } from '../../../shared/services/read-models.js';

const dependencies = wire({ loans });

export const handler = apiHandler(routes.getLoanSchedule, async ({ principal, params }) => ({
  body: await getLoanSchedule(dependencies, principal, params.id),
}));
