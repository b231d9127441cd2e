import { dependencies } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import { ROUTES } from '../../../shared/http/routes.js';
import { submitApplication } from '../../../shared/services/submit-application.js';

export const handler = apiHandler(
  ROUTES.submitApplication,
  async ({ principal, idempotencyKey, body, event }) => {
    const { result, replayed } = await submitApplication(dependencies, {
      principal,
      idempotencyKey,
      request: body,
    });
    return {
      status: 202,
      body: result,
      // requestContext.path is the path the client called, with the stage prefix when there is one.
      headers: {
        location: `${event.requestContext.path}/${result.applicationId}`,
        ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
      },
    };
  },
);
