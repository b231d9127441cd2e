import { applications, audit, clock, wire, workflow } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import * as routes from '../../../shared/http/routes.js';
import { staffActor } from '../../../shared/services/audit-trail.js';
import { decideReview } from '../../../shared/services/decide-review.js';
import { getApplication } from '../../../shared/services/read-models.js';

const dependencies = wire({ applications, audit, clock, workflow });

export const handler = apiHandler(routes.decideReview, async ({ principal, params, body, correlationId }) => {
  await decideReview(dependencies, {
    actor: staffActor(principal, correlationId),
    applicationId: params.applicationId,
    request: body,
  });
  return { body: await getApplication(dependencies, principal, params.applicationId) };
});
