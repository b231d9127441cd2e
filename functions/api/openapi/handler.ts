import { apiHandler } from '../../../shared/http/middleware.js';
import { openApiDocument } from '../../../shared/http/openapi.js';
import * as routes from '../../../shared/http/routes.js';

const document = openApiDocument({ serverUrl: process.env.PUBLIC_API_URL });

export const handler = apiHandler(routes.openapi, async () => ({ body: document }));
