import { blacklist, wire } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import * as routes from '../../../shared/http/routes.js';
import { listBlacklist } from '../../../shared/services/manage-blacklist.js';

const dependencies = wire({ blacklist });

export const handler = apiHandler(routes.listBlacklist, async () => ({
  body: await listBlacklist(dependencies),
}));
