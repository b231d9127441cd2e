import * as z from 'zod';
import { APPLICATION_STATUSES, CONSENT_VERSION } from '../domain/application.js';
import { AUDIT_ACTIONS, AUDIT_ENTITY_TYPES } from '../domain/audit.js';
import { PARTNER_DATA_KINDS } from '../domain/decisioning/partner.js';
import { isValidUscc, parseMobile, parseResidentId, parseUscc } from '../domain/identifiers.js';
import { Money } from '../domain/money.js';
import { PAYOFF_HORIZON_DAYS, REAMORTISATIONS, REPAYMENT_METHODS } from '../domain/servicing/index.js';
import { ROLES } from '../services/principal.js';
import { MAX_AUDIT_WINDOW_DAYS } from '../services/read-audit.js';
import type { ApplicationRequest } from '../services/submit-application.js';

/**
 * The API's request and response shapes. Handlers parse with them, and the OpenAPI document
 * is generated from them, so the document cannot drift from what the code accepts.
 */

const MONEY_PATTERN = /^\d{1,13}(\.\d{1,2})?$/;
const MIN_REQUEST = Money.ofMajor(10_000);
const MAX_REQUEST = Money.ofMajor(10_000_000);

/** zod 4 runs refinements even after the format check failed; that failure is already reported. */
function withinRequestRange(money: { amount: string }): boolean {
  if (!MONEY_PATTERN.test(money.amount)) return true;
  const amount = Money.parse(money.amount);
  return amount.compare(MIN_REQUEST) >= 0 && amount.compare(MAX_REQUEST) <= 0;
}

const checkDigits = (check: (value: string) => unknown) => (value: string) => {
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

export const ApplicationRequestSchema = /* @__PURE__ */ z
  .strictObject({
    enterprise: z.strictObject({ uscc: UsccSchema, name: z.string().trim().min(2).max(100) }),
    legalRepresentative: z.strictObject({
      name: z.string().trim().min(2).max(50),
      idNumber: z
        .string()
        .refine(
          checkDigits((v) => parseResidentId(v)),
          'is not a valid resident ID number (GB 11643-1999)',
        )
        .meta({
          description: 'Resident ID number, GB 11643-1999. Stored only masked and as a keyed digest.',
        }),
      mobile: z
        .string()
        .refine(checkDigits(parseMobile), 'is not a valid mainland China mobile number')
        .meta({ example: '13812345678' }),
    }),
    product: z.enum(['REVOLVING_LINE', 'TERM_LOAN']),
    requestedAmount: MoneySchema.refine(withinRequestRange, {
      message: `must be between ${MIN_REQUEST} and ${MAX_REQUEST} CNY (the inclusive SME per-household cap)`,
      path: ['amount'],
    }),
    termMonths: z.int().min(3).max(36),
    initialDrawdown: MoneySchema.optional().meta({
      description:
        'REVOLVING_LINE only: how much to draw when the line opens (at least 0.01, at most requestedAmount, the limit asked for). Default: requestedAmount. Later draws use POST /v1/credit-lines/{id}/drawdowns.',
    }),
    purpose: z.string().trim().min(2).max(200),
    consent: z.strictObject({
      dataUse: z.literal(true, 'the enterprise must consent to the use of its data'),
      version: z
        .literal(CONSENT_VERSION, `must be the version of the consent text shown today, ${CONSENT_VERSION}`)
        .meta({ description: 'The version of the consent text the enterprise agreed to: the current one.' }),
    }),
  })
  .superRefine((request, context) => {
    if (!request.initialDrawdown || !MONEY_PATTERN.test(request.initialDrawdown.amount)) return;
    const path = ['initialDrawdown', 'amount'];
    if (request.product !== 'REVOLVING_LINE')
      context.addIssue({ code: 'custom', path, message: 'applies only to a REVOLVING_LINE' });
    const first = Money.parse(request.initialDrawdown.amount);
    if (first.isZero()) context.addIssue({ code: 'custom', path, message: 'must be at least 0.01' });
    if (
      MONEY_PATTERN.test(request.requestedAmount.amount) &&
      first.compare(Money.parse(request.requestedAmount.amount)) > 0
    )
      context.addIssue({ code: 'custom', path, message: 'must not be more than requestedAmount' });
  })
  .meta({ id: 'ApplicationRequest' }) satisfies z.ZodType<ApplicationRequest>;

export const SubmittedApplicationSchema = /* @__PURE__ */ z
  .object({ applicationId: z.uuid(), status: z.enum(APPLICATION_STATUSES), createdAt: z.iso.datetime() })
  .meta({ id: 'SubmittedApplication' });

const ReasonSchema = /* @__PURE__ */ z.object({ code: z.string(), message: z.string() });

export const ApplicationViewSchema = /* @__PURE__ */ z
  .object({
    applicationId: z.uuid(),
    status: z.enum(APPLICATION_STATUSES),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    enterprise: z.object({ uscc: z.string(), name: z.string() }),
    product: z.enum(['REVOLVING_LINE', 'TERM_LOAN']),
    requestedAmount: MoneySchema,
    initialDrawdown: MoneySchema.optional(),
    termMonths: z.int(),
    purpose: z.string(),
    timeline: z.array(z.object({ type: z.string(), at: z.iso.datetime() })),
    decision: z
      .object({
        outcome: z.enum(['APPROVE', 'DECLINE', 'REFER']),
        decidedAt: z.iso.datetime(),
        limit: MoneySchema.optional(),
        annualRate: z
          .string()
          .optional()
          .meta({ description: 'Annual rate as a fraction, e.g. "0.0585" = 5.85%.' }),
        termMonths: z.int().optional(),
        reasons: z.array(ReasonSchema),
      })
      .optional(),
    offer: z
      .object({
        limit: MoneySchema,
        annualRate: z.string(),
        termMonths: z.int(),
        expiresAt: z.iso.datetime(),
        acceptedAt: z.iso.datetime().optional(),
      })
      .optional(),
    contract: z
      .object({
        contractId: z.string(),
        createdAt: z.iso.datetime(),
        expiresAt: z.iso.datetime(),
        signedAt: z.iso.datetime().optional(),
      })
      .optional(),
    disbursement: z
      .object({ transferId: z.string(), amount: MoneySchema, disbursedAt: z.iso.datetime() })
      .optional(),
    creditLineId: z.string().optional(),
    loanId: z.string().optional(),
  })
  .loose()
  .meta({
    id: 'Application',
    description: 'Staff additionally receive assessment, decisionDetail and masked contact fields.',
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
const ResourceId = /* @__PURE__ */ z
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

const REVIEW_STATUSES = ['PENDING', 'AWAITING_APPROVAL', 'DECIDED', 'EXPIRED'] as const;

export const ReviewQuerySchema = /* @__PURE__ */ z.strictObject({
  status: z.enum(REVIEW_STATUSES).default('PENDING'),
  limit: decimalQueryInteger({ min: 1, max: MAX_LIST_LIMIT })
    .default(50)
    .meta({ description: `How many reviews, 1 to ${MAX_LIST_LIMIT}; default 50.`, default: '50' }),
});

export const ReviewDecisionSchema = /* @__PURE__ */ z
  .strictObject({
    outcome: z.enum(['APPROVE', 'DECLINE']),
    limit: MoneySchema.optional().meta({
      description: 'Approve a lower limit than proposed (never higher).',
    }),
    comment: z.string().trim().min(2).max(1000),
  })
  .meta({ id: 'ReviewDecision' });

export const ReviewListSchema = /* @__PURE__ */ z
  .object({
    reviews: z.array(
      z.object({
        applicationId: z.uuid(),
        status: z.enum(REVIEW_STATUSES),
        createdAt: z.iso.datetime(),
        uscc: z.string(),
        enterpriseName: z.string(),
        requestedAmount: z.string(),
        proposedLimit: z.string().optional(),
        reasons: z.array(z.object({ code: z.string(), detail: z.string() })),
        decidedBy: z.string().optional(),
        decidedAt: z.iso.datetime().optional(),
        proposedBy: z.string().optional(),
        approvalLimit: z.string().optional(),
        outcome: z.enum(['APPROVE', 'DECLINE']).optional(),
      }),
    ),
  })
  .meta({ id: 'ReviewList' });

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

const BLACKLIST_VALUE_CHECKS = {
  ENTERPRISE: [checkDigits(parseUscc), 'is not a valid Unified Social Credit Code (GB 32100-2015)'],
  PERSON: [checkDigits((v) => parseResidentId(v)), 'is not a valid resident ID number (GB 11643-1999)'],
  MOBILE: [checkDigits(parseMobile), 'is not a valid mainland China mobile number'],
} as const;

export const BlacklistRequestSchema = /* @__PURE__ */ z
  .strictObject({
    kind: z.enum(['ENTERPRISE', 'PERSON', 'MOBILE']),
    value: z.string().trim().min(1).max(40).meta({
      description:
        'A uscc (ENTERPRISE), a resident ID number (PERSON) or a mobile number (MOBILE). Personal numbers are stored only masked and as a keyed digest.',
    }),
    reason: z.string().trim().min(3).max(500),
  })
  .superRefine(({ kind, value }, context) => {
    const [valid, message] = BLACKLIST_VALUE_CHECKS[kind];
    if (!valid(value)) context.addIssue({ code: 'custom', path: ['value'], message });
  })
  .meta({ id: 'BlacklistRequest' });

export const BlacklistEntrySchema = /* @__PURE__ */ z
  .object({
    entryId: z.uuid(),
    kind: z.enum(['ENTERPRISE', 'PERSON', 'MOBILE']),
    display: z.string().meta({ description: 'The uscc, or the masked ID or mobile number.' }),
    reason: z.string(),
    status: z.enum(['ACTIVE', 'REMOVED']),
    addedBy: z.string(),
    addedAt: z.iso.datetime(),
    removedBy: z.string().optional(),
    removedAt: z.iso.datetime().optional(),
    removalReason: z.string().optional(),
  })
  .meta({ id: 'BlacklistEntry' });

export const BlacklistListSchema = /* @__PURE__ */ z
  .object({ entries: z.array(BlacklistEntrySchema) })
  .meta({ id: 'BlacklistList' });
export const BlacklistRemovalSchema = /* @__PURE__ */ z
  .strictObject({ reason: z.string().trim().min(3).max(500) })
  .meta({ id: 'BlacklistRemoval' });
export const EntryIdParams = /* @__PURE__ */ z.strictObject({
  entryId: z.uuid('must be a blacklist entry id (UUID)'),
});

export const HealthSchema = /* @__PURE__ */ z.object({ status: z.literal('ok'), version: z.string() });

export const LocalTokenRequestSchema = /* @__PURE__ */ z.strictObject({
  role: z.enum(ROLES),
  uscc: UsccSchema.optional(),
  subject: z.string().min(1).max(100).optional(),
});
export const LocalClockRequestSchema = /* @__PURE__ */ z.strictObject({
  advance: z
    .string()
    .regex(
      /^P(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?$/,
      'must be an ISO 8601 duration of days, hours, minutes or seconds, e.g. "P30D" or "PT2H"',
    ),
});

/** The local console's simulated settlement account: set a balance to play a missed payment. */
export const LocalRegistryQuerySchema = /* @__PURE__ */ z.strictObject({ uscc: UsccSchema });

export const LocalAccountRequestSchema = /* @__PURE__ */ z.strictObject({
  uscc: UsccSchema,
  balance: MoneySchema.shape.amount,
});

/** A real calendar date "YYYY-MM-DD" (so 2026-02-30 is refused, not rolled into March). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const CalendarDateSchema = /* @__PURE__ */ z
  .string()
  .refine(isCalendarDate, 'must be a date YYYY-MM-DD')
  .meta({ format: 'date' });
const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

export const PartnerIdParams = /* @__PURE__ */ z.strictObject({
  partnerId: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9-]{1,39}$/,
      'must be the partner id the bank assigned: 2 to 40 lowercase letters, digits or -',
    ),
});

export const PartnerDataPushSchema = /* @__PURE__ */ z
  .strictObject({
    platform: z
      .string()
      .regex(/^[A-Z0-9][A-Z0-9_-]{1,39}$/, 'must be a platform code: 2 to 40 capital letters, digits, _ or -')
      .meta({ example: 'TMALL' }),
    kind: z.enum(PARTNER_DATA_KINDS).meta({
      description:
        "ECOMMERCE_SALES: the enterprise's sales on a marketplace; SUPPLY_CHAIN_ORDERS: orders a core enterprise placed with it on a supply-chain platform.",
    }),
    uscc: UsccSchema,
    asOf: CalendarDateSchema.meta({ description: 'The last day the figures cover.', example: '2026-10-31' }),
    months: z
      .array(
        z.strictObject({
          month: z.string().regex(MONTH_PATTERN, 'must be a month YYYY-MM'),
          amount: z
            .string()
            .regex(
              MONEY_PATTERN,
              'must be a non-negative decimal string with at most 2 decimals, e.g. "123456.78"',
            )
            .meta({ description: 'Gross sales or order value in the month, CNY.', example: '123456.78' }),
          orders: z.int().min(0).max(100_000_000).optional(),
        }),
      )
      .min(1)
      .max(36)
      .meta({ description: 'Oldest first, each month once, none after the month of asOf; at most 36.' }),
    refundRatio: z.number().min(0).max(1).optional().meta({
      description: 'Share of the gross amount refunded or returned over these months, 0 to 1.',
      example: 0.04,
    }),
  })
  .superRefine(({ months, asOf }, context) => {
    // zod 4 runs this refinement even when a field failed its own check; those are reported already.
    const lastMonth = isCalendarDate(asOf) ? asOf.slice(0, 7) : undefined;
    let previous: string | undefined;
    months.forEach(({ month }, index) => {
      if (!MONTH_PATTERN.test(month)) return;
      const path = ['months', index, 'month'];
      if (previous !== undefined && month <= previous) {
        context.addIssue({
          code: 'custom',
          path,
          message: `must come after ${previous}: oldest first, each month once`,
        });
      } else if (lastMonth !== undefined && month > lastMonth) {
        context.addIssue({ code: 'custom', path, message: `is after the month of asOf (${asOf})` });
      }
      previous = month;
    });
  })
  .meta({ id: 'PartnerDataPush' });

export const PartnerDataReceiptSchema = /* @__PURE__ */ z
  .object({
    webhookId: z.string(),
    partnerId: z.string(),
    uscc: z.string(),
    platform: z.string(),
    kind: z.enum(PARTNER_DATA_KINDS),
    asOf: z.iso.date(),
    receivedAt: z.iso.datetime(),
    outcome: z.enum(['STORED', 'SUPERSEDED']).meta({
      description:
        "STORED: now the platform's latest data for the enterprise; SUPERSEDED: kept only as received, because data with a later asOf is stored already.",
    }),
  })
  .meta({ id: 'PartnerDataReceipt' });

/** The longest window a drift report reads: a year, leap years included. */
export const MAX_DRIFT_WINDOW_DAYS = 366;

export const ScoreDriftQuerySchema = /* @__PURE__ */ z
  .strictObject({
    from: CalendarDateSchema.meta({ description: 'First application date (bank time zone), inclusive.' }),
    to: CalendarDateSchema.meta({ description: 'Last application date, inclusive.' }),
  })
  .superRefine(({ from, to }, context) => {
    if (!isCalendarDate(from) || !isCalendarDate(to)) return;
    const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
    if (days < 1)
      context.addIssue({ code: 'custom', path: ['to'], message: `must not be before from (${from})` });
    else if (days > MAX_DRIFT_WINDOW_DAYS) {
      context.addIssue({
        code: 'custom',
        path: ['to'],
        message: `the window is ${days} days; at most ${MAX_DRIFT_WINDOW_DAYS}`,
      });
    }
  });

export const ScoreDriftReportSchema = /* @__PURE__ */ z
  .object({
    modelVersion: z.string(),
    from: z.iso.date(),
    to: z.iso.date(),
    count: z.int().meta({ description: 'Applications in the window scored by this model version.' }),
    otherModelVersions: z
      .int()
      .meta({ description: 'Applications in the window scored by another model, left out.' }),
    psi: z.number().nullable().meta({
      description: "Population stability index against the model's development sample; null without scores.",
    }),
    verdict: z.enum(['STABLE', 'WATCH', 'SHIFT', 'NO_DATA']).meta({
      description: 'STABLE: PSI < 0.1; WATCH: 0.1 to 0.25; SHIFT: > 0.25; NO_DATA: no scores in the window.',
    }),
    bands: z.object({ stableBelow: z.number(), shiftAbove: z.number() }),
    bins: z.array(
      z.object({
        lower: z.number().nullable().meta({ description: 'Inclusive lower score; null for the first bin.' }),
        upper: z.number().nullable().meta({ description: 'Exclusive upper score; null for the last bin.' }),
        expectedShare: z.number(),
        actualShare: z.number(),
        actualCount: z.int(),
        contribution: z.number().meta({ description: "This bin's term (a − e)·ln(a / e) of the PSI." }),
      }),
    ),
  })
  .meta({ id: 'ScoreDriftReport' });

/** The most records one verification call checks. */
export const MAX_AUDIT_VERIFICATION = 1000;

const AUDIT_SELECTORS = ['entity', 'actor', 'from'] as const;

export const AuditQuerySchema = /* @__PURE__ */ z
  .strictObject({
    entity: ResourceId.optional().meta({
      description: 'The id of an application, loan (`LN-…`), credit line (`CL-…`) or blacklist entry.',
    }),
    actor: z
      .string()
      .regex(/^[A-Za-z0-9_.:@+|-]{1,128}$/, 'must be a subject: 1 to 128 letters, digits or _ . : @ + | -')
      .optional()
      .meta({
        description: 'The subject of a user (as in their token), or a job such as `system:activate`.',
      }),
    from: z.iso
      .datetime()
      .optional()
      .meta({ description: 'With `to`: records from this instant (ISO 8601 UTC, inclusive).' }),
    to: z.iso
      .datetime()
      .optional()
      .meta({
        description: `With \`from\`: records up to this instant (inclusive); at most ${MAX_AUDIT_WINDOW_DAYS} days after \`from\`.`,
      }),
    limit: decimalQueryInteger({ min: 1, max: MAX_LIST_LIMIT })
      .default(50)
      .meta({ description: `How many records, 1 to ${MAX_LIST_LIMIT}; default 50.`, default: '50' }),
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,2048}$/, 'must be the cursor of a previous page')
      .optional()
      .meta({ description: 'The `cursor` of the previous page, with the same entity, actor or range.' }),
  })
  .superRefine((query, context) => {
    const given = AUDIT_SELECTORS.filter((name) =>
      name === 'from' ? query.from !== undefined || query.to !== undefined : query[name] !== undefined,
    );
    if (given.length === 0)
      context.addIssue({ code: 'custom', path: ['entity'], message: 'give entity, actor, or from and to' });
    for (const extra of given.slice(1))
      context.addIssue({
        code: 'custom',
        path: [extra],
        message: `give only one of entity, actor, or from and to (${given[0]} is given)`,
      });
    if ((query.from === undefined) !== (query.to === undefined))
      context.addIssue({
        code: 'custom',
        path: [query.from === undefined ? 'from' : 'to'],
        message: 'from and to go together',
      });
  });

const Sha256Hex = /* @__PURE__ */ z.string().regex(/^[0-9a-f]{64}$/);

export const AuditRecordSchema = /* @__PURE__ */ z
  .object({
    sequence: z.int().meta({ description: 'The record’s place in the one chain: 1, 2, 3, … with no gaps.' }),
    auditId: z.string(),
    at: z.iso.datetime(),
    actor: z.object({ subject: z.string(), role: z.string() }),
    action: z.enum(AUDIT_ACTIONS),
    entityType: z.enum(AUDIT_ENTITY_TYPES),
    entityId: z.string(),
    before: z.record(z.string(), z.unknown()).nullable().meta({
      description:
        'What the action changed, as it was (null when it created the entity). No personal data: masked numbers, and free text as `…Sha256`.',
    }),
    after: z.record(z.string(), z.unknown()).nullable(),
    correlationId: z.string().meta({
      description:
        "The request's correlation id (as in its problem answers and logs), or a job's invocation id.",
    }),
    prevHash: Sha256Hex.meta({ description: 'The hash of the record before (64 zeros for the first).' }),
    hash: Sha256Hex.meta({ description: 'SHA-256 of the RFC 8785 canonical JSON of every other field.' }),
  })
  .meta({ id: 'AuditRecord' });

export const AuditPageSchema = /* @__PURE__ */ z
  .object({
    records: z.array(AuditRecordSchema),
    cursor: z
      .string()
      .optional()
      .meta({ description: 'Present when there may be more: pass it as `cursor`.' }),
  })
  .meta({ id: 'AuditPage' });

export const AuditVerificationQuerySchema = /* @__PURE__ */ z.strictObject({
  fromSequence: decimalQueryInteger({ min: 1, max: 999_999_999 })
    .default(1)
    .meta({ description: 'The first record to check; default 1, the start of the chain.', default: '1' }),
  limit: decimalQueryInteger({ min: 1, max: MAX_AUDIT_VERIFICATION })
    .default(MAX_AUDIT_VERIFICATION)
    .meta({
      description: `How many records to check, 1 to ${MAX_AUDIT_VERIFICATION}; default ${MAX_AUDIT_VERIFICATION}.`,
      default: String(MAX_AUDIT_VERIFICATION),
    }),
});

export const AuditVerificationSchema = /* @__PURE__ */ z
  .object({
    intact: z
      .boolean()
      .meta({ description: 'Every record checked is present, unedited and linked to the one before.' }),
    fromSequence: z.int(),
    verifiedThrough: z
      .int()
      .meta({ description: 'The last record found intact in this call (fromSequence − 1 when none).' }),
    head: z.object({ sequence: z.int(), hash: z.string() }).meta({
      description:
        'The end of the chain when the check began. Exporting it now and then lets a later check prove the chain was not rewritten whole.',
    }),
    firstBreak: z
      .object({
        sequence: z.int(),
        kind: z.enum(['MISSING', 'EDITED', 'RELINKED']),
        detail: z.string(),
      })
      .optional()
      .meta({ description: 'Where the chain first fails to hold, when it does.' }),
    nextFromSequence: z
      .int()
      .optional()
      .meta({ description: 'Present when the chain goes on past this call: call again from here.' }),
  })
  .meta({ id: 'AuditVerification' });
