import { dependencies } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import { ROUTES } from '../../../shared/http/routes.js';
import { scoreDriftReport } from '../../../shared/services/score-drift.js';

export const handler = apiHandler(ROUTES.getScoreDrift, async ({ query }) => ({
  body: await scoreDriftReport(dependencies, query),
}));
