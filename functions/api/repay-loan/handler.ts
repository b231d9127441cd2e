import { dependencies } from '../../../shared/adapters/wiring.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import { ROUTES } from '../../../shared/http/routes.js';
import { repayLoan } from '../../../shared/services/repay-loan.js';

export const handler = apiHandler(ROUTES.repayLoan, async ({ principal, params, idempotencyKey, body }) => {
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
