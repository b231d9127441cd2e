import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Money } from '../../../shared/domain/money.js';
import { AnnualRate } from '../../../shared/domain/rate.js';
import {
  type AllocationBucket,
  accrualEntries,
  accrueDay,
  accrueThrough,
  addDays,
  balances,
  DAY_COUNTS,
  DEFAULT_ALLOCATION_ORDER,
  daysBetween,
  disbursementEntry,
  type JournalEntry,
  type LoanInput,
  type LoanState,
  openLoan,
  owedOn,
  owedPerLedger,
  payoff,
  principalExpectedAfter,
  principalOutstanding,
  principalPerLedger,
  REAMORTISATIONS,
  REPAYMENT_METHODS,
  type Reamortisation,
  reamortise,
  repay,
  repaymentEntry,
  repaymentSchedule,
  type ScheduleInput,
  type ScheduleRow,
  writeOff,
  writeOffEntry,
} from '../../../shared/domain/servicing/index.js';
import { sum } from './builders.js';

const dateArb = fc.integer({ min: 0, max: 3650 }).map((offset) => addDays('2024-01-01', offset));

const scheduleInputArb = (maxTerm: number): fc.Arbitrary<ScheduleInput> =>
  fc.record({
    principal: fc.bigInt({ min: 1n, max: 100_000_000_00n }).map((fen) => Money.ofMinor(fen)),
    annualRate: fc.integer({ min: 0, max: 3600 }).map((bp) => AnnualRate.ofBasisPoints(bp)),
    termMonths: fc.integer({ min: 1, max: maxTerm }),
    disbursementDate: dateArb,
    dueDay: fc.integer({ min: 1, max: 28 }),
    method: fc.constantFrom(...REPAYMENT_METHODS),
    dayCount: fc.constantFrom(...DAY_COUNTS),
  });

const principalSum = (rows: ReadonlyArray<{ principal: Money }>) => sum(rows.map((row) => row.principal));

describe('schedule properties', () => {
  it('repays exactly the amount, row after row, for every method; and again after re-amortising', () => {
    fc.assert(
      fc.property(
        scheduleInputArb(360),
        fc.integer({ min: 0, max: 400 }),
        fc.bigInt({ min: 0n, max: 100n }),
        fc.constantFrom(...REAMORTISATIONS),
        (input, prepayDay, percentLeft, choice) => {
          const schedule = repaymentSchedule(input);
          expect(principalSum(schedule.rows).toString()).toBe(input.principal.toString());
          let start = input.disbursementDate;
          for (const row of schedule.rows) {
            expect(row.startDate).toBe(start);
            expect(row.closingPrincipal.toString()).toBe(
              row.openingPrincipal.subtract(row.principal).toString(),
            );
            expect(row.principal.isNegative()).toBe(false);
            start = row.dueDate;
          }
          expect(schedule.rows.at(-1)?.closingPrincipal.isZero()).toBe(true);

          const date = addDays(input.disbursementDate, prepayDay);
          const expected = principalExpectedAfter(schedule, date);
          if (expected.isZero()) return;
          const left = expected.multiplyRatio(percentLeft, 100n);
          const again = reamortise(schedule, date, left, choice);
          expect(principalSum(again.rows).toString()).toBe(left.toString());
          expect(again.rows.length).toBeLessThanOrEqual(schedule.rows.length);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('accrues each period, day by day, to exactly its schedule interest, before and after a prepayment', () => {
    fc.assert(
      fc.property(
        scheduleInputArb(24),
        fc.boolean(),
        fc.nat(),
        fc.bigInt({ min: 1n, max: 99n }),
        fc.constantFrom(...REAMORTISATIONS),
        (input, compound, prepaySeed, percent, reamortisation) => {
          // Prepare: a loan paid exactly on schedule, with one prepayment (interest to date plus
          // `percent` of the principal) on a random day, after which the new schedule is followed.
          let state = openLoan({ ...input, compoundOverdueInterest: compound });
          const term = daysBetween(
            input.disbursementDate,
            state.schedule.rows.at(-1)?.dueDate ?? input.disbursementDate,
          );
          const prepayOn = addDays(input.disbursementDate, prepaySeed % term);
          let row: ScheduleRow | undefined = state.schedule.rows[0];
          let accrued = Money.zero();
          for (let date = input.disbursementDate; row; date = addDays(date, 1)) {
            if (date === row.dueDate) {
              // Assess: the days of the period sum to the row's interest; paying the row keeps the loan on schedule.
              expect(accrued.toString()).toBe(row.interest.toString());
              if (!row.total.isZero()) state = repay(state, date, row.total).state;
              expect(state.currentPrincipal.amount.toString()).toBe(row.closingPrincipal.toString());
              row = state.schedule.rows.find((next) => next.startDate === date);
              accrued = Money.zero();
            }
            if (date === prepayOn && row) {
              const owed = owedOn(state, date);
              const extra = owed.currentPrincipal.multiplyRatio(percent, 100n);
              if (!extra.isZero()) {
                const outcome = repay(state, date, owed.currentInterest.add(extra), { reamortisation });
                expect(outcome.reamortised).toBe(true);
                state = outcome.state;
                row = state.schedule.rows[0];
                accrued = Money.zero();
              }
            }
            if (!row) break;
            const step = accrueDay(state, date);
            for (const line of step.accrual?.lines ?? []) {
              expect(line.kind).toBe('INTEREST');
              accrued = accrued.add(line.amount);
            }
            state = step.state;
          }
          expect(principalOutstanding(state).toString()).toBe('0.00');
          expect(payoff(state, addDays(state.accruedThrough, 1)).toString()).toBe('0.00');
        },
      ),
      { numRuns: 40 },
    );
  });
});

/** A portfolio on one clock: draw-downs, days passing (with auto-debit on due dates), repayments, write-offs. */
type Action =
  | {
      kind: 'draw';
      loan: Omit<LoanInput, 'disbursementDate'>;
      autoDebit: boolean;
    }
  | { kind: 'advance'; days: number }
  | {
      kind: 'repay';
      pick: number;
      percent: bigint;
      order: AllocationBucket[];
      reamortisation: Reamortisation;
    }
  | { kind: 'writeOff'; pick: number };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('draw' as const),
      loan: fc
        .tuple(scheduleInputArb(24), fc.boolean())
        .map(([{ disbursementDate: _unused, ...loan }, compoundOverdueInterest]) => ({
          ...loan,
          compoundOverdueInterest,
        })),
      autoDebit: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), days: fc.integer({ min: 1, max: 45 }) }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('repay' as const),
      pick: fc.nat(),
      percent: fc.bigInt({ min: 1n, max: 100n }),
      order: fc.shuffledSubarray([...DEFAULT_ALLOCATION_ORDER], { minLength: 5, maxLength: 5 }),
      reamortisation: fc.constantFrom(...REAMORTISATIONS),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('writeOff' as const), pick: fc.nat() }) },
);

interface Tracked {
  id: string;
  state: LoanState;
  autoDebit: boolean;
  drawn: Money;
  principalRepaid: Money;
  principalWrittenOff: Money;
}

/** What the schedule has due on `date` (arrears, penalties, interest, and the instalment's principal). */
function dueOn(state: LoanState, date: string): Money {
  const owed = owedOn(state, date);
  const principalDue = Money.max(
    Money.zero(),
    owed.currentPrincipal.subtract(principalExpectedAfter(state.schedule, date)),
  );
  return owed.penaltyInterest
    .add(owed.overdueInterest)
    .add(owed.overduePrincipal)
    .add(owed.currentInterest)
    .add(principalDue);
}

describe('servicing a portfolio through the ledger', () => {
  it('keeps the ledger balanced, the principal explained, and the payoff equal to what the ledger says is owed', () => {
    fc.assert(
      fc.property(fc.array(actionArb, { minLength: 10, maxLength: 50 }), (actions) => {
        let today = '2025-01-10';
        const loans: Tracked[] = [];
        const entries: JournalEntry[] = [];
        // Every entry must balance as it is booked (the constructor checks; this re-checks by hand).
        const book = (...more: JournalEntry[]) => {
          for (const entry of more) {
            const side = (wanted: string) =>
              sum(entry.lines.filter((line) => line.side === wanted).map((line) => line.amount));
            expect(side('DEBIT').toString()).toBe(side('CREDIT').toString());
            entries.push(entry);
          }
        };
        const context = (loan: Tracked, reference: string) => ({
          loanId: loan.id,
          businessDate: today,
          reference,
        });

        const receive = (loan: Tracked, amount: Money, options: Parameters<typeof repay>[3] = {}) => {
          const outcome = repay(loan.state, today, amount, options);
          book(...outcome.accruals.flatMap((accrual) => accrualEntries(loan.id, accrual)));
          book(repaymentEntry(context(loan, `repayment-${entries.length}`), outcome.allocation));
          loan.principalRepaid = loan.principalRepaid
            .add(outcome.allocation.overduePrincipal)
            .add(outcome.allocation.currentPrincipal);
          loan.state = outcome.state;
        };

        for (const action of actions) {
          if (action.kind === 'draw') {
            const loan: Tracked = {
              id: `loan-${loans.length + 1}`,
              state: openLoan({ ...action.loan, disbursementDate: today }),
              autoDebit: action.autoDebit,
              drawn: action.loan.principal,
              principalRepaid: Money.zero(),
              principalWrittenOff: Money.zero(),
            };
            loans.push(loan);
            book(disbursementEntry(context(loan, 'transfer'), action.loan.principal));
          }
          if (action.kind === 'advance') {
            for (let day = 0; day < action.days; day += 1) {
              for (const loan of loans) {
                // Auto-debit collects what is due during the day, before the end-of-day run.
                const due = loan.autoDebit ? dueOn(loan.state, today) : Money.zero();
                if (!due.isZero()) receive(loan, due);
                const step = accrueDay(loan.state, today);
                if (step.accrual) book(...accrualEntries(loan.id, step.accrual));
                loan.state = step.state;
                // Idempotent: the same date again books nothing.
                expect(accrueDay(loan.state, today).accrual).toBeNull();
              }
              today = addDays(today, 1);
            }
          }
          if (action.kind === 'repay' && loans.length > 0) {
            const loan = loans[action.pick % loans.length] as Tracked;
            const owed = payoff(loan.state, today);
            const amount = owed.multiplyRatio(action.percent, 100n);
            if (!amount.isZero()) receive(loan, amount, action);
            if (action.percent === 100n) expect(payoff(loan.state, today).toString()).toBe('0.00');
          }
          if (action.kind === 'writeOff' && loans.length > 0) {
            const loan = loans[action.pick % loans.length] as Tracked;
            const outcome = writeOff(loan.state, today);
            book(...outcome.accruals.flatMap((accrual) => accrualEntries(loan.id, accrual)));
            const total = sum(Object.values(outcome.writtenOff));
            if (!total.isZero()) book(writeOffEntry(context(loan, 'write-off'), outcome.writtenOff));
            loan.principalWrittenOff = loan.principalWrittenOff
              .add(outcome.writtenOff.overduePrincipal)
              .add(outcome.writtenOff.currentPrincipal);
            loan.state = outcome.state;
          }

          const ledgers = new Map(loans.map((loan) => [loan.id, [] as JournalEntry[]]));
          for (const entry of entries) ledgers.get(entry.loanId)?.push(entry);
          for (const loan of loans) {
            const ledger = balances(ledgers.get(loan.id) ?? []);
            const outstanding = loan.drawn.subtract(loan.principalRepaid).subtract(loan.principalWrittenOff);
            expect(outstanding.isNegative()).toBe(false);
            expect(principalPerLedger(ledger).toString()).toBe(outstanding.toString());
            expect(principalOutstanding(loan.state).toString()).toBe(outstanding.toString());
            expect(payoff(loan.state, today).toString()).toBe(owedPerLedger(ledger).toString());
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('catches up missed dates to the same state as running each day', () => {
    fc.assert(
      fc.property(scheduleInputArb(12), fc.integer({ min: 1, max: 400 }), (input, days) => {
        const loan = openLoan(input);
        const through = addDays(input.disbursementDate, days - 1);
        const caughtUp = accrueThrough(loan, through);
        let daily = loan;
        for (let date = input.disbursementDate; date <= through; date = addDays(date, 1))
          daily = accrueDay(daily, date).state;
        expect(caughtUp.accruals.length).toBeLessThanOrEqual(days);
        expect(payoff(caughtUp.state, addDays(through, 1)).toString()).toBe(
          payoff(daily, addDays(through, 1)).toString(),
        );
      }),
      { numRuns: 40 },
    );
  });
});
