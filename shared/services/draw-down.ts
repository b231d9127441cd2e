import * as z from 'zod';
import { addMonths, businessDate } from '../domain/business-date.js';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import type { DrawdownRecord } from '../domain/loan.js';
import { Money } from '../domain/money.js';
import { MAX_DUE_DAY, type RepaymentMethod } from '../domain/servicing/index.js';
import { CreditLineUnavailableError, IdempotencyRecordExistsError } from '../ports/stores.js';
import { type Dependencies, newEvent } from './dependencies.js';
import { idempotencyClaim, idempotentId, replayOf, requestDigest } from './idempotency.js';
import { defaultDueDay, openLoanRecord } from './loan-servicing.js';
import type { Principal } from './principal.js';
import { assertVisible } from './read-models.js';

export interface DrawdownRequest {
  amount: { amount: string; currency: 'CNY' };
  termMonths: number;
  repaymentMethod: RepaymentMethod;
  /** Day of the month instalments fall due; defaults to the day of the draw (at most the 28th). */
  dueDay?: number;
}

const SCOPE = 'drawdowns';

/**
 * Draws on a credit line (enterprise; Idempotency-Key).
 * 1. The line must be the caller's, active and not expired; the draw must mature on or before
 *    the line's expiry date.
 * 2. In one transaction: the amount is reserved on the line by a conditional update (used +
 *    amount ≤ limit, so concurrent draws can never together exceed the limit), the draw-down
 *    is recorded REQUESTED with the loan id it will become, `drawdown.requested` is written,
 *    and so is the idempotency record.
 * 3. The event relay puts the draw-down on the disbursement queue, the same exactly-once path
 *    as the first disbursement; the worker pays it out and books the loan.
 */
export async function requestDrawdown(
  deps: Pick<Dependencies, 'loans' | 'applications' | 'clock'>,
  input: { principal: Principal; creditLineId: string; idempotencyKey: string; request: DrawdownRequest },
): Promise<{ drawdown: DrawdownRecord; replayed: boolean }> {
  const { principal, creditLineId, idempotencyKey, request } = input;
  const line = await deps.loans.getCreditLine(creditLineId);
  if (!line) throw new NotFoundError(`credit line ${creditLineId} not found`);
  assertVisible(principal, line.uscc, `credit line ${creditLineId}`);
  const digest = requestDigest({ creditLineId, ...request });
  const replay = await replayed(deps, principal.subject, idempotencyKey, digest);
  if (replay) return { drawdown: replay, replayed: true };

  const now = deps.clock.now();
  const today = businessDate(now);
  const amount = Money.fromJson(request.amount, 'amount.amount');
  if (amount.minor <= 0n) throw new ValidationError('amount must be more than zero', 'amount.amount');
  if (line.status !== 'ACTIVE' || line.expiresOn < today)
    throw new ConflictError(
      `credit line ${creditLineId} is ${line.expiresOn < today ? `expired since ${line.expiresOn}` : line.status}; it cannot be drawn`,
    );
  const dueDay = request.dueDay ?? defaultDueDay(today);
  if (dueDay > MAX_DUE_DAY) throw new ValidationError(`dueDay must be 1 to ${MAX_DUE_DAY}`, 'dueDay');
  const drawdownId = idempotentId('DD', SCOPE, principal.subject, idempotencyKey);
  const drawdown: DrawdownRecord = {
    drawdownId,
    creditLineId,
    uscc: line.uscc,
    status: 'REQUESTED',
    amount: amount.toJSON(),
    termMonths: request.termMonths,
    repaymentMethod: request.repaymentMethod,
    dueDay,
    requestedAt: now.toISOString(),
    requestedBy: principal.subject,
    loanId: `LN-${drawdownId}`,
  };
  // The schedule the worker will book, computed now so a term past the line's expiry (or any
  // other impossible term) is refused before anything is reserved.
  const { loan } = openLoanRecord({
    loanId: drawdown.loanId,
    applicationId: line.applicationId,
    creditLineId,
    drawdownId,
    uscc: line.uscc,
    product: 'REVOLVING_LINE',
    amount,
    annualRate: line.annualRate,
    termMonths: request.termMonths,
    repaymentMethod: request.repaymentMethod,
    dueDay,
    transferId: 'pending',
    disbursedAt: drawdown.requestedAt,
  });
  if (loan.maturityDate > line.expiresOn)
    throw new ValidationError(
      `termMonths ${request.termMonths} would mature on ${loan.maturityDate}, after the credit line expires on ${line.expiresOn}; the latest is ${latestTerm(today, line.expiresOn)} months`,
      'termMonths',
    );
  try {
    await deps.loans.requestDrawdown({
      drawdown,
      today,
      event: newEvent(
        'drawdown.requested',
        now,
        { loanId: drawdown.loanId, creditLineId, uscc: line.uscc },
        {
          drawdownId,
          amount: drawdown.amount,
        },
      ),
      idempotency: idempotencyClaim(
        SCOPE,
        principal.subject,
        idempotencyKey,
        { requestDigest: digest, statusCode: 202, response: { ...drawdown }, resourceId: drawdownId },
        now,
      ),
    });
  } catch (error) {
    if (error instanceof CreditLineUnavailableError)
      throw new ValidationError(error.message, 'amount.amount');
    if (error instanceof IdempotencyRecordExistsError) {
      const winner = await replayed(deps, principal.subject, idempotencyKey, digest);
      if (winner) return { drawdown: winner, replayed: true };
      throw new ConflictError(
        'a request with this Idempotency-Key is still being processed; retry in a moment',
      );
    }
    throw error;
  }
  return { drawdown, replayed: false };
}

async function replayed(
  deps: Pick<Dependencies, 'applications' | 'loans'>,
  subject: string,
  key: string,
  digest: string,
): Promise<DrawdownRecord | undefined> {
  const existing = replayOf(
    await deps.applications.findIdempotency(SCOPE, subject, key),
    digest,
    'draw-down',
  );
  if (!existing) return undefined;
  const first = existing.response as unknown as DrawdownRecord;
  // Answer with the draw-down as it stands now (it may have been disbursed since).
  return (await deps.loans.getDrawdown(first.creditLineId, first.drawdownId)) ?? first;
}

function latestTerm(today: string, expiresOn: string): number {
  let months = 0;
  while (addMonths(today, months + 1) <= expiresOn) months++;
  return months;
}

export async function getDrawdown(
  deps: Pick<Dependencies, 'loans'>,
  principal: Principal,
  creditLineId: string,
  drawdownId: string,
): Promise<DrawdownRecord> {
  const drawdown = await deps.loans.getDrawdown(creditLineId, drawdownId);
  if (!drawdown) throw new NotFoundError(`draw-down ${drawdownId} not found`);
  assertVisible(principal, drawdown.uscc, `draw-down ${drawdownId}`);
  return drawdown;
}

/** What the relay puts on the disbursement queue for a requested draw-down. */
export const DrawdownMessage = z.strictObject({
  kind: z.literal('DRAWDOWN'),
  creditLineId: z.string().min(1),
  drawdownId: z.string().min(1),
});

/**
 * The disbursement worker's use case for a draw-down (at-least-once delivery). The core
 * system books at most one transfer per reference, and the loan is booked only while the
 * draw-down is still REQUESTED, so a redelivered message neither pays nor books twice.
 */
export async function disburseDrawdown(
  deps: Pick<Dependencies, 'loans' | 'coreBanking' | 'clock'>,
  input: { creditLineId: string; drawdownId: string },
): Promise<{ loanId: string; booked: boolean }> {
  const drawdown = await deps.loans.getDrawdown(input.creditLineId, input.drawdownId);
  if (!drawdown) throw new NotFoundError(`draw-down ${input.drawdownId} not found`);
  if (drawdown.status === 'DISBURSED') return { loanId: drawdown.loanId, booked: false };
  const line = await deps.loans.getCreditLine(drawdown.creditLineId);
  if (!line) throw new NotFoundError(`credit line ${drawdown.creditLineId} not found`);
  const transfer = await deps.coreBanking.transfer({
    reference: `DSB-${drawdown.drawdownId}`,
    amount: drawdown.amount,
    beneficiaryUscc: drawdown.uscc,
    memo: `Fast-loan draw-down ${drawdown.drawdownId} on ${drawdown.creditLineId}`,
  });
  const { loan, journal } = openLoanRecord({
    loanId: drawdown.loanId,
    applicationId: line.applicationId,
    creditLineId: line.creditLineId,
    drawdownId: drawdown.drawdownId,
    uscc: drawdown.uscc,
    product: 'REVOLVING_LINE',
    amount: Money.fromJson(drawdown.amount),
    annualRate: line.annualRate,
    termMonths: drawdown.termMonths,
    repaymentMethod: drawdown.repaymentMethod,
    dueDay: drawdown.dueDay,
    transferId: transfer.transferId,
    disbursedAt: transfer.bookedAt,
  });
  const now = deps.clock.now();
  const booked = await deps.loans.bookDrawdown({
    drawdown: {
      ...drawdown,
      status: 'DISBURSED',
      transferId: transfer.transferId,
      disbursedAt: transfer.bookedAt,
    },
    loan,
    journal,
    events: [
      newEvent(
        'drawdown.disbursed',
        now,
        { loanId: loan.loanId, creditLineId: line.creditLineId, uscc: loan.uscc },
        {
          drawdownId: drawdown.drawdownId,
          amount: drawdown.amount,
          termMonths: loan.termMonths,
          repaymentMethod: loan.repaymentMethod,
          maturityDate: loan.maturityDate,
          annualRate: loan.annualRate,
        },
      ),
    ],
  });
  return { loanId: loan.loanId, booked };
}
