import { dependencies } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import { ROUTES } from '../../../shared/http/routes.js';
import { listBlacklist } from '../../../shared/services/manage-blacklist.js';

export const handler = apiHandler(ROUTES.listBlacklist, async () => ({
  body: await listBlacklist(dependencies),
}));
