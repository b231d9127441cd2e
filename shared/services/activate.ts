import { addMonths, businessDate } from '../domain/business-date.js';
import { ConflictError } from '../domain/errors.js';
import { type CreditLineRecord, type LoanRecord, scheduleJson } from '../domain/loan.js';
import { Money } from '../domain/money.js';
import { AnnualRate } from '../domain/rate.js';
import {
  disbursementEntry,
  MAX_DUE_DAY,
  type RepaymentMethod,
  repaymentSchedule,
} from '../domain/servicing/index.js';
import { required } from './assessment-input.js';
import { type Dependencies, newEvent } from './dependencies.js';
import type { DisbursementOutput } from './disburse.js';
import { loadApplication } from './load-application.js';

/** A revolving line is open for this long; each draw-down must mature within it. */
const CREDIT_LINE_TERM_MONTHS = 12;

/**
 * Activate stage: books what was disbursed (a credit line and its first draw-down, or a term
 * loan), moves the application to DISBURSED and writes `loan.disbursed`, in one transaction.
 * Ids derive from the application, so a retried stage cannot book twice.
 */
export async function activate(
  deps: Pick<Dependencies, 'applications' | 'loans' | 'clock'>,
  input: { applicationId: string; disbursement: DisbursementOutput },
): Promise<{ loanId: string; creditLineId?: string }> {
  const { applicationId, disbursement } = input;
  const app = await loadApplication(deps.applications, applicationId);
  if (app.status === 'DISBURSED' && app.loanId) return { loanId: app.loanId, creditLineId: app.creditLineId };
  const offer = required(app.offer, 'offer', applicationId);
  const now = deps.clock.now();
  const at = now.toISOString();
  const today = businessDate(new Date(disbursement.disbursedAt));
  const drawn = Money.fromJson(disbursement.amount);
  const limit = Money.fromJson(offer.limit);
  const { uscc, product } = app.applicant;
  const creditLine: CreditLineRecord | undefined =
    product === 'REVOLVING_LINE'
      ? {
          creditLineId: `CL-${applicationId}`,
          applicationId,
          uscc,
          status: 'ACTIVE',
          limit: limit.toJSON(),
          used: drawn.toJSON(),
          available: limit.subtract(drawn).toJSON(),
          annualRate: offer.annualRate,
          openedAt: at,
          expiresOn: addMonths(today, CREDIT_LINE_TERM_MONTHS),
        }
      : undefined;
  const loanId = `LN-${applicationId}`;
  // A term loan repays in equal instalments; a credit line's draw is repaid any time, with
  // interest by the day. Instalments fall due on the day of the month it was disbursed
  // (at most the 28th, so every month has it).
  const repaymentMethod: RepaymentMethod = product === 'TERM_LOAN' ? 'EQUAL_INSTALMENT' : 'DAILY_REVOLVING';
  const dueDay = Math.min(Number(today.slice(8, 10)), MAX_DUE_DAY);
  const schedule = repaymentSchedule({
    principal: drawn,
    annualRate: AnnualRate.parse(offer.annualRate),
    termMonths: offer.termMonths,
    disbursementDate: today,
    dueDay,
    method: repaymentMethod,
  });
  const maturityDate = schedule.rows.at(-1)?.dueDate ?? addMonths(today, offer.termMonths);
  const loan: LoanRecord = {
    loanId,
    applicationId,
    creditLineId: creditLine?.creditLineId,
    uscc,
    product,
    status: 'ACTIVE',
    principal: drawn.toJSON(),
    outstandingPrincipal: drawn.toJSON(),
    annualRate: offer.annualRate,
    termMonths: offer.termMonths,
    disbursedAt: disbursement.disbursedAt,
    maturityDate,
    transferId: disbursement.transferId,
    repaymentMethod,
    dueDay,
    schedule: scheduleJson(schedule),
  };
  const subject = { applicationId, loanId: loan.loanId, creditLineId: creditLine?.creditLineId, uscc };
  try {
    await deps.loans.activate({
      creditLine,
      loan,
      journal: [
        disbursementEntry({ loanId, businessDate: today, reference: disbursement.transferId }, drawn),
      ],
      application: {
        applicationId,
        from: 'DISBURSING',
        to: 'DISBURSED',
        set: { loanId: loan.loanId, creditLineId: creditLine?.creditLineId, disbursement },
        remove: ['pendingTask'],
        events: [
          newEvent('loan.disbursed', now, subject, {
            product,
            amount: drawn.toJSON(),
            annualRate: offer.annualRate,
            termMonths: offer.termMonths,
            maturityDate: loan.maturityDate,
            creditLimit: creditLine ? limit.toJSON() : undefined,
          }),
        ],
        at,
      },
    });
  } catch (error) {
    const current = await loadApplication(deps.applications, applicationId);
    if (error instanceof ConflictError && current.status === 'DISBURSED' && current.loanId) {
      return { loanId: current.loanId, creditLineId: current.creditLineId };
    }
    throw error;
  }
  return { loanId: loan.loanId, creditLineId: creditLine?.creditLineId };
}
