import { describe, expect, it } from 'vitest';
import {
  ACCOUNTS,
  accrualEntries,
  accrueThrough,
  balances,
  disbursementEntry,
  JournalEntry,
  type JournalLine,
  openLoan,
  owedPerLedger,
  payoff,
  principalPerLedger,
  repay,
  repaymentEntry,
  UnbalancedEntryError,
  writeOff,
  writeOffEntry,
} from '../../../shared/domain/servicing/index.js';
import { money, rate, sum } from './builders.js';

const context = { loanId: 'loan-1', businessDate: '2025-01-15', reference: 'test' };
const entry = (lines: JournalLine[]) => new JournalEntry({ ...context, kind: 'REPAYMENT', lines });

describe('JournalEntry', () => {
  it('accepts a balanced entry and freezes it', () => {
    const booked = entry([
      { account: 'CUSTOMER_SETTLEMENT', side: 'DEBIT', amount: money('100.00') },
      { account: 'INTEREST_RECEIVABLE', side: 'CREDIT', amount: money('60.00') },
      { account: 'LOAN_PRINCIPAL', side: 'CREDIT', amount: money('40.00') },
    ]);
    expect(booked.amount.toString()).toBe('100.00');
    expect(Object.isFrozen(booked)).toBe(true);
  });

  it.each([
    {
      why: 'debits 100.00, credits 99.99',
      lines: [
        { account: 'CUSTOMER_SETTLEMENT', side: 'DEBIT', amount: money('100.00') },
        { account: 'LOAN_PRINCIPAL', side: 'CREDIT', amount: money('99.99') },
      ],
    },
    { why: 'one line', lines: [{ account: 'LOAN_PRINCIPAL', side: 'DEBIT', amount: money('1.00') }] },
    {
      why: 'a zero line',
      lines: [
        { account: 'CUSTOMER_SETTLEMENT', side: 'DEBIT', amount: money('0.00') },
        { account: 'LOAN_PRINCIPAL', side: 'CREDIT', amount: money('0.00') },
      ],
    },
    {
      why: 'a negative line that would balance a wrong side',
      lines: [
        { account: 'CUSTOMER_SETTLEMENT', side: 'DEBIT', amount: money('-5.00') },
        { account: 'LOAN_PRINCIPAL', side: 'CREDIT', amount: money('-5.00') },
      ],
    },
  ] satisfies Array<{ why: string; lines: JournalLine[] }>)('refuses $why', ({ lines }) => {
    expect(() => entry(lines)).toThrow(UnbalancedEntryError);
  });
});

describe('a loan through the ledger', () => {
  // 120,000.00 at 6%, 12 equal instalments from 15 Jan 2025; instalment 1 (15 Feb) missed;
  // 1,000.00 repaid on 25 Feb (see allocation.test.ts for the buckets).
  const loan = openLoan({
    principal: money('120000.00'),
    annualRate: rate('0.06'),
    termMonths: 12,
    disbursementDate: '2025-01-15',
    dueDay: 15,
    method: 'EQUAL_INSTALMENT',
  });
  const { accruals, state } = accrueThrough(loan, '2025-02-24');
  const repaid = repay(state, '2025-02-25', money('1000.00'));
  const entries = [
    disbursementEntry({ ...context, reference: 'transfer-1' }, money('120000.00')),
    ...accruals.flatMap((accrual) => accrualEntries('loan-1', accrual)),
    repaymentEntry({ ...context, businessDate: '2025-02-25', reference: 'repayment-1' }, repaid.allocation),
  ];
  const ledger = balances(entries);

  it('derives every balance from the entries', () => {
    const shown = Object.fromEntries(ACCOUNTS.map((account) => [account, ledger[account].toString()]));
    expect(shown).toEqual({
      LOAN_PRINCIPAL: '110292.03',
      OVERDUE_PRINCIPAL: '9352.24',
      INTEREST_RECEIVABLE: '183.82',
      OVERDUE_INTEREST_RECEIVABLE: '0.00',
      PENALTY_RECEIVABLE: '0.00',
      INTEREST_INCOME: '-803.82',
      PENALTY_INCOME: '-24.27',
      CUSTOMER_SETTLEMENT: '-119000.00',
      WRITE_OFF_EXPENSE: '0.00',
    });
    expect(sum(ACCOUNTS.map((account) => ledger[account])).toString()).toBe('0.00');
  });

  it('owes what the payoff quotes: 120,828.09 − 1,000.00', () => {
    expect(owedPerLedger(ledger).toString()).toBe('119828.09');
    // Same day, after the repayment: the state is still accrued to 24 Feb, like the ledger.
    expect(payoff(repaid.state, '2025-02-25').toString()).toBe(owedPerLedger(ledger).toString());
    expect(principalPerLedger(ledger).toString()).toBe('119644.27');
  });

  it('writes off to zero receivables', () => {
    const written = writeOff(repaid.state, '2025-02-26');
    const all = [
      ...entries,
      ...written.accruals.flatMap((accrual) => accrualEntries('loan-1', accrual)),
      writeOffEntry({ ...context, businessDate: '2025-02-26', reference: 'write-off-1' }, written.writtenOff),
    ];
    const after = balances(all);
    expect(owedPerLedger(after).toString()).toBe('0.00');
    expect(after.WRITE_OFF_EXPENSE.toString()).toBe(payoff(repaid.state, '2025-02-26').toString());
  });

  it('keeps loans apart', () => {
    expect(owedPerLedger(balances(entries, 'another-loan')).toString()).toBe('0.00');
  });
});
