import { customerView, staffView } from '../domain/application.js';
import { businessDate } from '../domain/business-date.js';
import { NotFoundError } from '../domain/errors.js';
import { daysBetween, loanStateFromJson, owed, totalOwed } from '../domain/servicing/index.js';
import type { ReviewRecord } from '../ports/stores.js';
import type { Dependencies } from './dependencies.js';
import { isStaff, type Principal } from './principal.js';

/** An enterprise may read only its own records; anything else answers 404, not 403, so ids cannot be probed. */
export function assertVisible(principal: Principal, uscc: string, what: string): void {
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

/** The line as it stands; an active line past its expiry date shows as EXPIRED (it can no longer be drawn). */
export async function getCreditLine(
  deps: Pick<Dependencies, 'loans' | 'clock'>,
  principal: Principal,
  id: string,
) {
  const line = await deps.loans.getCreditLine(id);
  if (!line) throw new NotFoundError(`credit line ${id} not found`);
  assertVisible(principal, line.uscc, `credit line ${id}`);
  const expired = line.status === 'ACTIVE' && line.expiresOn < businessDate(deps.clock.now());
  return expired ? { ...line, status: 'EXPIRED' as const } : line;
}

/** The loan, if the caller may see it; NotFoundError otherwise. */
export async function visibleLoan(deps: Pick<Dependencies, 'loans'>, principal: Principal, id: string) {
  const loan = await deps.loans.getLoan(id);
  if (!loan) throw new NotFoundError(`loan ${id} not found`);
  assertVisible(principal, loan.uscc, `loan ${id}`);
  return loan;
}

/** The loan with its balances by bucket, without the schedule, which has a route of its own. */
export async function getLoan(deps: Pick<Dependencies, 'loans' | 'clock'>, principal: Principal, id: string) {
  const { servicing, version, ...loan } = await visibleLoan(deps, principal, id);
  const state = loanStateFromJson(servicing);
  const owing = owed(state);
  const today = businessDate(deps.clock.now());
  return {
    ...loan,
    daysPastDue: loan.overdueSince ? daysBetween(loan.overdueSince, today) : 0,
    balances: {
      accruedThrough: state.accruedThrough,
      currentPrincipal: owing.currentPrincipal.toString(),
      overduePrincipal: owing.overduePrincipal.toString(),
      accruedInterest: owing.currentInterest.toString(),
      overdueInterest: owing.overdueInterest.toString(),
      penaltyInterest: owing.penaltyInterest.toString(),
      totalOwed: totalOwed(owing).toString(),
    },
  };
}

/** The schedule in force: the contract schedule, or the re-amortised one after a prepayment. */
export async function getLoanSchedule(deps: Pick<Dependencies, 'loans'>, principal: Principal, id: string) {
  const loan = await visibleLoan(deps, principal, id);
  const { schedule, terms } = loan.servicing;
  return {
    loanId: loan.loanId,
    repaymentMethod: loan.repaymentMethod,
    dayCount: terms.dayCount === 'ACT_365' ? 'ACT/365' : 'ACT/360',
    dueDay: loan.dueDay,
    principal: { amount: schedule.principal, currency: 'CNY' as const },
    annualRate: loan.annualRate,
    penaltyMultiple: terms.penaltyMultiple,
    instalment: schedule.instalment,
    totalInterest: schedule.totalInterest,
    rows: schedule.rows,
  };
}

export async function listReviews(
  deps: Pick<Dependencies, 'applications'>,
  status: ReviewRecord['status'],
  limit = 50,
) {
  return { reviews: await deps.applications.listReviews(status, limit) };
}
