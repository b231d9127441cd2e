import { businessDate } from '../domain/business-date.js';
import { daysBetween } from '../domain/servicing/index.js';
import type { Dependencies } from './dependencies.js';
import { forEachOpenLoan } from './loan-servicing.js';
import { type AutoDebitOutcome, autoDebit } from './repay-loan.js';

export interface MonitoringSummary {
  businessDate: string;
  visited: number;
  alreadyVisited: number;
  autoDebits: Partial<Record<AutoDebitOutcome, number>>;
}

/**
 * The nightly post-loan job, run after the accrual: visits every open loan once per business
 * date, collects by auto-debit what falls due that day (announcing `instalment.due`) or is in
 * arrears, and records the visit with what it observed, together with the events. Re-running
 * a date visits nothing twice. Early-warning signals, re-scoring and classification hang off
 * this loop in later versions.
 */
export async function monitorActiveLoans(
  deps: Pick<Dependencies, 'loans' | 'coreBanking' | 'clock'>,
  at: Date = deps.clock.now(),
): Promise<MonitoringSummary> {
  const date = businessDate(at);
  const summary: MonitoringSummary = { businessDate: date, visited: 0, alreadyVisited: 0, autoDebits: {} };
  await forEachOpenLoan(deps, async (found) => {
    if (found.lastMonitoredOn !== undefined && found.lastMonitoredOn >= date) {
      summary.alreadyVisited++;
      return;
    }
    const { outcome, loan, events } = await autoDebit(deps, found, date);
    summary.autoDebits[outcome] = (summary.autoDebits[outcome] ?? 0) + 1;
    const observations = {
      status: loan.status,
      outstandingPrincipal: loan.outstandingPrincipal.amount,
      daysToMaturity: daysBetween(date, loan.maturityDate),
      daysPastDue: loan.overdueSince ? daysBetween(loan.overdueSince, date) : 0,
      autoDebit: outcome,
    };
    if (await deps.loans.recordMonitoringRun(loan.loanId, date, at.toISOString(), observations, events))
      summary.visited++;
    else summary.alreadyVisited++;
  });
  return summary;
}
