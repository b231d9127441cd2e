import { applications, wire } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import * as routes from '../../../shared/http/routes.js';
import { listReviews } from '../../../shared/services/read-models.js';

const dependencies = wire({ applications });

export const handler = apiHandler(routes.listReviews, async ({ query }) => ({
  body: await listReviews(dependencies, query.status, query.limit),
}));
