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
    const stage =
      event.requestContext.stage && event.requestContext.stage !== '$default'
        ? `/${event.requestContext.stage}`
        : '';
    return {
      status: 202,
      body: result,
      headers: {
        location: `${stage}/v1/applications/${result.applicationId}`,
        ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
      },
    };
  },
);
