import { blacklist, clock, secrets, wire } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import * as routes from '../../../shared/http/routes.js';
import { addToBlacklist } from '../../../shared/services/manage-blacklist.js';

const dependencies = wire({ blacklist, clock, secrets });

export const handler = apiHandler(routes.addToBlacklist, async ({ principal, body }) => ({
  status: 201,
  body: await addToBlacklist(dependencies, { principal, request: body }),
}));
