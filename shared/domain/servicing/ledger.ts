import { DomainError } from '../errors.js';
import { Money } from '../money.js';
import type { DailyAccrual } from './accrual.js';
import type { Allocation, Owed } from './allocation.js';

/**
 * The chart of accounts servicing posts to. Asset accounts (what customers owe the bank) are
 * debit-normal; CUSTOMER_SETTLEMENT is the customer's settlement account at the bank (a
 * liability: a disbursement credits it, a repayment debits it); income accounts are
 * credit-normal; WRITE_OFF_EXPENSE is debit-normal. Overdue principal and interest have their
 * own accounts because the five-category classification and the statements need them apart.
 */
export type Account =
  | 'LOAN_PRINCIPAL'
  | 'OVERDUE_PRINCIPAL'
  | 'INTEREST_RECEIVABLE'
  | 'OVERDUE_INTEREST_RECEIVABLE'
  | 'PENALTY_RECEIVABLE'
  | 'INTEREST_INCOME'
  | 'PENALTY_INCOME'
  | 'CUSTOMER_SETTLEMENT'
  | 'WRITE_OFF_EXPENSE';

export const ACCOUNTS: readonly Account[] = [
  'LOAN_PRINCIPAL',
  'OVERDUE_PRINCIPAL',
  'INTEREST_RECEIVABLE',
  'OVERDUE_INTEREST_RECEIVABLE',
  'PENALTY_RECEIVABLE',
  'INTEREST_INCOME',
  'PENALTY_INCOME',
  'CUSTOMER_SETTLEMENT',
  'WRITE_OFF_EXPENSE',
];

/** The accounts whose debit balance is what the customer owes on the loan. */
export const RECEIVABLE_ACCOUNTS: readonly Account[] = [
  'LOAN_PRINCIPAL',
  'OVERDUE_PRINCIPAL',
  'INTEREST_RECEIVABLE',
  'OVERDUE_INTEREST_RECEIVABLE',
  'PENALTY_RECEIVABLE',
];

export type EntryKind = 'DISBURSEMENT' | 'ACCRUAL' | 'OVERDUE' | 'REPAYMENT' | 'WRITE_OFF';

export interface JournalLine {
  account: Account;
  side: 'DEBIT' | 'CREDIT';
  amount: Money;
}

export interface JournalEntryInput {
  loanId: string;
  businessDate: string;
  kind: EntryKind;
  /** What caused it (a repayment id, a transfer id); accruals use the business date. */
  reference: string;
  lines: readonly JournalLine[];
}

/** An entry that cannot be booked as built: a bug in whoever built it, never a customer's input. */
export class UnbalancedEntryError extends DomainError {
  override name = 'UnbalancedEntryError';
}

/** A balanced journal entry: the only way to make one is through the constructor, which checks. */
export class JournalEntry {
  readonly loanId: string;
  readonly businessDate: string;
  readonly kind: EntryKind;
  readonly reference: string;
  readonly lines: readonly JournalLine[];

  constructor(input: JournalEntryInput) {
    if (input.lines.length < 2)
      throw new UnbalancedEntryError(`a ${input.kind} entry needs at least two lines`);
    const currency = input.lines[0]?.amount.currency ?? 'CNY';
    let debits = Money.zero(currency);
    let credits = Money.zero(currency);
    for (const line of input.lines) {
      if (line.amount.minor <= 0n)
        throw new UnbalancedEntryError(
          `${line.account} line of ${line.amount.toString()}: lines must be positive`,
        );
      if (line.side === 'DEBIT') debits = debits.add(line.amount);
      else credits = credits.add(line.amount);
    }
    if (debits.compare(credits) !== 0)
      throw new UnbalancedEntryError(
        `${input.kind} entry ${input.reference} does not balance: debits ${debits.toString()}, credits ${credits.toString()}`,
      );
    this.loanId = input.loanId;
    this.businessDate = input.businessDate;
    this.kind = input.kind;
    this.reference = input.reference;
    this.lines = Object.freeze([...input.lines]);
    Object.freeze(this);
  }

  /** The debit (= credit) total. */
  get amount(): Money {
    return this.lines
      .filter((line) => line.side === 'DEBIT')
      .reduce((sum, line) => sum.add(line.amount), Money.zero(this.lines[0]?.amount.currency));
  }
}

const debit = (account: Account, amount: Money): JournalLine => ({ account, side: 'DEBIT', amount });
const credit = (account: Account, amount: Money): JournalLine => ({ account, side: 'CREDIT', amount });
const nonZero = (lines: JournalLine[]): JournalLine[] => lines.filter((line) => !line.amount.isZero());

interface EntryContext {
  loanId: string;
  businessDate: string;
  reference: string;
}

/** Dr LOAN_PRINCIPAL, Cr CUSTOMER_SETTLEMENT: the principal paid into the customer's account. */
export function disbursementEntry(context: EntryContext, principal: Money): JournalEntry {
  return new JournalEntry({
    ...context,
    kind: 'DISBURSEMENT',
    lines: [debit('LOAN_PRINCIPAL', principal), credit('CUSTOMER_SETTLEMENT', principal)],
  });
}

/**
 * The entries of one day's accrual, in the order they happened: the reclassification of what
 * fell overdue (Dr OVERDUE_*, Cr the current account), then the interest earned (Dr
 * INTEREST_RECEIVABLE, Cr INTEREST_INCOME; penalty and compound: Dr PENALTY_RECEIVABLE, Cr
 * PENALTY_INCOME). A day with nothing to book gives no entry.
 */
export function accrualEntries(loanId: string, accrual: DailyAccrual): JournalEntry[] {
  const context = { loanId, businessDate: accrual.date, reference: accrual.date };
  const entries: JournalEntry[] = [];
  const overdue = accrual.fellOverdue;
  if (overdue) {
    entries.push(
      new JournalEntry({
        ...context,
        kind: 'OVERDUE',
        lines: nonZero([
          debit('OVERDUE_PRINCIPAL', overdue.principal),
          credit('LOAN_PRINCIPAL', overdue.principal),
          debit('OVERDUE_INTEREST_RECEIVABLE', overdue.interest),
          credit('INTEREST_RECEIVABLE', overdue.interest),
        ]),
      }),
    );
  }
  const lines = accrual.lines.flatMap((line) =>
    line.kind === 'INTEREST'
      ? [debit('INTEREST_RECEIVABLE', line.amount), credit('INTEREST_INCOME', line.amount)]
      : [debit('PENALTY_RECEIVABLE', line.amount), credit('PENALTY_INCOME', line.amount)],
  );
  if (lines.length > 0) entries.push(new JournalEntry({ ...context, kind: 'ACCRUAL', lines }));
  return entries;
}

/** Dr CUSTOMER_SETTLEMENT for the amount received, Cr each receivable by its share of the allocation. */
export function repaymentEntry(context: EntryContext, allocation: Allocation): JournalEntry {
  return new JournalEntry({
    ...context,
    kind: 'REPAYMENT',
    lines: [debit('CUSTOMER_SETTLEMENT', allocation.amount), ...receivableCredits(allocation)],
  });
}

/**
 * Dr WRITE_OFF_EXPENSE, Cr every receivable written off (核销). Loan-loss provisions are out of
 * scope here, so the expense is booked gross; a provisioning model would debit the allowance.
 */
export function writeOffEntry(context: EntryContext, writtenOff: Owed): JournalEntry {
  const lines = receivableCredits(writtenOff);
  const total = lines.reduce(
    (sum, line) => sum.add(line.amount),
    Money.zero(writtenOff.currentPrincipal.currency),
  );
  return new JournalEntry({
    ...context,
    kind: 'WRITE_OFF',
    lines: [debit('WRITE_OFF_EXPENSE', total), ...lines],
  });
}

function receivableCredits(amounts: Owed): JournalLine[] {
  return nonZero([
    credit('PENALTY_RECEIVABLE', amounts.penaltyInterest),
    credit('OVERDUE_INTEREST_RECEIVABLE', amounts.overdueInterest),
    credit('OVERDUE_PRINCIPAL', amounts.overduePrincipal),
    credit('INTEREST_RECEIVABLE', amounts.currentInterest),
    credit('LOAN_PRINCIPAL', amounts.currentPrincipal),
  ]);
}

export type Balances = Readonly<Record<Account, Money>>;

/** Each account's balance, debit minus credit, derived from the entries alone (optionally one loan's). */
export function balances(entries: Iterable<JournalEntry>, loanId?: string): Balances {
  const totals = new Map<Account, Money>(ACCOUNTS.map((account) => [account, Money.zero()]));
  for (const entry of entries) {
    if (loanId !== undefined && entry.loanId !== loanId) continue;
    for (const line of entry.lines) {
      const before = totals.get(line.account) ?? Money.zero(line.amount.currency);
      totals.set(
        line.account,
        line.side === 'DEBIT' ? before.add(line.amount) : before.subtract(line.amount),
      );
    }
  }
  return Object.fromEntries(totals) as Record<Account, Money>;
}

/** What the ledger says the customer owes: the sum of the receivable balances. */
export function owedPerLedger(ledger: Balances): Money {
  return RECEIVABLE_ACCOUNTS.reduce((sum, account) => sum.add(ledger[account]), Money.zero());
}

/** Principal outstanding per the ledger: current plus overdue principal. */
export function principalPerLedger(ledger: Balances): Money {
  return ledger.LOAN_PRINCIPAL.add(ledger.OVERDUE_PRINCIPAL);
}
