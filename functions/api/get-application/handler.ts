import { applications, wire } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import * as routes from '../../../shared/http/routes.js';
import { getApplication } from '../../../shared/services/read-models.js';

const dependencies = wire({ applications });

export const handler = apiHandler(routes.getApplication, async ({ principal, params }) => ({
  body: await getApplication(dependencies, principal, params.id),
}));
