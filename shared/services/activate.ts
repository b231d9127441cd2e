import { addMonths, businessDate } from '../domain/business-date.js';
import { ConflictError } from '../domain/errors.js';
import type { CreditLineRecord } from '../domain/loan.js';
import { Money } from '../domain/money.js';
import { required } from './assessment-input.js';
import { auditAppend, systemActor, whileAuditHeadMoves } from './audit-trail.js';
import { type Dependencies, newEvent } from './dependencies.js';
import type { DisbursementOutput } from './disburse.js';
import { loadApplication } from './load-application.js';
import { defaultDueDay, openLoanRecord } from './loan-servicing.js';

/** A revolving line is open for this long; each draw-down must mature within it. */
const CREDIT_LINE_TERM_MONTHS = 12;

type Deps = Pick<Dependencies, 'applications' | 'loans' | 'clock' | 'audit'>;

/**
 * Activate stage: books what was disbursed (a credit line and its first draw-down, or a term
 * loan), moves the application to DISBURSED and writes `loan.disbursed`, in one transaction,
 * with the audit record of the line's opening and its limit (`credit-line.opened`, by
 * `system:activate` in this invocation). Ids derive from the application, so a retried stage
 * cannot book twice; when other audited changes moved the audit head first, it is tried again.
 */
export function activate(
  deps: Deps,
  input: { applicationId: string; disbursement: DisbursementOutput; invocationId: string },
): Promise<{ loanId: string; creditLineId?: string }> {
  return whileAuditHeadMoves(`activating application ${input.applicationId}`, () =>
    activateOnce(deps, input),
  );
}

async function activateOnce(
  deps: Deps,
  input: { applicationId: string; disbursement: DisbursementOutput; invocationId: string },
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
  // A term loan repays in equal instalments; a credit line's draw is repaid any time, with
  // interest by the day.
  const { loan, journal } = openLoanRecord({
    loanId: `LN-${applicationId}`,
    applicationId,
    creditLineId: creditLine?.creditLineId,
    uscc,
    product,
    amount: drawn,
    annualRate: offer.annualRate,
    termMonths: offer.termMonths,
    repaymentMethod: product === 'TERM_LOAN' ? 'EQUAL_INSTALMENT' : 'DAILY_REVOLVING',
    dueDay: defaultDueDay(today),
    transferId: disbursement.transferId,
    disbursedAt: disbursement.disbursedAt,
  });
  const subject = { applicationId, loanId: loan.loanId, creditLineId: creditLine?.creditLineId, uscc };
  try {
    await deps.loans.activate({
      creditLine,
      loan,
      journal,
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
      ...(creditLine
        ? {
            audit: await auditAppend(deps, systemActor('activate', input.invocationId), at, [
              {
                action: 'credit-line.opened',
                entityType: 'CREDIT_LINE',
                entityId: creditLine.creditLineId,
                before: null,
                after: {
                  status: creditLine.status,
                  uscc,
                  limit: limit.toString(),
                  annualRate: creditLine.annualRate,
                  expiresOn: creditLine.expiresOn,
                },
              },
            ]),
          }
        : {}),
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
