import { loans, wire } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import * as routes from '../../../shared/http/routes.js';
import { getLoanJournal } from '../../../shared/services/statements.js';

const dependencies = wire({ loans });

export const handler = apiHandler(routes.getLoanJournal, async ({ principal, params }) => ({
  body: await getLoanJournal(dependencies, principal, params.id),
}));
