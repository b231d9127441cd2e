import { applications, clock, loans, wire } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import * as routes from '../../../shared/http/routes.js';
import { requestDrawdown } from '../../../shared/services/draw-down.js';

const dependencies = wire({ applications, clock, loans });

export const handler = apiHandler(
  routes.requestDrawdown,
  async ({ principal, params, idempotencyKey, body, event }) => {
    const { drawdown, replayed } = await requestDrawdown(dependencies, {
      principal,
      creditLineId: params.id,
      idempotencyKey,
      request: body,
    });
    return {
      status: 202,
      body: drawdown,
      headers: {
        location: `${event.requestContext.path}/${drawdown.drawdownId}`,
        ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
      },
    };
  },
);
