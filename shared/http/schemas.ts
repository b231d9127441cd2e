import * as z from 'zod';
import { isValidUscc } from '../domain/identifiers.js';
import { PAYOFF_HORIZON_DAYS, REAMORTISATIONS, REPAYMENT_METHODS } from '../domain/servicing/index.js';

/**
 * The API's request and response shapes. Handlers parse with them, and the OpenAPI document
 * is generated from them, so the document cannot drift from what the code accepts. Here: the
 * shared pieces (money, codes, ids, paging, problems) and servicing; applications, reviews,
 * the blacklist, partner data and monitoring in application-schemas.ts, the audit trail in
 * audit-schemas.ts. Separate modules, so a handler bundles only its own area's shapes.
 */

export const MONEY_PATTERN = /^\d{1,13}(\.\d{1,2})?$/;
export const checkDigits = (check: (value: string) => unknown) => (value: string) => {
  try {
    check(value);
    return true;
  } catch {
    return false;
  }
};

// Strict, as every object a request carries: an unknown key (a typo, or a "__proto__") is a 400, never dropped.
export const MoneySchema = /* @__PURE__ */ z
  .strictObject({
    amount: z
      .string()
      .regex(
        /^\d{1,13}(\.\d{1,2})?$/,
        'must be a positive decimal string with at most 2 decimals, e.g. "500000.00"',
      )
      .meta({ example: '500000.00' }),
    currency: z.literal('CNY'),
  })
  .meta({ id: 'Money', description: "An exact amount: a decimal string in the currency's major unit." });

export const UsccSchema = /* @__PURE__ */ z
  .string()
  .length(18, 'must be 18 characters')
  .refine(isValidUscc, 'is not a valid Unified Social Credit Code (GB 32100-2015 check digit or characters)')
  .meta({
    description: 'Unified Social Credit Code (统一社会信用代码), GB 32100-2015.',
    example: '91350100M000100Y43',
  });

export const ApplicationIdParams = /* @__PURE__ */ z.strictObject({
  id: z.uuid('must be an application id (UUID)'),
});
export const ReviewParams = /* @__PURE__ */ z.strictObject({
  applicationId: z.uuid('must be an application id (UUID)'),
});
/**
 * The ids of lines, loans and draw-downs (`CL-…`, `LN-…`, `DD-…`) are unreserved URL characters
 * only. API Gateway's REST API passes a path parameter on as sent, still percent-encoded, so a
 * `%` is refused here rather than decoded (a second decoding would give one id two spellings).
 */
export const ResourceId = /* @__PURE__ */ z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,80}$/, 'must be an id: 1 to 80 letters, digits, _ or -');
export const ResourceIdParams = /* @__PURE__ */ z.strictObject({ id: ResourceId });

/**
 * A query parameter holding a whole number: plain decimal digits only, so "0x10", "1e1", "+5"
 * or " 5" are refused instead of read by Number() as something the caller may not have meant.
 */
export function decimalQueryInteger({ min, max }: { min: number; max: number }) {
  return z
    .string()
    .regex(/^\d{1,9}$/, `must be a whole number in decimal digits, from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.int().min(min).max(max))
    .meta({ 'x-minimum': min, 'x-maximum': max });
}

/** The most entries one page of a list may ask for with `limit`. */
export const MAX_LIST_LIMIT = 100;

export const CreditLineSchema = /* @__PURE__ */ z
  .object({
    creditLineId: z.string(),
    applicationId: z.uuid(),
    uscc: z.string(),
    status: z.enum(['ACTIVE', 'FROZEN', 'EXPIRED', 'CLOSED']),
    limit: MoneySchema,
    used: MoneySchema,
    available: MoneySchema,
    annualRate: z.string(),
    openedAt: z.iso.datetime(),
    expiresOn: z.iso.date(),
  })
  .meta({ id: 'CreditLine' });

const LOAN_STATUSES = ['ACTIVE', 'OVERDUE', 'SETTLED', 'WRITTEN_OFF'] as const;
const Decimal = /* @__PURE__ */ z
  .string()
  .meta({ description: 'An exact amount in CNY as a decimal string.' });
const DateString = /* @__PURE__ */ z.iso.date();

export const LoanSchema = /* @__PURE__ */ z
  .object({
    loanId: z.string(),
    applicationId: z.uuid(),
    creditLineId: z.string().optional(),
    drawdownId: z.string().optional(),
    uscc: z.string(),
    product: z.enum(['REVOLVING_LINE', 'TERM_LOAN']),
    status: z.enum(LOAN_STATUSES),
    principal: MoneySchema,
    outstandingPrincipal: MoneySchema,
    annualRate: z.string(),
    termMonths: z.int(),
    disbursedAt: z.iso.datetime(),
    disbursedOn: DateString,
    maturityDate: DateString,
    transferId: z.string(),
    repaymentMethod: z.enum(REPAYMENT_METHODS),
    dueDay: z.int().min(1).max(28),
    allocationOrder: z
      .array(
        z.enum([
          'penaltyInterest',
          'overdueInterest',
          'overduePrincipal',
          'currentInterest',
          'currentPrincipal',
        ]),
      )
      .meta({ description: 'The order a repayment pays what is owed in.' }),
    overdueSince: DateString.optional(),
    daysPastDue: z.int().min(0),
    settledOn: DateString.optional(),
    writtenOff: z.object({ on: DateString, by: z.string(), reason: z.string(), amount: Decimal }).optional(),
    lastMonitoredOn: DateString.optional(),
    balances: z.object({
      accruedThrough: DateString.meta({ description: 'The last business date whose interest is booked.' }),
      currentPrincipal: Decimal,
      overduePrincipal: Decimal,
      accruedInterest: Decimal,
      overdueInterest: Decimal,
      penaltyInterest: Decimal,
      totalOwed: Decimal,
    }),
  })
  .meta({ id: 'Loan' });

const ScheduleRowSchema = /* @__PURE__ */ z.object({
  period: z.int(),
  startDate: DateString,
  dueDate: DateString,
  days: z.int(),
  openingPrincipal: Decimal,
  principal: Decimal,
  interest: Decimal,
  total: Decimal,
  closingPrincipal: Decimal,
});

export const LoanScheduleSchema = /* @__PURE__ */ z
  .object({
    loanId: z.string(),
    repaymentMethod: z.enum(REPAYMENT_METHODS),
    dayCount: z.string().meta({ description: 'Interest day count: actual days over 360 (or 365).' }),
    dueDay: z.int(),
    principal: MoneySchema.meta({ description: 'The principal the schedule in force amortises.' }),
    annualRate: z.string(),
    penaltyMultiple: z.string().meta({ description: 'Overdue principal accrues at the rate times this.' }),
    instalment: Decimal.nullable().meta({ description: 'The level instalment (EQUAL_INSTALMENT only).' }),
    totalInterest: Decimal,
    rows: z.array(ScheduleRowSchema),
  })
  .meta({
    id: 'LoanSchedule',
    description:
      'The schedule in force (re-amortised after a prepayment). Amounts in CNY as exact decimal strings; the last row absorbs rounding.',
  });

export const WriteOffRequestSchema = /* @__PURE__ */ z
  .strictObject({ reason: z.string().trim().min(3).max(500) })
  .meta({ id: 'WriteOffRequest' });

export const DrawdownParams = /* @__PURE__ */ z.strictObject({ id: ResourceId, drawdownId: ResourceId });

export const DrawdownRequestSchema = /* @__PURE__ */ z
  .strictObject({
    amount: MoneySchema,
    termMonths: z.int().min(1).max(36),
    repaymentMethod: z.enum(REPAYMENT_METHODS),
    dueDay: z.int().min(1).max(28).optional().meta({
      description: 'Day of the month instalments fall due; defaults to the day of the draw (at most 28).',
    }),
  })
  .meta({ id: 'DrawdownRequest' });

export const DrawdownSchema = /* @__PURE__ */ z
  .object({
    drawdownId: z.string(),
    creditLineId: z.string(),
    uscc: z.string(),
    status: z.enum(['REQUESTED', 'DISBURSED']),
    amount: MoneySchema,
    termMonths: z.int(),
    repaymentMethod: z.enum(REPAYMENT_METHODS),
    dueDay: z.int(),
    requestedAt: z.iso.datetime(),
    requestedBy: z.string(),
    loanId: z.string().meta({ description: 'The loan the draw-down becomes once DISBURSED.' }),
    transferId: z.string().optional(),
    disbursedAt: z.iso.datetime().optional(),
  })
  .meta({ id: 'Drawdown' });

export const RepaymentRequestSchema = /* @__PURE__ */ z
  .strictObject({
    amount: MoneySchema,
    prepayment: z.enum(REAMORTISATIONS).optional().meta({
      description:
        'When the repayment prepays principal: SHORTEN_TERM keeps the instalment and ends sooner, LOWER_INSTALMENT (default) keeps the dates.',
    }),
  })
  .meta({ id: 'RepaymentRequest' });

const AllocationSchema = /* @__PURE__ */ z.object({
  penaltyInterest: Decimal,
  overdueInterest: Decimal,
  overduePrincipal: Decimal,
  currentInterest: Decimal,
  currentPrincipal: Decimal,
});

export const RepaymentSchema = /* @__PURE__ */ z
  .object({
    repaymentId: z.string(),
    loanId: z.string(),
    uscc: z.string(),
    channel: z.enum(['API', 'AUTO_DEBIT']),
    amount: MoneySchema,
    businessDate: DateString,
    receivedAt: z.iso.datetime(),
    debitId: z.string(),
    allocation: AllocationSchema,
    prepaidPrincipal: Decimal,
    reamortisation: z.enum(REAMORTISATIONS),
    settled: z.boolean(),
    status: z.literal('BOOKED').meta({
      description:
        'Always BOOKED here: a debit the loan could not take (written off meanwhile) is refunded and answered 409.',
    }),
    loanStatus: z.enum(LOAN_STATUSES),
    outstandingPrincipal: MoneySchema,
  })
  .meta({ id: 'Repayment' });

export const PayoffQuerySchema = /* @__PURE__ */ z.strictObject({
  date: DateString.optional().meta({
    description: `The settlement date, from today to the loan's maturityDate plus ${PAYOFF_HORIZON_DAYS} days (for a loan already further past maturity, today only); default today. Any other date answers 422 naming query.date.`,
  }),
});

export const PayoffSchema = /* @__PURE__ */ z
  .object({
    loanId: z.string(),
    date: DateString,
    amount: MoneySchema,
    breakdown: AllocationSchema,
  })
  .meta({ id: 'Payoff', description: 'Paying exactly `amount` on `date` settles the loan.' });

export const StatementQuerySchema = /* @__PURE__ */ z.strictObject({
  from: DateString.optional().meta({
    description: 'First business date; default the first of the month of `to`.',
  }),
  to: DateString.optional().meta({
    description: 'Last business date; default today. A statement covers at most 366 days.',
  }),
});

const OwedGroupsSchema = /* @__PURE__ */ z.object({
  principal: Decimal,
  interest: Decimal,
  penaltyInterest: Decimal,
  total: Decimal,
});

const StatementTransactionSchema = /* @__PURE__ */ z.object({
  date: DateString,
  kind: z.enum(['DISBURSEMENT', 'REPAYMENT', 'OVERDUE', 'WRITE_OFF']),
  reference: z.string(),
  amount: Decimal,
  owedChange: Decimal.meta({
    description: '+ disbursed, − repaid or written off, 0 for a reclassification.',
  }),
});

export const LoanStatementSchema = /* @__PURE__ */ z
  .object({
    loanId: z.string(),
    from: DateString,
    to: DateString,
    accruedThrough: DateString,
    openingBalance: OwedGroupsSchema,
    transactions: z.array(StatementTransactionSchema),
    interestCharged: Decimal,
    penaltyInterestCharged: Decimal,
    closingBalance: OwedGroupsSchema,
  })
  .meta({
    id: 'LoanStatement',
    description: 'closing = opening + disbursed + interest charged − repaid − written off, from the journal.',
  });

export const CreditLineStatementSchema = /* @__PURE__ */ z
  .object({
    creditLineId: z.string(),
    from: DateString,
    to: DateString,
    limit: MoneySchema,
    used: MoneySchema,
    available: MoneySchema,
    openingBalance: OwedGroupsSchema,
    drawn: Decimal,
    repaid: Decimal,
    interestCharged: Decimal,
    penaltyInterestCharged: Decimal,
    closingBalance: OwedGroupsSchema,
    loans: z.array(
      z.object({
        loanId: z.string(),
        openingBalance: Decimal,
        closingBalance: Decimal,
        interestCharged: Decimal,
        transactions: z.array(StatementTransactionSchema),
      }),
    ),
  })
  .meta({ id: 'CreditLineStatement' });

export const LoanJournalSchema = /* @__PURE__ */ z
  .object({
    loanId: z.string(),
    entries: z.array(
      z.object({
        businessDate: DateString,
        kind: z.enum(['DISBURSEMENT', 'ACCRUAL', 'OVERDUE', 'REPAYMENT', 'WRITE_OFF']),
        reference: z.string(),
        lines: z.array(z.object({ account: z.string(), side: z.enum(['DEBIT', 'CREDIT']), amount: Decimal })),
      }),
    ),
    balances: z.record(z.string(), Decimal).meta({ description: 'Each account: debits minus credits.' }),
    owed: Decimal.meta({ description: 'The sum of the receivable accounts: what the ledger says is owed.' }),
  })
  .meta({ id: 'LoanJournal', description: 'The double-entry journal of a loan; every entry balances.' });

export const ProblemSchema = /* @__PURE__ */ z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    correlationId: z.string().optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details.' });

export const HealthSchema = /* @__PURE__ */ z.object({ status: z.literal('ok'), version: z.string() });

/** A real calendar date "YYYY-MM-DD" (so 2026-02-30 is refused, not rolled into March). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export const CalendarDateSchema = /* @__PURE__ */ z
  .string()
  .refine(isCalendarDate, 'must be a date YYYY-MM-DD')
  .meta({ format: 'date' });
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
