import { businessDate } from '../domain/business-date.js';
import type { Product } from '../domain/decisioning/types.js';
import type { DomainEvent } from '../domain/events.js';
import type { LoanRecord } from '../domain/loan.js';
import type { Money } from '../domain/money.js';
import { AnnualRate } from '../domain/rate.js';
import {
  accrualEntries,
  accrueDay,
  addDays,
  disbursementEntry,
  type JournalEntry,
  type LoanState,
  loanStateFromJson,
  loanStateJson,
  MAX_DUE_DAY,
  openLoan,
  owed,
  principalOutstanding,
  RateMultiple,
  type RepaymentMethod,
  SERVICING_TERMS,
  totalOwed,
} from '../domain/servicing/index.js';
import { StaleLoanError } from '../ports/stores.js';
import { type Dependencies, newEvent } from './dependencies.js';

/** How many times a servicing write is recomputed when another writer changed the loan first. */
const MAX_ATTEMPTS = 5;

export interface NewLoan {
  loanId: string;
  applicationId: string;
  creditLineId?: string;
  drawdownId?: string;
  uscc: string;
  product: Product;
  amount: Money;
  annualRate: string;
  termMonths: number;
  repaymentMethod: RepaymentMethod;
  dueDay: number;
  transferId: string;
  disbursedAt: string;
}

/**
 * A loan as booked on its disbursement: the contract schedule, a servicing state that owes
 * only principal, and the DISBURSEMENT journal entry, all from the same figures.
 */
export function openLoanRecord(input: NewLoan): { loan: LoanRecord; journal: JournalEntry[] } {
  const disbursedOn = businessDate(new Date(input.disbursedAt));
  const terms = SERVICING_TERMS[input.product];
  const state = openLoan({
    principal: input.amount,
    annualRate: AnnualRate.parse(input.annualRate),
    termMonths: input.termMonths,
    disbursementDate: disbursedOn,
    dueDay: input.dueDay,
    method: input.repaymentMethod,
    dayCount: terms.dayCount,
    penaltyMultiple: RateMultiple.parse(terms.penaltyMultiple),
    compoundOverdueInterest: terms.compoundOverdueInterest,
  });
  const { amount, ...rest } = input;
  const loan: LoanRecord = {
    ...rest,
    status: 'ACTIVE',
    principal: amount.toJSON(),
    outstandingPrincipal: amount.toJSON(),
    disbursedOn,
    maturityDate: state.schedule.rows.at(-1)?.dueDate ?? disbursedOn,
    servicing: loanStateJson(state),
    allocationOrder: [...terms.allocationOrder],
    version: 1,
  };
  const journal = [
    disbursementEntry(
      { loanId: input.loanId, businessDate: disbursedOn, reference: input.transferId },
      amount,
    ),
  ];
  return { loan, journal };
}

/** Instalments fall due on the day of the month the loan was disbursed, at most the 28th. */
export function defaultDueDay(date: string): number {
  return Math.min(Number(date.slice(8, 10)), MAX_DUE_DAY);
}

export function loanState(loan: LoanRecord): LoanState {
  return loanStateFromJson(loan.servicing);
}

export function isOpen(loan: LoanRecord): boolean {
  return loan.status === 'ACTIVE' || loan.status === 'OVERDUE';
}

/**
 * The loan record after a servicing change on business date `date`: the new state, the
 * principal outstanding, the status it implies (SETTLED when nothing is owed, OVERDUE while
 * anything past due is unpaid), and the next version.
 */
export function withState(loan: LoanRecord, state: LoanState, date: string): LoanRecord {
  const owing = owed(state);
  const inArrears = [owing.penaltyInterest, owing.overdueInterest, owing.overduePrincipal].some(
    (amount) => !amount.isZero(),
  );
  const settled = totalOwed(owing).isZero();
  const { overdueSince, settledOn, ...rest } = loan;
  return {
    ...rest,
    status: settled ? 'SETTLED' : inArrears ? 'OVERDUE' : 'ACTIVE',
    outstandingPrincipal: principalOutstanding(state).toJSON(),
    servicing: loanStateJson(state),
    ...(inArrears ? { overdueSince: overdueSince ?? date } : {}),
    ...(settled ? { settledOn: settledOn ?? date } : {}),
    version: loan.version + 1,
  };
}

const subjectOf = (loan: LoanRecord) => ({
  loanId: loan.loanId,
  creditLineId: loan.creditLineId,
  uscc: loan.uscc,
});

export function loanEvent(
  loan: LoanRecord,
  type: string,
  at: Date,
  data: Record<string, unknown>,
): DomainEvent {
  return newEvent(type, at, subjectOf(loan), data);
}

/**
 * Books a loan's daily accrual for every business date after its last booked one, up to and
 * including `through`, one transaction per date (the loan's new state, that day's journal
 * entries, and `loan.overdue` when an instalment fell overdue). Idempotent: a date already
 * booked is skipped, so a re-run or a concurrent run books nothing twice; missed dates are
 * caught up in order. Returns the loan as it stands afterwards.
 */
export async function accrueLoan(
  deps: Pick<Dependencies, 'loans' | 'clock'>,
  loan: LoanRecord,
  through: string,
): Promise<{ loan: LoanRecord; datesBooked: number }> {
  let current = loan;
  let datesBooked = 0;
  let stale = 0;
  while (isOpen(current)) {
    const state = loanState(current);
    if (state.accruedThrough >= through) break;
    const date = addDays(state.accruedThrough, 1);
    const { accrual, state: next } = accrueDay(state, date);
    if (!accrual) break;
    const updated = withState(current, next, date);
    const events = accrual.fellOverdue
      ? [
          loanEvent(current, 'loan.overdue', deps.clock.now(), {
            dueDate: date,
            principal: accrual.fellOverdue.principal.toString(),
            interest: accrual.fellOverdue.interest.toString(),
            overdueTotal: next.overduePrincipal.amount
              .add(next.overdueInterest.amount)
              .add(next.penaltyInterest)
              .toString(),
          }),
        ]
      : [];
    try {
      await deps.loans.commit({
        loan: updated,
        expectedVersion: current.version,
        journal: accrualEntries(current.loanId, accrual),
        events,
      });
      current = updated;
      datesBooked++;
    } catch (error) {
      if (!(error instanceof StaleLoanError) || ++stale >= MAX_ATTEMPTS) throw error;
      current = await reload(deps, current.loanId);
    }
  }
  return { loan: current, datesBooked };
}

export async function reload(deps: Pick<Dependencies, 'loans'>, loanId: string): Promise<LoanRecord> {
  const loan = await deps.loans.getLoan(loanId);
  if (!loan) throw new Error(`loan ${loanId} vanished`);
  return loan;
}

/**
 * Runs `visit` for every open loan, reading the index shards in parallel and, within a page,
 * up to `concurrency` loans at a time per shard.
 */
export async function forEachOpenLoan(
  deps: Pick<Dependencies, 'loans'>,
  visit: (loan: LoanRecord) => Promise<void>,
  concurrency = 8,
): Promise<void> {
  await Promise.all(
    Array.from({ length: deps.loans.activeLoanShards }, async (_, shard) => {
      let cursor: string | undefined;
      do {
        const page = await deps.loans.activeLoans(shard, cursor);
        for (let start = 0; start < page.loans.length; start += concurrency)
          await Promise.all(page.loans.slice(start, start + concurrency).map(visit));
        cursor = page.cursor;
      } while (cursor);
    }),
  );
}
