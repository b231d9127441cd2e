import { applications, clock, coreBanking, loans, wire } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import * as routes from '../../../shared/http/routes.js';
import { repayLoan } from '../../../shared/services/repay-loan.js';

const dependencies = wire({ applications, clock, coreBanking, loans });

export const handler = apiHandler(routes.repayLoan, async ({ principal, params, idempotencyKey, body }) => {
  const { repayment, loan, replayed } = await repayLoan(dependencies, {
    principal,
    loanId: params.id,
    idempotencyKey,
    request: body,
  });
  return {
    status: 201,
    body: { ...repayment, loanStatus: loan.status, outstandingPrincipal: loan.outstandingPrincipal },
    headers: replayed ? { 'idempotent-replayed': 'true' } : undefined,
  };
});
