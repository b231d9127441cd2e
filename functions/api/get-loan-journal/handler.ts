import { dependencies } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import { ROUTES } from '../../../shared/http/routes.js';
import { getLoanJournal } from '../../../shared/services/statements.js';

export const handler = apiHandler(ROUTES.getLoanJournal, async ({ principal, params }) => ({
  body: await getLoanJournal(dependencies, principal, params.id),
}));
