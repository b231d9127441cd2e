import { businessDate } from '../domain/business-date.js';
import { addDays } from '../domain/servicing/index.js';
import type { Dependencies } from './dependencies.js';
import { accrueLoan, forEachOpenLoan } from './loan-servicing.js';

export interface AccrualRunSummary {
  /** The last business date accrued: the day before the run's date. */
  through: string;
  loans: number;
  /** Loan-dates booked: more than `loans` when missed dates were caught up. */
  datesBooked: number;
}

/**
 * The end-of-day accrual, run after midnight: books every open loan's interest (and what fell
 * overdue) for each business date up to yesterday that is not booked yet. Re-running it books
 * nothing new; after an outage it catches the missed dates up in order.
 */
export async function accrueInterest(
  deps: Pick<Dependencies, 'loans' | 'clock'>,
  at: Date = deps.clock.now(),
): Promise<AccrualRunSummary> {
  const through = addDays(businessDate(at), -1);
  let loans = 0;
  let datesBooked = 0;
  await forEachOpenLoan(deps, async (loan) => {
    const result = await accrueLoan(deps, loan, through);
    loans++;
    datesBooked += result.datesBooked;
  });
  return { through, loans, datesBooked };
}
