import { apiHandler } from '../../../shared/http/middleware.js';
import { ROUTES } from '../../../shared/http/routes.js';

export const handler = apiHandler(ROUTES.health, async () => ({
  body: { status: 'ok', version: process.env.APP_VERSION ?? 'dev' },
}));
