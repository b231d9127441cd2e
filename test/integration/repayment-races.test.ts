import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoEventOutbox } from '../../shared/adapters/dynamodb/event-items.js';
import { keys, type TableContext } from '../../shared/adapters/dynamodb/table.js';
import type { ControllableClock } from '../../shared/adapters/local/controllable-clock.js';
import type { SimulatedCoreBanking } from '../../shared/adapters/simulated/core-banking.js';
import { IdempotencyKeyReusedError, OutcomeUnknownError } from '../../shared/domain/errors.js';
import { journalFromJson } from '../../shared/domain/loan.js';
import { Money } from '../../shared/domain/money.js';
import { owedPerLedger } from '../../shared/domain/servicing/index.js';
import { balances } from '../../shared/domain/servicing/ledger.js';
import { accrueInterest } from '../../shared/services/accrue-interest.js';
import { disburseDrawdown, requestDrawdown } from '../../shared/services/draw-down.js';
import type { Principal } from '../../shared/services/principal.js';
import { reconcile } from '../../shared/services/reconcile.js';
import { autoDebit, quotePayoff, repayLoan } from '../../shared/services/repay-loan.js';
import { writeOffLoan } from '../../shared/services/write-off.js';
import { money, type ServicingDeps, servicingWorld } from './servicing-fixture.js';

/**
 * Races the fault-injecting simulator (test/support/simulator) found, each replayed here
 * deterministically: one Idempotency-Key sent for two repayments (the key must bind to its first
 * request before any money moves, and a debit must never be booked on a loan it was not taken
 * for), and an auto-debit whose room another repayment took while it ran.
 */

const USCC = '91350102MA31K7Q230';
const enterprise: Principal = { subject: 'enterprise-test', role: 'enterprise', uscc: USCC };
const approver = { subject: 'approver-li', role: 'approver' as const, correlationId: 'req-write-off' };
let table: TableContext;
let clock: ControllableClock;
let coreBanking: SimulatedCoreBanking;
let deps: ServicingDeps;
let openLine: Awaited<ReturnType<typeof servicingWorld>>['openLine'];

beforeEach(async () => {
  ({ table, clock, coreBanking, deps, openLine } = await servicingWorld());
});

/** A credit line's first loan (50,000.00) and a draw-down of 40,000.00 on it. */
async function twoLoans() {
  const { loanId, creditLineId } = await openLine();
  if (!creditLineId) throw new Error('no credit line');
  const { drawdown } = await requestDrawdown(deps, {
    principal: enterprise,
    creditLineId,
    idempotencyKey: 'draw',
    request: { amount: money('40000.00'), termMonths: 6, repaymentMethod: 'EQUAL_INSTALMENT' },
  });
  await disburseDrawdown(deps, drawdown);
  return { first: loanId, second: drawdown.loanId };
}

const repay = (d: typeof deps, loanId: string, key: string, amount: string) =>
  repayLoan(d, { principal: enterprise, loanId, idempotencyKey: key, request: { amount: money(amount) } });

async function ledgerOwed(loanId: string) {
  return owedPerLedger(balances((await deps.loans.journal(loanId)).map(journalFromJson))).toString();
}

function reconciler() {
  return reconcile({
    ...deps,
    outbox: new DynamoEventOutbox(table),
    disbursementQueue: { send: async () => {} },
    webhookQueue: { send: async () => {} },
    workflow: { start: async () => {}, sendTaskSuccess: async () => true, sendTaskFailure: async () => true },
  });
}

describe('one Idempotency-Key for two repayments of one loan', () => {
  it('answers a retry of an amount written without its trailing zeros as a replay', async () => {
    const { second } = await twoLoans();
    const first = await repay(deps, second, 'k', '1440');
    expect(first.repayment.amount.amount).toBe('1440.00');
    const again = await repay(deps, second, 'k', '1440');
    expect(again).toMatchObject({ replayed: true, repayment: { repaymentId: first.repayment.repaymentId } });
    await expect(repay(deps, second, 'k', '1440.01')).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(await coreBanking.debits()).toHaveLength(1);
  });

  it('refuses a request whose key was booked by another body after it read the key', async () => {
    const { second } = await twoLoans();
    // The request for 1,000.00 reads the key (no record yet); the one for 2,000.00 then books.
    let raced = false;
    const racing = {
      ...deps,
      applications: Object.assign(Object.create(deps.applications) as typeof deps.applications, {
        findIdempotency: async (...args: Parameters<typeof deps.applications.findIdempotency>) => {
          const found = await deps.applications.findIdempotency(...args);
          if (!raced) {
            raced = true;
            await repay(deps, second, 'k', '2000.00');
          }
          return found;
        },
      }),
    };
    await expect(repay(racing, second, 'k', '1000.00')).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(raced).toBe(true);
    expect(await ledgerOwed(second)).toBe('38000.00');
  });
});

describe('one Idempotency-Key for repayments of two loans', () => {
  it('refuses the second loan once the first was refunded, instead of booking the refunded debit on it', async () => {
    const { first, second } = await twoLoans();
    // The first loan is written off between its debit and the booking: the debit is refunded.
    const interleaved = {
      ...deps,
      coreBanking: Object.assign(Object.create(coreBanking) as SimulatedCoreBanking, {
        debit: async (request: Parameters<SimulatedCoreBanking['debit']>[0]) => {
          const debit = await coreBanking.debit(request);
          await writeOffLoan(deps, approver, first, 'fraud');
          return debit;
        },
      }),
    };
    await expect(repay(interleaved, first, 'k', '3000.00')).rejects.toThrow(/refunded under RF-/);
    await expect(repay(deps, second, 'k', '3000.00')).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(await ledgerOwed(second)).toBe('40000.00');
    expect(await coreBanking.debits()).toHaveLength(1);
  });

  it('refuses the second of two concurrent requests before it debits, and leaves nothing to reconcile', async () => {
    const { first, second } = await twoLoans();
    const results = await Promise.allSettled([
      repay(deps, first, 'k', '1000.00'),
      repay(deps, second, 'k', '2000.00'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results)
      if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(IdempotencyKeyReusedError);
    expect(await coreBanking.debits()).toHaveLength(1);
    for (const loanId of [first, second])
      expect((await deps.loans.getLoan(loanId))?.pendingRepayments ?? []).toEqual([]);
    clock.advance(16 * 60_000);
    const { counts } = await reconciler();
    expect([counts.BOOKED, counts.REFUNDED, counts.RELEASED, counts.UNRESOLVED]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('never books another loan’s debit, even once the key’s idempotency record has expired', async () => {
    const { first, second } = await twoLoans();
    await repay(deps, first, 'k', '3000.00');
    // DynamoDB's TTL removes the record after a day; core banking keeps its references for ever.
    await table.client.send(
      new DeleteCommand({
        TableName: table.tableName,
        Key: keys.idempotency('repayments', enterprise.subject, 'k'),
      }),
    );
    clock.advanceDays(2);
    const again = await repay(deps, second, 'k', '3000.00');
    expect(again.replayed).toBe(false);
    const debits = await coreBanking.debits();
    expect(debits).toHaveLength(2);
    expect(new Set(debits.map((d) => (d as { loanId?: string }).loanId))).toEqual(new Set([first, second]));
  });
});

describe('the auto-debit racing a repayment', () => {
  it('collects what is left when a repayment reserves most of the payoff while it runs', async () => {
    const { second } = await twoLoans();
    // The draw-down's first instalment falls due on 2026-12-20; the nightly job runs at 01:30.
    clock.set(new Date('2026-12-19T17:30:00.000Z'));
    await accrueInterest(deps);
    const payoff = Money.parse((await quotePayoff(deps, enterprise, second)).amount.amount);
    const lostAnswer = {
      ...deps,
      coreBanking: Object.assign(Object.create(coreBanking) as SimulatedCoreBanking, {
        debit: async (request: Parameters<SimulatedCoreBanking['debit']>[0]) => {
          await coreBanking.debit(request);
          throw new Error('socket timeout');
        },
      }),
    };
    // Between the job's read of the loan and its reservation, a repayment of all but 1.00 of the
    // payoff reserves and loses its debit's answer, so its intent stays on the loan.
    let raced = false;
    const racing = {
      ...deps,
      loans: Object.assign(Object.create(deps.loans) as typeof deps.loans, {
        getRepayment: async (loanId: string, repaymentId: string) => {
          if (!raced && repaymentId.startsWith('AD-')) {
            raced = true;
            await expect(
              repay(lostAnswer, second, 'most', payoff.subtract(Money.parse('1.00')).toString()),
            ).rejects.toBeInstanceOf(OutcomeUnknownError);
          }
          return deps.loans.getRepayment(loanId, repaymentId);
        },
      }),
    };
    const loan = await deps.loans.getLoan(second);
    if (!loan) throw new Error('no loan');
    const { outcome } = await autoDebit(racing, loan, '2026-12-20');
    expect(raced).toBe(true);
    expect(outcome).toBe('COLLECTED');
    expect(
      (await coreBanking.debits(`AD-${second}`)).map((d) => d.status === 'BOOKED' && d.amount.amount),
    ).toEqual(['1.00']);
  });
});
