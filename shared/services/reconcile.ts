import * as z from 'zod';
import { Money, type MoneyJson } from '../domain/money.js';
import type { PendingRepayment } from '../domain/servicing/index.js';
import type { Movement } from '../ports/core-banking.js';
import { finishRefund, releaseRepayment, settleRepayment } from './collect-repayment.js';
import type { Dependencies } from './dependencies.js';
import { forEachOpenLoan } from './loan-servicing.js';
import { relayEvents } from './relay-events.js';

/**
 * Anything younger than this may still be in the hands of the request or worker that started
 * it (an API call waits at most 10 s, a queue redelivers within minutes), so reconciliation
 * leaves it alone until the next run.
 */
export const SETTLE_AFTER_MS = 15 * 60 * 1000;
/** How far back the core-banking statement is matched by default: two days covers a missed night. */
export const STATEMENT_LOOKBACK_MS = 2 * 24 * 3600 * 1000;
/** The longest statement window one run matches (an on-demand run may ask for an older one). */
export const MAX_WINDOW_DAYS = 31;

/** An on-demand run's statement window: ISO instants, `to` exclusive. */
export const ReconciliationWindowSchema = z
  .strictObject({ from: z.iso.datetime(), to: z.iso.datetime() })
  .refine(
    ({ from, to }) =>
      Date.parse(to) > Date.parse(from) && Date.parse(to) - Date.parse(from) <= MAX_WINDOW_DAYS * 86_400_000,
    { message: `to must be after from, at most ${MAX_WINDOW_DAYS} days later`, path: ['to'] },
  );

export type ReconciliationAction =
  /** A debit whose booking never happened was booked on its loan. */
  | 'BOOKED'
  /** A debit the loan could no longer take was refunded. */
  | 'REFUNDED'
  /** A refund recorded but never confirmed was made (or confirmed). */
  | 'REFUND_COMPLETED'
  /** An intent whose debit core banking never booked was released. */
  | 'RELEASED'
  /** A draw-down still REQUESTED was put on the disbursement queue again. */
  | 'DRAWDOWN_REPUBLISHED'
  /** An event the relay never marked was relayed again. */
  | 'EVENT_REPUBLISHED'
  /** Something a person must look at (named in `detail`). */
  | 'UNRESOLVED';

export interface ReconciliationItem {
  action: ReconciliationAction;
  reference: string;
  amount?: MoneyJson;
  loanId?: string;
  detail: string;
}

export interface ReconciliationReport {
  ranAt: string;
  /** The statement window matched: [from, to). */
  window: { from: string; to: string };
  checked: {
    movements: number;
    pendingRepayments: number;
    requestedDrawdowns: number;
    unrelayedEvents: number;
  };
  /** Movements that matched their booking as they were. */
  matched: number;
  counts: Partial<Record<ReconciliationAction, number>>;
  /** Sum of the amounts per action (money actions only). */
  amounts: Partial<Record<ReconciliationAction, string>>;
  items: ReconciliationItem[];
}

type Deps = Pick<
  Dependencies,
  | 'loans'
  | 'coreBanking'
  | 'clock'
  | 'disbursementQueue'
  | 'outbox'
  | 'applications'
  | 'webhookQueue'
  | 'workflow'
>;

/**
 * Matches what core banking moved against what the ledger booked and repairs every gap a
 * crash, a lost answer or a lost message left (on demand, and nightly):
 * 1. every repayment intent older than SETTLE_AFTER_MS: core banking is asked for its reference;
 *    a debit is booked (or refunded), no debit releases the intent;
 * 2. every debit, refund and transfer of the statement window: a debit without its repayment
 *    record is booked or refunded, a REFUNDING record is refunded, a transfer without its loan
 *    is reported (a draw-down's is repaired by step 3; a first disbursement needs a person);
 * 3. every draw-down still REQUESTED after SETTLE_AFTER_MS goes on the disbursement queue again;
 * 4. every event still unrelayed after SETTLE_AFTER_MS is relayed again (the outbox sweep).
 * Each repair is one of the idempotent steps the normal path runs, so a run racing the normal
 * path, or a second run, changes nothing twice.
 */
export async function reconcile(
  deps: Deps,
  options: { window?: { from: string; to: string } } = {},
): Promise<ReconciliationReport> {
  const now = deps.clock.now();
  const settled = new Date(now.getTime() - SETTLE_AFTER_MS).toISOString();
  const window = options.window ?? {
    from: new Date(now.getTime() - STATEMENT_LOOKBACK_MS).toISOString(),
    to: settled,
  };
  const report: ReconciliationReport = {
    ranAt: now.toISOString(),
    window,
    checked: { movements: 0, pendingRepayments: 0, requestedDrawdowns: 0, unrelayedEvents: 0 },
    matched: 0,
    counts: {},
    amounts: {},
    items: [],
  };
  const record = (item: ReconciliationItem) => {
    report.items.push(item);
    report.counts[item.action] = (report.counts[item.action] ?? 0) + 1;
    if (item.amount)
      report.amounts[item.action] = Money.parse(report.amounts[item.action] ?? '0.00')
        .add(Money.fromJson(item.amount))
        .toString();
  };

  // 1. Intents left on loans.
  await forEachOpenLoan(deps, async (loan) => {
    for (const pending of loan.pendingRepayments ?? []) {
      if (pending.reservedAt >= settled) continue;
      report.checked.pendingRepayments++;
      const movement = await deps.coreBanking.status(pending.repaymentId);
      if (movement?.kind === 'DEBIT') await settle(deps, loan.loanId, pending, movement, record);
      else {
        await releaseRepayment(deps, loan.loanId, pending.repaymentId);
        record({
          action: 'RELEASED',
          reference: pending.repaymentId,
          amount: pending.amount,
          loanId: loan.loanId,
          detail: 'core banking has no debit under this reference; the reserved amount is free again',
        });
      }
    }
  });

  // 2. The statement.
  let cursor: string | undefined;
  do {
    const page = await deps.coreBanking.movements(window, cursor);
    for (const movement of page.movements) {
      report.checked.movements++;
      if (await matchMovement(deps, movement, record)) report.matched++;
    }
    cursor = page.cursor;
  } while (cursor);

  // 3. Draw-downs whose order to pay was lost.
  cursor = undefined;
  do {
    const page = await deps.loans.requestedDrawdowns(settled, cursor);
    for (const drawdown of page.drawdowns) {
      report.checked.requestedDrawdowns++;
      await deps.disbursementQueue.send(
        JSON.stringify({
          kind: 'DRAWDOWN',
          creditLineId: drawdown.creditLineId,
          drawdownId: drawdown.drawdownId,
        }),
      );
      record({
        action: 'DRAWDOWN_REPUBLISHED',
        reference: `DSB-${drawdown.drawdownId}`,
        amount: drawdown.amount,
        loanId: drawdown.loanId,
        detail: `draw-down ${drawdown.drawdownId} was still REQUESTED since ${drawdown.requestedAt}`,
      });
    }
    cursor = page.cursor;
  } while (cursor);

  // 4. The outbox.
  for (let shard = 0; shard < deps.outbox.shards; shard++) {
    cursor = undefined;
    do {
      const page = await deps.outbox.unrelayed(shard, settled, cursor);
      if (page.events.length > 0) {
        report.checked.unrelayedEvents += page.events.length;
        await relayEvents(
          deps,
          page.events.map((event) => ({ ...event, entity: 'EVENT' })),
        );
        for (const event of page.events)
          record({
            action: 'EVENT_REPUBLISHED',
            reference: event.eventId,
            loanId: event.loanId,
            detail: `${event.type} of ${event.occurredAt} had not been relayed`,
          });
      }
      cursor = page.cursor;
    } while (cursor);
  }
  return report;
}

type Recorder = (item: ReconciliationItem) => void;

async function settle(
  deps: Deps,
  loanId: string,
  pending: PendingRepayment,
  debit: Movement,
  record: Recorder,
): Promise<void> {
  const { repayment, alreadySettled } = await settleRepayment(deps, loanId, pending, debit.id);
  if (alreadySettled && repayment.status !== 'REFUNDING') return;
  const refunded = repayment.status === 'REFUNDED' || repayment.status === 'REFUNDING';
  record({
    action: refunded ? 'REFUNDED' : 'BOOKED',
    reference: pending.repaymentId,
    amount: pending.amount,
    loanId,
    detail: refunded
      ? `debited but not bookable (${repayment.refund?.reason}); refund ${repayment.refund?.reference} ${repayment.status === 'REFUNDED' ? 'made' : 'still to confirm'}`
      : `debited on ${debit.bookedAt} but never booked; booked on ${repayment.businessDate}`,
  });
}

/** True when the movement matched its booking as it was; otherwise repairs or reports it. */
async function matchMovement(deps: Deps, movement: Movement, record: Recorder): Promise<boolean> {
  if (movement.kind === 'DEBIT') {
    const loanId = movement.loanId;
    const loan = loanId ? await deps.loans.getLoan(loanId) : undefined;
    if (!loanId || !loan) {
      record({
        action: 'UNRESOLVED',
        reference: movement.reference,
        amount: movement.amount,
        detail: `debit for ${loanId ? `unknown loan ${loanId}` : 'no loan'}: refund it by hand after checking with the enterprise`,
      });
      return false;
    }
    const repayment = await deps.loans.getRepayment(loanId, movement.reference);
    if (repayment?.status === 'REFUNDING') {
      const done = await finishRefund(deps, repayment);
      record({
        action: done.status === 'REFUNDED' ? 'REFUND_COMPLETED' : 'UNRESOLVED',
        reference: movement.reference,
        amount: movement.amount,
        loanId,
        detail:
          done.status === 'REFUNDED'
            ? `refunded under ${done.refund?.reference}`
            : 'the refund is still not confirmed',
      });
      return false;
    }
    if (repayment) return true;
    // Still being collected (step 1 handles old intents): nothing to do yet.
    if (loan.pendingRepayments?.some((p) => p.repaymentId === movement.reference)) return true;
    const pending: PendingRepayment = {
      repaymentId: movement.reference,
      channel: movement.reference.startsWith('AD-') ? 'AUTO_DEBIT' : 'API',
      amount: movement.amount,
      reamortisation: 'LOWER_INSTALMENT',
      businessDate: movement.bookedAt.slice(0, 10),
      reservedAt: movement.bookedAt,
    };
    await settle(deps, loanId, pending, movement, record);
    return false;
  }
  if (movement.kind === 'REFUND') {
    const debit = movement.debitReference
      ? await deps.coreBanking.status(movement.debitReference)
      : undefined;
    const repayment =
      debit?.loanId && movement.debitReference
        ? await deps.loans.getRepayment(debit.loanId, movement.debitReference)
        : undefined;
    if (repayment?.status === 'REFUNDED') return true;
    if (repayment?.status === 'REFUNDING') {
      await finishRefund(deps, repayment);
      record({
        action: 'REFUND_COMPLETED',
        reference: movement.reference,
        amount: movement.amount,
        loanId: repayment.loanId,
        detail: `refund of ${repayment.repaymentId} confirmed`,
      });
      return false;
    }
    record({
      action: 'UNRESOLVED',
      reference: movement.reference,
      amount: movement.amount,
      detail: `refund with no REFUNDING repayment behind it (${movement.debitReference ?? 'no debit'})`,
    });
    return false;
  }
  // A transfer: DSB-<drawdownId> pays a draw-down's loan LN-<drawdownId>; DSB-<applicationId> a first disbursement.
  const subject = movement.reference.replace(/^DSB-/, '');
  if (subject.startsWith('DD-')) {
    if (await deps.loans.getLoan(`LN-${subject}`)) return true;
    // Still REQUESTED: step 3 republishes it and the worker books the loan under the same transfer.
    record({
      action: 'UNRESOLVED',
      reference: movement.reference,
      amount: movement.amount,
      loanId: `LN-${subject}`,
      detail: 'transferred but its loan is not booked yet; the draw-down is republished to its worker',
    });
    return false;
  }
  const application = await deps.applications.get(subject);
  if (application?.status === 'DISBURSED') return true;
  record({
    action: 'UNRESOLVED',
    reference: movement.reference,
    amount: movement.amount,
    detail: `transferred but application ${subject} is ${application?.status ?? 'unknown'}: book or recover it by hand (docs/operations.md)`,
  });
  return false;
}
