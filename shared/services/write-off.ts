import { businessDate } from '../domain/business-date.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import type { LoanRecord } from '../domain/loan.js';
import { addDays, totalOwed, writeOff, writeOffEntry } from '../domain/servicing/index.js';
import { StaleLoanError } from '../ports/stores.js';
import type { Dependencies } from './dependencies.js';
import { accrueLoan, isOpen, loanEvent, loanState, reload, withState } from './loan-servicing.js';
import type { Principal } from './principal.js';

/**
 * Writes a loan off (核销) on today's business date, an approver's decision with a reason:
 * everything owed at the start of the day leaves the books in one WRITE_OFF entry (Dr
 * WRITE_OFF_EXPENSE), the loan becomes WRITTEN_OFF and stops accruing, and a credit line it
 * was drawn on is frozen, all in one transaction with `loan.written-off`.
 */
export async function writeOffLoan(
  deps: Pick<Dependencies, 'loans' | 'clock'>,
  principal: Principal,
  loanId: string,
  reason: string,
): Promise<LoanRecord> {
  const found = await deps.loans.getLoan(loanId);
  if (!found) throw new NotFoundError(`loan ${loanId} not found`);
  const today = businessDate(deps.clock.now());
  let loan = found;
  for (let attempt = 1; ; attempt++) {
    // Checked on every attempt: a concurrent write-off (or the last repayment) may have closed it.
    if (!isOpen(loan))
      throw new ConflictError(`loan ${loanId} is ${loan.status}; there is nothing to write off`);
    loan = (await accrueLoan(deps, loan, addDays(today, -1))).loan;
    const { writtenOff, state } = writeOff(loanState(loan), today);
    const amount = totalOwed(writtenOff);
    const { settledOn, ...rest } = withState(loan, state, today);
    const updated: LoanRecord = {
      ...rest,
      status: 'WRITTEN_OFF',
      writtenOff: { on: today, by: principal.subject, reason, amount: amount.toString() },
    };
    try {
      await deps.loans.commit({
        loan: updated,
        expectedVersion: loan.version,
        journal: [writeOffEntry({ loanId, businessDate: today, reference: `WO-${loanId}` }, writtenOff)],
        events: [
          loanEvent(loan, 'loan.written-off', deps.clock.now(), {
            writtenOffOn: today,
            amount: amount.toString(),
          }),
        ],
        freezeCreditLine: loan.creditLineId,
      });
      return updated;
    } catch (error) {
      if (!(error instanceof StaleLoanError)) throw error;
      if (attempt >= 5)
        throw new ConflictError(
          `loan ${loanId} is being changed by other requests right now; retry in a moment`,
        );
      loan = await reload(deps, loanId);
    }
  }
}
