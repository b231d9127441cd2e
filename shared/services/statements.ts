import { businessDate } from '../domain/business-date.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { journalFromJson, type LoanRecord } from '../domain/loan.js';
import { Money } from '../domain/money.js';
import {
  ACCOUNTS,
  type Account,
  assertBusinessDate,
  type Balances,
  balances,
  daysBetween,
  type JournalEntry,
  owedPerLedger,
} from '../domain/servicing/index.js';
import type { Dependencies } from './dependencies.js';
import type { Principal } from './principal.js';
import { assertVisible, visibleLoan } from './read-models.js';

/** What the customer owes, grouped as a statement shows it. */
interface OwedGroups {
  principal: string;
  interest: string;
  penaltyInterest: string;
  total: string;
}

export interface StatementTransaction {
  date: string;
  kind: 'DISBURSEMENT' | 'REPAYMENT' | 'OVERDUE' | 'WRITE_OFF';
  reference: string;
  amount: string;
  /** The change in what is owed: + for a disbursement, − for a repayment or write-off, 0 for a reclassification. */
  owedChange: string;
}

export interface LoanStatement {
  loanId: string;
  from: string;
  to: string;
  /** Interest is booked by the nightly accrual up to this date; later days are not in the statement yet. */
  accruedThrough: string;
  openingBalance: OwedGroups;
  transactions: StatementTransaction[];
  interestCharged: string;
  penaltyInterestCharged: string;
  closingBalance: OwedGroups;
}

/**
 * The most days one statement request covers, both ends included: a year, leap years too, so
 * one request reads a bounded part of the journal. Longer periods take several requests.
 */
export const MAX_STATEMENT_DAYS = 366;

function groups(ledger: Balances): OwedGroups {
  return {
    principal: ledger.LOAN_PRINCIPAL.add(ledger.OVERDUE_PRINCIPAL).toString(),
    interest: ledger.INTEREST_RECEIVABLE.add(ledger.OVERDUE_INTEREST_RECEIVABLE).toString(),
    penaltyInterest: ledger.PENALTY_RECEIVABLE.toString(),
    total: owedPerLedger(ledger).toString(),
  };
}

function credited(entries: readonly JournalEntry[], account: Account): Money {
  return entries
    .flatMap((entry) => entry.lines)
    .filter((line) => line.account === account && line.side === 'CREDIT')
    .reduce((sum, line) => sum.add(line.amount), Money.zero());
}

/**
 * The period of a statement request, from its query string (`from`, `to`; default this month up
 * to today). Errors name the query parameter, `query.from` or `query.to`, as the schema's do;
 * a period too long names the end the caller chose (`to`, or `from` when `to` is today by default).
 */
export function checkPeriod(
  from: string | undefined,
  to: string | undefined,
  today: string,
  maxDays = MAX_STATEMENT_DAYS,
) {
  const end = to ?? today;
  const start = from ?? `${end.slice(0, 8)}01`;
  assertBusinessDate(start, 'query.from');
  assertBusinessDate(end, 'query.to');
  if (start > end) throw new ValidationError(`from ${start} is after to ${end}`, 'query.from');
  const days = daysBetween(start, end) + 1;
  if (days > maxDays) {
    throw new ValidationError(
      `the period is ${days} days; a statement covers at most ${maxDays}`,
      to === undefined ? 'query.from' : 'query.to',
    );
  }
  return { from: start, to: end };
}

/**
 * A loan's statement for [from, to] (default: this month so far), built from the journal
 * alone: the opening balance is the ledger at the end of the day before `from`, the closing
 * balance the ledger at the end of `to`, and in between every disbursement, repayment,
 * reclassification and write-off, with the interest charged in the period. The closing balance
 * equals opening + disbursed + interest − repaid − written off, which the function checks.
 */
export function statementOf(loan: LoanRecord, journal: readonly JournalEntry[], from: string, to: string) {
  const before = journal.filter((entry) => entry.businessDate < from);
  const during = journal.filter((entry) => entry.businessDate >= from && entry.businessDate <= to);
  const opening = balances(before);
  const closing = balances([...before, ...during]);
  const transactions: StatementTransaction[] = during
    .filter((entry) => entry.kind !== 'ACCRUAL')
    .map((entry) => {
      const change = owedPerLedger(balances([entry])).toString();
      return {
        date: entry.businessDate,
        kind: entry.kind as StatementTransaction['kind'],
        reference: entry.reference,
        amount: entry.amount.toString(),
        owedChange: change,
      };
    });
  const accruals = during.filter((entry) => entry.kind === 'ACCRUAL');
  const interestCharged = credited(accruals, 'INTEREST_INCOME');
  const penaltyCharged = credited(accruals, 'PENALTY_INCOME');
  const moved = transactions.reduce((sum, t) => sum.add(Money.parse(t.owedChange)), Money.zero());
  const expected = owedPerLedger(opening).add(moved).add(interestCharged).add(penaltyCharged);
  if (expected.compare(owedPerLedger(closing)) !== 0)
    throw new Error(`statement of ${loan.loanId} does not reconcile with its ledger`);
  return {
    loanId: loan.loanId,
    from,
    to,
    accruedThrough: loan.servicing.accruedThrough,
    openingBalance: groups(opening),
    transactions,
    interestCharged: interestCharged.toString(),
    penaltyInterestCharged: penaltyCharged.toString(),
    closingBalance: groups(closing),
  } satisfies LoanStatement;
}

async function ledgerOf(deps: Pick<Dependencies, 'loans'>, loanId: string, to?: string) {
  return (await deps.loans.journal(loanId, { to })).map(journalFromJson);
}

export interface StatementPeriod {
  from?: string;
  to?: string;
  /** The API asks for at most MAX_STATEMENT_DAYS; a caller inside the system (a whole-life check) may allow more. */
  maxDays?: number;
}

export async function getLoanStatement(
  deps: Pick<Dependencies, 'loans' | 'clock'>,
  principal: Principal,
  loanId: string,
  period: StatementPeriod,
): Promise<LoanStatement> {
  // The period first: a bad one is refused alike for a loan that exists, another's or none.
  const { from, to } = checkPeriod(period.from, period.to, businessDate(deps.clock.now()), period.maxDays);
  const loan = await visibleLoan(deps, principal, loanId);
  return statementOf(loan, await ledgerOf(deps, loanId, to), from, to);
}

/** The journal of a loan as booked, with each account's balance and what the ledger says is owed. */
export async function getLoanJournal(
  deps: Pick<Dependencies, 'loans'>,
  principal: Principal,
  loanId: string,
) {
  await visibleLoan(deps, principal, loanId);
  const entries = await ledgerOf(deps, loanId);
  const ledger = balances(entries);
  return {
    loanId,
    entries: entries.map((entry) => ({
      businessDate: entry.businessDate,
      kind: entry.kind,
      reference: entry.reference,
      lines: entry.lines.map((line) => ({ ...line, amount: line.amount.toString() })),
    })),
    balances: Object.fromEntries(ACCOUNTS.map((account) => [account, ledger[account].toString()])),
    owed: owedPerLedger(ledger).toString(),
  };
}

/**
 * A credit line's statement for [from, to]: each loan drawn on it (its own statement's
 * totals) and the line's totals, which are the sums of the loans'.
 */
export async function getCreditLineStatement(
  deps: Pick<Dependencies, 'loans' | 'clock'>,
  principal: Principal,
  creditLineId: string,
  period: StatementPeriod,
) {
  const { from, to } = checkPeriod(period.from, period.to, businessDate(deps.clock.now()), period.maxDays);
  const line = await deps.loans.getCreditLine(creditLineId);
  if (!line) throw new NotFoundError(`credit line ${creditLineId} not found`);
  assertVisible(principal, line.uscc, `credit line ${creditLineId}`);
  const loans = (await deps.loans.loansOfCreditLine(line)).filter((loan) => loan.disbursedOn <= to);
  const statements = await Promise.all(
    loans.map(async (loan) => statementOf(loan, await ledgerOf(deps, loan.loanId, to), from, to)),
  );
  const sum = (pick: (s: LoanStatement) => string) =>
    statements.reduce((total, s) => total.add(Money.parse(pick(s))), Money.zero()).toString();
  const sumGroups = (pick: (s: LoanStatement) => OwedGroups): OwedGroups => ({
    principal: sum((s) => pick(s).principal),
    interest: sum((s) => pick(s).interest),
    penaltyInterest: sum((s) => pick(s).penaltyInterest),
    total: sum((s) => pick(s).total),
  });
  const moved = (kind: StatementTransaction['kind']) =>
    statements
      .flatMap((s) => s.transactions)
      .filter((t) => t.kind === kind)
      .reduce((total, t) => total.add(Money.parse(t.amount)), Money.zero())
      .toString();
  return {
    creditLineId,
    from,
    to,
    limit: line.limit,
    used: line.used,
    available: line.available,
    openingBalance: sumGroups((s) => s.openingBalance),
    drawn: moved('DISBURSEMENT'),
    repaid: moved('REPAYMENT'),
    interestCharged: sum((s) => s.interestCharged),
    penaltyInterestCharged: sum((s) => s.penaltyInterestCharged),
    closingBalance: sumGroups((s) => s.closingBalance),
    loans: statements.map((s) => ({
      loanId: s.loanId,
      openingBalance: s.openingBalance.total,
      closingBalance: s.closingBalance.total,
      interestCharged: s.interestCharged,
      transactions: s.transactions,
    })),
  };
}
