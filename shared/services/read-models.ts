import { customerView, staffView } from '../domain/application.js';
import { NotFoundError } from '../domain/errors.js';
import type { ReviewRecord } from '../ports/stores.js';
import type { Dependencies } from './dependencies.js';
import { isStaff, type Principal } from './principal.js';

/** An enterprise may read only its own records; anything else answers 404, not 403, so ids cannot be probed. */
function assertVisible(principal: Principal, uscc: string, what: string): void {
  if (!isStaff(principal) && principal.uscc !== uscc) throw new NotFoundError(`${what} not found`);
}

export async function getApplication(
  deps: Pick<Dependencies, 'applications'>,
  principal: Principal,
  id: string,
) {
  const app = await deps.applications.get(id);
  if (!app) throw new NotFoundError(`application ${id} not found`);
  assertVisible(principal, app.applicant.uscc, `application ${id}`);
  const timeline = await deps.applications.timeline(id);
  return isStaff(principal) ? staffView(app, timeline) : customerView(app, timeline);
}

export async function getCreditLine(deps: Pick<Dependencies, 'loans'>, principal: Principal, id: string) {
  const line = await deps.loans.getCreditLine(id);
  if (!line) throw new NotFoundError(`credit line ${id} not found`);
  assertVisible(principal, line.uscc, `credit line ${id}`);
  return line;
}

async function visibleLoan(deps: Pick<Dependencies, 'loans'>, principal: Principal, id: string) {
  const loan = await deps.loans.getLoan(id);
  if (!loan) throw new NotFoundError(`loan ${id} not found`);
  assertVisible(principal, loan.uscc, `loan ${id}`);
  return loan;
}

/** The loan without its schedule, which has a route of its own. */
export async function getLoan(deps: Pick<Dependencies, 'loans'>, principal: Principal, id: string) {
  const { schedule, ...loan } = await visibleLoan(deps, principal, id);
  return loan;
}

export async function getLoanSchedule(deps: Pick<Dependencies, 'loans'>, principal: Principal, id: string) {
  const loan = await visibleLoan(deps, principal, id);
  return {
    loanId: loan.loanId,
    repaymentMethod: loan.repaymentMethod,
    dayCount: 'ACT/360',
    dueDay: loan.dueDay,
    principal: loan.principal,
    annualRate: loan.annualRate,
    rows: loan.schedule,
  };
}

export async function listReviews(
  deps: Pick<Dependencies, 'applications'>,
  status: ReviewRecord['status'],
  limit = 50,
) {
  return { reviews: await deps.applications.listReviews(status, limit) };
}
