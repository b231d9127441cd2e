import { apiHandler } from '../../../shared/http/middleware.js';
import * as routes from '../../../shared/http/routes.js';

export const handler = apiHandler(routes.health, async () => ({
  body: { status: 'ok', version: process.env.APP_VERSION ?? 'dev' },
}));
