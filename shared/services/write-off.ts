import type { AuditChange } from '../domain/audit.js';
import { businessDate } from '../domain/business-date.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import type { LoanRecord } from '../domain/loan.js';
import { addDays, totalOwed, writeOff, writeOffEntry } from '../domain/servicing/index.js';
import { StaleAuditHeadError, StaleLoanError } from '../ports/stores.js';
import { type Actor, AUDIT_ATTEMPTS, auditAppend, textDigest } from './audit-trail.js';
import type { Dependencies } from './dependencies.js';
import { accrueLoan, isOpen, loanEvent, loanState, reload, withState } from './loan-servicing.js';

/**
 * Writes a loan off (核销) on today's business date, an approver's decision with a reason:
 * 1. The loan must be open; interest is accrued up to yesterday first.
 * 2. Everything owed at the start of the day leaves the books in one WRITE_OFF entry (Dr
 *    WRITE_OFF_EXPENSE), the loan becomes WRITTEN_OFF and stops accruing, and a credit line it
 *    was drawn on is frozen (unless it already is), all in one transaction with
 *    `loan.written-off` and the audit records (`loan.written-off`, and `credit-line.frozen`
 *    when the line's status changes).
 * 3. When the loan, its line or the audit head changed meanwhile, all of it is computed again
 *    from a fresh read; after AUDIT_ATTEMPTS, ConflictError.
 */
export async function writeOffLoan(
  deps: Pick<Dependencies, 'loans' | 'clock' | 'audit'>,
  actor: Actor,
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
      writtenOff: { on: today, by: actor.subject, reason, amount: amount.toString() },
    };
    const now = deps.clock.now();
    const line = loan.creditLineId ? await deps.loans.getCreditLine(loan.creditLineId) : undefined;
    const freeze = line && line.status !== 'FROZEN' ? line : undefined;
    const changes: AuditChange[] = [
      {
        action: 'loan.written-off',
        entityType: 'LOAN',
        entityId: loanId,
        before: { status: loan.status, uscc: loan.uscc },
        after: {
          status: updated.status,
          uscc: loan.uscc,
          writtenOffOn: today,
          amount: amount.toString(),
          reasonSha256: textDigest(reason),
        },
      },
      ...(freeze
        ? [
            {
              action: 'credit-line.frozen' as const,
              entityType: 'CREDIT_LINE' as const,
              entityId: freeze.creditLineId,
              before: { status: freeze.status },
              after: { status: 'FROZEN', frozenBy: { action: 'loan.written-off', loanId } },
            },
          ]
        : []),
    ];
    try {
      await deps.loans.commit({
        loan: updated,
        expectedVersion: loan.version,
        journal: [writeOffEntry({ loanId, businessDate: today, reference: `WO-${loanId}` }, writtenOff)],
        events: [
          loanEvent(loan, 'loan.written-off', now, { writtenOffOn: today, amount: amount.toString() }),
        ],
        ...(freeze
          ? { freezeCreditLine: { creditLineId: freeze.creditLineId, expectedStatus: freeze.status } }
          : {}),
        audit: await auditAppend(deps, actor, now.toISOString(), changes),
      });
      return updated;
    } catch (error) {
      if (!(error instanceof StaleLoanError || error instanceof StaleAuditHeadError)) throw error;
      if (attempt >= AUDIT_ATTEMPTS)
        throw new ConflictError(
          `loan ${loanId} is being changed by other requests right now; retry in a moment`,
        );
      loan = await reload(deps, loanId);
    }
  }
}
