import { applications, clock, secrets, wire, workflow } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import * as routes from '../../../shared/http/routes.js';
import { submitApplication } from '../../../shared/services/submit-application.js';

const dependencies = wire({ applications, clock, secrets, workflow });

export const handler = apiHandler(
  routes.submitApplication,
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
