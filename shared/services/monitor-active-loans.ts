import { businessDate } from '../domain/business-date.js';
import { Money } from '../domain/money.js';
import type { Dependencies } from './dependencies.js';

export interface MonitoringSummary {
  businessDate: string;
  visited: number;
  alreadyVisited: number;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * The nightly post-loan job: visits every active loan once per business date and records the
 * visit with what it observed. Re-running a date visits nothing twice. Early-warning signals,
 * re-scoring and classification hang off this loop in later versions.
 */
export async function monitorActiveLoans(
  deps: Pick<Dependencies, 'loans' | 'clock'>,
  at: Date = deps.clock.now(),
): Promise<MonitoringSummary> {
  const date = businessDate(at);
  const counts = await Promise.all(
    Array.from({ length: deps.loans.activeLoanShards }, async (_, shard) => {
      let visited = 0;
      let alreadyVisited = 0;
      let cursor: string | undefined;
      do {
        const page = await deps.loans.activeLoans(shard, cursor);
        for (const loan of page.loans) {
          const observations = {
            outstandingPrincipal: Money.fromJson(loan.outstandingPrincipal).toString(),
            daysToMaturity: daysBetween(date, loan.maturityDate),
          };
          if (await deps.loans.recordMonitoringRun(loan.loanId, date, at.toISOString(), observations))
            visited++;
          else alreadyVisited++;
        }
        cursor = page.cursor;
      } while (cursor);
      return { visited, alreadyVisited };
    }),
  );
  return {
    businessDate: date,
    visited: counts.reduce((sum, c) => sum + c.visited, 0),
    alreadyVisited: counts.reduce((sum, c) => sum + c.alreadyVisited, 0),
  };
}
