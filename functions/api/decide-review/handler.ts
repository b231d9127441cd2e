import { dependencies } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import { ROUTES } from '../../../shared/http/routes.js';
import { staffActor } from '../../../shared/services/audit-trail.js';
import { decideReview } from '../../../shared/services/decide-review.js';
import { getApplication } from '../../../shared/services/read-models.js';

export const handler = apiHandler(ROUTES.decideReview, async ({ principal, params, body, correlationId }) => {
  await decideReview(dependencies, {
    actor: staffActor(principal, correlationId),
    applicationId: params.applicationId,
    request: body,
  });
  return { body: await getApplication(dependencies, principal, params.applicationId) };
});
