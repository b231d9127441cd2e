import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoEventOutbox } from '../../shared/adapters/dynamodb/event-items.js';
import type { TableContext } from '../../shared/adapters/dynamodb/table.js';
import type { ControllableClock } from '../../shared/adapters/local/controllable-clock.js';
import { InMemoryQueue } from '../../shared/adapters/local/in-memory-queue.js';
import type { SimulatedCoreBanking } from '../../shared/adapters/simulated/core-banking.js';
import {
  ConflictError,
  IdempotencyKeyReusedError,
  InsufficientFundsError,
  OutcomeUnknownError,
  ValidationError,
} from '../../shared/domain/errors.js';
import { journalFromJson } from '../../shared/domain/loan.js';
import { Money } from '../../shared/domain/money.js';
import {
  accrueThrough,
  addDays,
  owed,
  owedPerLedger,
  PAYOFF_HORIZON_DAYS,
  totalOwed,
} from '../../shared/domain/servicing/index.js';
import { balances } from '../../shared/domain/servicing/ledger.js';
import { accrueInterest } from '../../shared/services/accrue-interest.js';
import { disburseDrawdown, requestDrawdown } from '../../shared/services/draw-down.js';
import { loanState } from '../../shared/services/loan-servicing.js';
import { monitorActiveLoans } from '../../shared/services/monitor-active-loans.js';
import type { Principal } from '../../shared/services/principal.js';
import { getCreditLine, getLoan, getLoanSchedule } from '../../shared/services/read-models.js';
import { reconcile } from '../../shared/services/reconcile.js';
import { quotePayoff, repayLoan } from '../../shared/services/repay-loan.js';
import {
  getCreditLineStatement,
  getLoanJournal,
  getLoanStatement,
} from '../../shared/services/statements.js';
import { writeOffLoan } from '../../shared/services/write-off.js';
import { money, type ServicingDeps, servicingWorld } from './servicing-fixture.js';

const USCC = '91350102MA31K7Q230';
const enterprise: Principal = { subject: 'enterprise-test', role: 'enterprise', uscc: USCC };
let table: TableContext;
let clock: ControllableClock;
let coreBanking: SimulatedCoreBanking;
let deps: ServicingDeps;
let openLine: Awaited<ReturnType<typeof servicingWorld>>['openLine'];

beforeEach(async () => {
  ({ table, clock, coreBanking, deps, openLine } = await servicingWorld());
});

async function draw(creditLineId: string, amount: string, key: string, termMonths = 6) {
  const { drawdown } = await requestDrawdown(deps, {
    principal: enterprise,
    creditLineId,
    idempotencyKey: key,
    request: { amount: money(amount), termMonths, repaymentMethod: 'EQUAL_INSTALMENT' },
  });
  await disburseDrawdown(deps, drawdown);
  return drawdown;
}

async function nightly(days: number) {
  for (let day = 0; day < days; day++) {
    clock.advanceDays(1);
    await accrueInterest(deps);
    await monitorActiveLoans(deps);
  }
}

async function ledgerOwed(loanId: string) {
  return (await getLoanJournal(deps, enterprise, loanId)).owed;
}

describe('draw-downs', () => {
  it('never lets concurrent draw-downs together exceed the limit', async () => {
    const { creditLineId } = await openLine();
    if (!creditLineId) throw new Error('no credit line');
    // 200,000.00 is available; twelve draws of 30,000.00 ask for 360,000.00 at once.
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, k) =>
        requestDrawdown(deps, {
          principal: enterprise,
          creditLineId,
          idempotencyKey: `parallel-${k}`,
          request: { amount: money('30000.00'), termMonths: 3, repaymentMethod: 'DAILY_REVOLVING' },
        }),
      ),
    );
    const accepted = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(accepted).toHaveLength(6);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ValidationError);
    const line = await deps.loans.getCreditLine(creditLineId);
    expect(line?.used).toEqual(money('230000.00'));
    expect(line?.available).toEqual(money('20000.00'));
  });

  it('pays a draw-down out once however often it is delivered, and books it as a loan', async () => {
    const { creditLineId } = await openLine();
    if (!creditLineId) throw new Error('no credit line');
    const { drawdown } = await requestDrawdown(deps, {
      principal: enterprise,
      creditLineId,
      idempotencyKey: 'once',
      request: { amount: money('80000.00'), termMonths: 6, repaymentMethod: 'EQUAL_PRINCIPAL', dueDay: 25 },
    });
    expect(drawdown.status).toBe('REQUESTED');
    const results = await Promise.all([disburseDrawdown(deps, drawdown), disburseDrawdown(deps, drawdown)]);
    expect(results.filter((r) => r.booked)).toHaveLength(1);
    expect(await disburseDrawdown(deps, drawdown)).toEqual({ loanId: drawdown.loanId, booked: false });
    expect(await coreBanking.transfers(`DSB-${drawdown.drawdownId}`)).toHaveLength(1);

    const schedule = await getLoanSchedule(deps, enterprise, drawdown.loanId);
    expect(schedule.rows).toHaveLength(6);
    expect(schedule.rows[0]?.dueDate).toBe('2026-12-25');
    const total = schedule.rows.reduce((sum, row) => sum.add(Money.parse(row.principal)), Money.zero());
    expect(total.toString()).toBe('80000.00');
    expect(await ledgerOwed(drawdown.loanId)).toBe('80000.00');
  });

  it('answers a retried request with the first draw-down and refuses what the line cannot give', async () => {
    const { creditLineId } = await openLine();
    if (!creditLineId) throw new Error('no credit line');
    const request = { amount: money('10000.00'), termMonths: 3, repaymentMethod: 'INTEREST_FIRST' as const };
    const first = await requestDrawdown(deps, {
      principal: enterprise,
      creditLineId,
      idempotencyKey: 'k',
      request,
    });
    const again = await requestDrawdown(deps, {
      principal: enterprise,
      creditLineId,
      idempotencyKey: 'k',
      request,
    });
    expect(again).toEqual({ drawdown: first.drawdown, replayed: true });

    const refuse = (body: Partial<typeof request>, key: string) =>
      requestDrawdown(deps, {
        principal: enterprise,
        creditLineId,
        idempotencyKey: key,
        request: { ...request, ...body },
      });
    await expect(refuse({ amount: money('190000.01') }, 'too-much')).rejects.toThrow(
      /190000.01 is more than the 190000.00 available/,
    );
    await expect(refuse({ termMonths: 13 }, 'too-long')).rejects.toMatchObject({ field: 'termMonths' });
    const line = await deps.loans.getCreditLine(creditLineId);
    expect(line?.available).toEqual(money('190000.00'));
  });
});

describe('accrual, repayment and settlement', () => {
  it('accrues each date once, catching up missed dates in order', async () => {
    const { loanId } = await openLine();
    clock.advanceDays(3);
    expect(await accrueInterest(deps)).toMatchObject({ through: '2026-11-22', loans: 1, datesBooked: 3 });
    expect(await accrueInterest(deps)).toMatchObject({ datesBooked: 0 });
    const journal = (await deps.loans.journal(loanId)).map(journalFromJson);
    // In booking order: the day's business, then its end-of-day accrual.
    expect(journal.slice(0, 2).map((e) => e.kind)).toEqual(['DISBURSEMENT', 'ACCRUAL']);
    expect(journal.filter((e) => e.kind === 'ACCRUAL').map((e) => e.businessDate)).toEqual([
      '2026-11-20',
      '2026-11-21',
      '2026-11-22',
    ]);
    // 50,000.00 × 5.20% / 360 = 7.2222… a day; three days round to 21.67 over the run.
    expect(owedPerLedger(balances(journal)).toString()).toBe('50021.67');
    expect((await getLoan(deps, enterprise, loanId)).balances).toMatchObject({
      accruedThrough: '2026-11-22',
      accruedInterest: '21.67',
    });
  });

  it('repays early, gives the principal back to the line, and settles with the payoff exactly', async () => {
    const { creditLineId } = await openLine();
    if (!creditLineId) throw new Error('no credit line');
    const drawdown = await draw(creditLineId, '60000.00', 'd1');
    await nightly(10);

    const quote = await quotePayoff(deps, enterprise, drawdown.loanId);
    expect(quote.date).toBe('2026-11-30');
    expect(quote.amount.amount).toBe(await ledgerOwed(drawdown.loanId));

    const partial = await repayLoan(deps, {
      principal: enterprise,
      loanId: drawdown.loanId,
      idempotencyKey: 'r1',
      request: { amount: money('20000.00'), prepayment: 'SHORTEN_TERM' },
    });
    expect(partial.repayment.allocation.currentInterest).toBe(quote.breakdown.currentInterest);
    expect(Money.parse(partial.repayment.prepaidPrincipal).isZero()).toBe(false);
    const principalBack = Money.parse(partial.repayment.allocation.currentPrincipal);
    let line = await deps.loans.getCreditLine(creditLineId);
    expect(line?.used.amount).toBe(Money.parse('110000.00').subtract(principalBack).toString());

    // The same key again: the first answer, no second debit.
    const replay = await repayLoan(deps, {
      principal: enterprise,
      loanId: drawdown.loanId,
      idempotencyKey: 'r1',
      request: { amount: money('20000.00'), prepayment: 'SHORTEN_TERM' },
    });
    expect(replay.replayed).toBe(true);
    expect(await coreBanking.debits(partial.repayment.repaymentId)).toHaveLength(1);

    const payoff = await quotePayoff(deps, enterprise, drawdown.loanId);
    await expect(
      repayLoan(deps, {
        principal: enterprise,
        loanId: drawdown.loanId,
        idempotencyKey: 'r2',
        request: { amount: money(Money.parse(payoff.amount.amount).add(Money.parse('0.01')).toString()) },
      }),
    ).rejects.toMatchObject({ field: 'amount.amount' });
    const settled = await repayLoan(deps, {
      principal: enterprise,
      loanId: drawdown.loanId,
      idempotencyKey: 'r3',
      request: { amount: payoff.amount },
    });
    expect(settled.loan.status).toBe('SETTLED');
    expect(await ledgerOwed(drawdown.loanId)).toBe('0.00');
    line = await deps.loans.getCreditLine(creditLineId);
    expect(line?.used.amount).toBe('50000.00');
    await expect(quotePayoff(deps, enterprise, drawdown.loanId)).rejects.toBeInstanceOf(ConflictError);
    const active = await deps.loans.activeLoans(0);
    expect(active.loans.map((l) => l.loanId)).not.toContain(drawdown.loanId);
  });

  it('quotes a payoff up to maturity + 366 days, as accruing day by day would, and refuses later dates naming query.date', async () => {
    const { loanId } = await openLine();
    await nightly(3);
    const loan = await deps.loans.getLoan(loanId);
    if (!loan) throw new Error('no loan');
    const latest = addDays(loan.maturityDate, PAYOFF_HORIZON_DAYS);

    const quote = await quotePayoff(deps, enterprise, loanId, latest);

    // Everything past maturity is overdue, with a year and a day of penalty interest.
    const reference = owed(accrueThrough(loanState(loan), addDays(latest, -1)).state);
    expect(quote.amount.amount).toBe(totalOwed(reference).toString());
    expect(quote.breakdown.penaltyInterest).toBe(reference.penaltyInterest.toString());
    expect(Money.parse(quote.breakdown.overduePrincipal).isZero()).toBe(false);
    for (const date of [addDays(latest, 1), '9999-12-31', '2026-11-22'])
      await expect(quotePayoff(deps, enterprise, loanId, date)).rejects.toMatchObject({
        name: 'ValidationError',
        field: 'query.date',
      });
  });

  it('leaves a missed instalment overdue with penalty interest, and books nothing when a debit fails', async () => {
    const { creditLineId } = await openLine();
    if (!creditLineId) throw new Error('no credit line');
    const drawdown = await draw(creditLineId, '30000.00', 'd1', 3);
    await coreBanking.setBalance(USCC, Money.zero());
    const before = await deps.loans.journal(drawdown.loanId);
    await expect(
      repayLoan(deps, {
        principal: enterprise,
        loanId: drawdown.loanId,
        idempotencyKey: 'broke',
        request: { amount: money('100.00') },
      }),
    ).rejects.toBeInstanceOf(InsufficientFundsError);
    expect(await deps.loans.journal(drawdown.loanId)).toEqual(before);

    // The first instalment falls due on 2026-12-20; the auto-debit fails, so it falls overdue.
    await nightly(32);
    const loan = await getLoan(deps, enterprise, drawdown.loanId);
    expect(loan.status).toBe('OVERDUE');
    expect(loan.overdueSince).toBe('2026-12-20');
    expect(loan.daysPastDue).toBe(2);
    expect(Money.parse(loan.balances.overduePrincipal).isZero()).toBe(false);
    expect(Money.parse(loan.balances.penaltyInterest).isZero()).toBe(false);

    // Funds arrive: the next night's auto-debit collects the arrears and the loan is current again.
    await coreBanking.setBalance(USCC, Money.parse('50000.00'));
    await nightly(1);
    const cured = await getLoan(deps, enterprise, drawdown.loanId);
    expect(cured.status).toBe('ACTIVE');
    expect(cured.overdueSince).toBeUndefined();
    expect(cured.balances.penaltyInterest).toBe('0.00');
  });

  it('writes statements that agree with the ledger, loan by loan and for the line', async () => {
    const { creditLineId, loanId } = await openLine();
    if (!creditLineId) throw new Error('no credit line');
    const drawdown = await draw(creditLineId, '40000.00', 'd1');
    await nightly(20);
    await repayLoan(deps, {
      principal: enterprise,
      loanId,
      idempotencyKey: 'r',
      request: { amount: money('10000.00') },
    });
    await nightly(5);
    const statement = await getLoanStatement(deps, enterprise, loanId, {
      from: '2026-11-20',
      to: '2026-12-14',
    });
    expect(statement.openingBalance.total).toBe('0.00');
    expect(statement.transactions.map((t) => t.kind)).toEqual(['DISBURSEMENT', 'REPAYMENT']);
    expect(statement.closingBalance.total).toBe(await ledgerOwed(loanId));

    const lineStatement = await getCreditLineStatement(deps, enterprise, creditLineId, {
      from: '2026-11-20',
      to: '2026-12-14',
    });
    const owed = Money.parse(await ledgerOwed(loanId)).add(Money.parse(await ledgerOwed(drawdown.loanId)));
    expect(lineStatement.closingBalance.total).toBe(owed.toString());
    expect(lineStatement.drawn).toBe('90000.00');
    expect(lineStatement.repaid).toBe('10000.00');
    expect(lineStatement.loans).toHaveLength(2);
  });

  it('writes a loan off in one balanced entry, stops its accrual and freezes its line', async () => {
    const { creditLineId, loanId } = await openLine();
    if (!creditLineId) throw new Error('no credit line');
    await nightly(10);
    const approver = { subject: 'approver-li', role: 'approver' as const, correlationId: 'req-write-off' };
    const owed = await ledgerOwed(loanId);
    const written = await writeOffLoan(deps, approver, loanId, 'uncollectable after litigation');
    expect(written.status).toBe('WRITTEN_OFF');
    expect(written.writtenOff).toMatchObject({ by: 'approver-li', amount: owed });
    const journal = await getLoanJournal(deps, enterprise, loanId);
    expect(journal.owed).toBe('0.00');
    expect(journal.balances.WRITE_OFF_EXPENSE).toBe(owed);
    await expect(writeOffLoan(deps, approver, loanId, 'again')).rejects.toBeInstanceOf(ConflictError);
    expect(await accrueInterest(deps)).toMatchObject({ loans: 0 });
    expect((await getCreditLine(deps, enterprise, creditLineId)).status).toBe('FROZEN');
    await expect(draw(creditLineId, '1000.00', 'after-write-off')).rejects.toThrow(/FROZEN/);
  });

  it('shows a line past its expiry as EXPIRED and refuses to draw on it', async () => {
    const { creditLineId } = await openLine();
    if (!creditLineId) throw new Error('no credit line');
    clock.advanceDays(400);
    expect((await getCreditLine(deps, enterprise, creditLineId)).status).toBe('EXPIRED');
    await expect(draw(creditLineId, '1000.00', 'after-expiry')).rejects.toThrow(/expired since/);
  });
});

describe('repayments under races and crashes', () => {
  /** A draw-down of 40,000.00 on a fresh line: its payoff today is exactly 40,000.00. */
  async function loanOf40k(key = 'd40') {
    const { creditLineId } = await openLine();
    if (!creditLineId) throw new Error('no credit line');
    return draw(creditLineId, '40000.00', key);
  }

  const repayment = (loanId: string, key: string, amount: string) =>
    repayLoan(deps, {
      principal: enterprise,
      loanId,
      idempotencyKey: key,
      request: { amount: money(amount) },
    });

  /** Every debit of the loan is booked or refunded, and nothing is left half done. */
  async function expectEveryDebitAccounted(loanId: string) {
    const loan = await deps.loans.getLoan(loanId);
    expect(loan?.pendingRepayments ?? []).toEqual([]);
    // The simulator keeps the loan each debit was for, as a real statement line would.
    const debits = (await coreBanking.debits()).filter(
      (d) => d.status === 'BOOKED' && (d as { loanId?: string }).loanId === loanId,
    );
    const records = await Promise.all(debits.map((d) => deps.loans.getRepayment(loanId, d.reference)));
    for (const [i, record] of records.entries())
      expect(record?.status, `debit ${debits[i]?.reference}`).toMatch(/^(BOOKED|REFUNDED)$/);
    const refunds = (await coreBanking.refunds()).filter((r) =>
      debits.some((d) => d.reference === r.debitReference),
    );
    expect(refunds.map((r) => r.debitReference).sort()).toEqual(
      records
        .filter((r) => r?.status === 'REFUNDED')
        .map((r) => r?.repaymentId)
        .sort(),
    );
    return { debits, records };
  }

  it('books at most the payoff when ten repayments race, and debits only what it books', async () => {
    for (let round = 0; round < 3; round++) {
      const drawdown = await loanOf40k(`d40-${round}`);
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, k) => repayment(drawdown.loanId, `race-${round}-${k}`, '10000.00')),
      );
      for (const r of results)
        if (r.status === 'rejected')
          expect(r.reason).toBeInstanceOf(
            r.reason instanceof ValidationError ? ValidationError : ConflictError,
          );
      const booked = results.filter((r) => r.status === 'fulfilled');
      expect(booked.length).toBeLessThanOrEqual(4);
      const { records } = await expectEveryDebitAccounted(drawdown.loanId);
      const mine = records.filter((r) => r?.loanId === drawdown.loanId);
      expect(mine.filter((r) => r?.status === 'BOOKED')).toHaveLength(booked.length);
      const loan = await deps.loans.getLoan(drawdown.loanId);
      expect(loan?.outstandingPrincipal.amount).toBe(
        Money.parse('40000.00')
          .subtract(Money.ofMinor(1_000_000n * BigInt(booked.length)))
          .toString(),
      );
      expect(await ledgerOwed(drawdown.loanId)).toBe(loan?.outstandingPrincipal.amount);
    }
  });

  it('books one repayment and answers every twin when the same key is sent ten times at once', async () => {
    const drawdown = await loanOf40k();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => repayment(drawdown.loanId, 'twin', '1000.00')),
    );
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ConflictError);
    const answered = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(answered.length).toBeGreaterThan(0);
    expect(new Set(answered.map((a) => a.repayment.repaymentId)).size).toBe(1);
    expect(answered.filter((a) => !a.replayed).length).toBeLessThanOrEqual(1);
    expect(await coreBanking.debits()).toHaveLength(1);
    await expectEveryDebitAccounted(drawdown.loanId);
    expect(await ledgerOwed(drawdown.loanId)).toBe('39000.00');
  });

  it('never books one debit on two loans when one key is sent for both at once', async () => {
    const { creditLineId, loanId: first } = await openLine();
    if (!creditLineId) throw new Error('no credit line');
    const second = (await draw(creditLineId, '40000.00', 'd-second')).loanId;
    const results = await Promise.allSettled([
      repayment(first, 'one-key-two-loans', '1000.00'),
      repayment(second, 'one-key-two-loans', '1000.00'),
    ]);
    for (const r of results)
      if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(IdempotencyKeyReusedError);
    const booked = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.repayment] : []));
    // Each booking has its own debit: money in for every repayment booked, never one debit twice.
    const debits = (await coreBanking.debits()).filter((d) => d.status === 'BOOKED');
    expect(new Set(booked.map((b) => b.repaymentId)).size).toBe(booked.length);
    for (const b of booked) expect(debits.map((d) => d.reference)).toContain(b.repaymentId);
    await expectEveryDebitAccounted(first);
    await expectEveryDebitAccounted(second);
  });

  it('lets one of five concurrent write-offs win and answers the others 409', async () => {
    const drawdown = await loanOf40k();
    const approver = { subject: 'approver-li', role: 'approver' as const, correlationId: 'req-write-off' };
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => writeOffLoan(deps, approver, drawdown.loanId, 'fraud')),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ConflictError);
    expect((await deps.loans.journal(drawdown.loanId)).filter((e) => e.kind === 'WRITE_OFF')).toHaveLength(1);
  });

  it('keeps the intent when core banking times out after debiting, and books it on the retry', async () => {
    const drawdown = await loanOf40k();
    const lostAnswer = {
      ...deps,
      coreBanking: Object.assign(Object.create(coreBanking) as SimulatedCoreBanking, {
        debit: async (request: Parameters<SimulatedCoreBanking['debit']>[0]) => {
          await coreBanking.debit(request);
          throw new Error('socket timeout');
        },
      }),
    };
    await expect(
      repayLoan(lostAnswer, {
        principal: enterprise,
        loanId: drawdown.loanId,
        idempotencyKey: 'lost',
        request: { amount: money('5000.00') },
      }),
    ).rejects.toBeInstanceOf(OutcomeUnknownError);
    const held = await deps.loans.getLoan(drawdown.loanId);
    expect(held?.pendingRepayments?.map((p) => p.amount.amount)).toEqual(['5000.00']);
    // The reservation holds: the rest of the payoff is all another repayment can take.
    await expect(repayment(drawdown.loanId, 'other', '35000.01')).rejects.toMatchObject({
      field: 'amount.amount',
    });

    const retried = await repayment(drawdown.loanId, 'lost', '5000.00');
    expect(retried.repayment.status).toBe('BOOKED');
    expect(await coreBanking.debits()).toHaveLength(1);
    await expectEveryDebitAccounted(drawdown.loanId);
  });

  it('refunds a debit the loan can no longer take, under a derived reference', async () => {
    const drawdown = await loanOf40k();
    await coreBanking.setBalance(USCC, Money.parse('8000.00'));
    const approver = { subject: 'approver-li', role: 'approver' as const, correlationId: 'req-write-off' };
    // The loan is written off between the debit and its booking.
    const interleaved = {
      ...deps,
      coreBanking: Object.assign(Object.create(coreBanking) as SimulatedCoreBanking, {
        debit: async (request: Parameters<SimulatedCoreBanking['debit']>[0]) => {
          const debit = await coreBanking.debit(request);
          await writeOffLoan(deps, approver, drawdown.loanId, 'fraud');
          return debit;
        },
      }),
    };
    const attempt = () =>
      repayLoan(interleaved, {
        principal: enterprise,
        loanId: drawdown.loanId,
        idempotencyKey: 'late',
        request: { amount: money('3000.00') },
      });
    await expect(attempt()).rejects.toThrow(/refunded under RF-/);
    const { records } = await expectEveryDebitAccounted(drawdown.loanId);
    expect(records[0]?.status).toBe('REFUNDED');
    expect((await coreBanking.balance(USCC))?.toString()).toBe('8000.00');
    // The retry answers the same, and refunds nothing twice.
    await expect(repayment(drawdown.loanId, 'late', '3000.00')).rejects.toThrow(/refunded/);
    expect(await coreBanking.refunds()).toHaveLength(1);
  });
});

describe('reconciliation after injected crashes', () => {
  function reconciler() {
    const disbursementQueue = new InMemoryQueue({ name: 'disbursements', clock });
    const webhookQueue = new InMemoryQueue({ name: 'webhooks', clock });
    const started: string[] = [];
    const full = {
      ...deps,
      outbox: new DynamoEventOutbox(table),
      disbursementQueue: { send: async (body: string) => void disbursementQueue.send(body) },
      webhookQueue: { send: async (body: string) => void webhookQueue.send(body) },
      workflow: {
        start: async (name: string) => void started.push(name),
        sendTaskSuccess: async () => true,
        sendTaskFailure: async () => true,
      },
    };
    return { run: () => reconcile(full), disbursementQueue, webhookQueue, full };
  }

  /** Core banking that books the debit and then loses the answer. */
  const losingAnswers = () => ({
    ...deps,
    coreBanking: Object.assign(Object.create(coreBanking) as SimulatedCoreBanking, {
      debit: async (request: Parameters<SimulatedCoreBanking['debit']>[0]) => {
        await coreBanking.debit(request);
        throw new Error('socket timeout');
      },
      refund: async () => {
        throw new Error('core banking is down');
      },
    }),
  });

  it('books a lost debit, releases an intent never debited, refunds what a written-off loan cannot take, and republishes a lost draw-down and unrelayed events', async () => {
    const { creditLineId, loanId: firstLoan } = await openLine();
    if (!creditLineId) throw new Error('no credit line');
    const drawn = await draw(creditLineId, '40000.00', 'd1');
    const { run, disbursementQueue } = reconciler();

    // 1. A repayment whose debit happened but whose answer was lost, and nobody retried.
    await expect(
      repayLoan(losingAnswers(), {
        principal: enterprise,
        loanId: drawn.loanId,
        idempotencyKey: 'lost-answer',
        request: { amount: money('4000.00') },
      }),
    ).rejects.toBeInstanceOf(OutcomeUnknownError);
    // 2. A repayment whose debit never reached core banking (the process died before it).
    const neverDebited = {
      ...deps,
      coreBanking: Object.assign(Object.create(coreBanking) as SimulatedCoreBanking, {
        debit: async () => {
          throw new Error('connection refused');
        },
      }),
    };
    await expect(
      repayLoan(neverDebited, {
        principal: enterprise,
        loanId: drawn.loanId,
        idempotencyKey: 'never-debited',
        request: { amount: money('1000.00') },
      }),
    ).rejects.toBeInstanceOf(OutcomeUnknownError);
    // 3. A debit on the first loan with no intent at all, then the loan is written off, so it
    //    cannot be booked; and a draw-down whose announcement was lost (never disbursed here).
    await coreBanking.debit({
      reference: 'RP-orphan',
      amount: money('2500.00'),
      accountUscc: USCC,
      loanId: firstLoan,
      memo: 'a debit whose request died before its intent was written',
    });
    const { drawdown: lost } = await requestDrawdown(deps, {
      principal: enterprise,
      creditLineId,
      idempotencyKey: 'lost-announcement',
      request: { amount: money('10000.00'), termMonths: 3, repaymentMethod: 'DAILY_REVOLVING' },
    });
    await writeOffLoan(
      deps,
      { subject: 'approver-li', role: 'approver', correlationId: 'req-1' },
      firstLoan,
      'fraud',
    );

    // Nothing younger than 15 minutes is touched: it may still be in its request's hands.
    const early = await run();
    expect(early.counts).toEqual({});
    clock.advance(16 * 60_000);
    const report = await run();
    expect(report.counts).toMatchObject({
      BOOKED: 1,
      RELEASED: 1,
      REFUNDED: 1,
      DRAWDOWN_REPUBLISHED: 1,
    });
    expect(report.amounts).toMatchObject({ BOOKED: '4000.00', RELEASED: '1000.00', REFUNDED: '2500.00' });
    expect(report.counts.EVENT_REPUBLISHED).toBeGreaterThan(0);
    expect(report.counts.UNRESOLVED ?? 0).toBe(0);
    expect(report.items.find((i) => i.action === 'REFUNDED')?.reference).toBe('RP-orphan');
    // The lost draw-down is queued again (by its REQUESTED record, and by its unrelayed
    // `drawdown.requested`, as is d1's: the worker pays each once whatever it receives).
    const orders = disbursementQueue.receive(10).map((m) => JSON.parse(m.body).drawdownId);
    expect(new Set(orders)).toEqual(new Set([lost.drawdownId, drawn.drawdownId]));

    // The ledger took the lost debit, the refund went back, nothing is left half done.
    expect(await ledgerOwed(drawn.loanId)).toBe('36000.00');
    expect((await deps.loans.getLoan(drawn.loanId))?.pendingRepayments).toBeUndefined();
    expect((await coreBanking.refunds()).map((r) => r.debitReference)).toEqual(['RP-orphan']);

    // A second run finds everything matched and repairs nothing.
    const again = await run();
    expect(again.counts).toEqual({ DRAWDOWN_REPUBLISHED: 1 });
    expect(again.matched).toBe(again.checked.movements);
  });

  it('finishes a refund core banking did not confirm', async () => {
    const { loanId } = await openLine();
    const interleaved = {
      ...losingAnswers(),
      coreBanking: Object.assign(Object.create(coreBanking) as SimulatedCoreBanking, {
        debit: async (request: Parameters<SimulatedCoreBanking['debit']>[0]) => {
          const debit = await coreBanking.debit(request);
          await writeOffLoan(
            deps,
            { subject: 'approver-li', role: 'approver', correlationId: 'req-2' },
            loanId,
            'fraud',
          );
          return debit;
        },
        refund: async () => {
          throw new Error('core banking is down');
        },
      }),
    };
    await expect(
      repayLoan(interleaved, {
        principal: enterprise,
        loanId,
        idempotencyKey: 'refund-unconfirmed',
        request: { amount: money('700.00') },
      }),
    ).rejects.toThrow(/being refunded/);
    expect(await coreBanking.refunds()).toHaveLength(0);
    clock.advance(16 * 60_000);
    const report = await reconciler().run();
    expect(report.counts.REFUND_COMPLETED).toBe(1);
    expect(await coreBanking.refunds()).toHaveLength(1);
  });
});
