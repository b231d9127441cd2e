import { dependencies } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import { ROUTES } from '../../../shared/http/routes.js';
import { listReviews } from '../../../shared/services/read-models.js';

export const handler = apiHandler(ROUTES.listReviews, async ({ query }) => ({
  body: await listReviews(dependencies, query.status, query.limit),
}));
