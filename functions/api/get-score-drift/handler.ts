import { scoreSamples, wire } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import * as routes from '../../../shared/http/routes.js';
import { scoreDriftReport } from '../../../shared/services/score-drift.js';

const dependencies = wire({ scoreSamples });

export const handler = apiHandler(routes.getScoreDrift, async ({ query }) => ({
  body: await scoreDriftReport(dependencies, query),
}));
