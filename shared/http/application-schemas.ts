import * as z from 'zod';
import { APPLICATION_STATUSES, CONSENT_VERSION } from '../domain/application.js';
import { PARTNER_DATA_KINDS } from '../domain/decisioning/partner.js';
import { parseMobile, parseResidentId, parseUscc } from '../domain/identifiers.js';
import { Money } from '../domain/money.js';
import type { ApplicationRequest } from '../services/submit-application.js';
import {
  CalendarDateSchema,
  checkDigits,
  decimalQueryInteger,
  isCalendarDate,
  MAX_LIST_LIMIT,
  MONEY_PATTERN,
  MONTH_PATTERN,
  MoneySchema,
  UsccSchema,
} from './schemas.js';

const MIN_REQUEST = Money.ofMajor(10_000);
const MAX_REQUEST = Money.ofMajor(10_000_000);

/** zod 4 runs refinements even after the format check failed; that failure is already reported. */
function withinRequestRange(money: { amount: string }): boolean {
  if (!MONEY_PATTERN.test(money.amount)) return true;
  const amount = Money.parse(money.amount);
  return amount.compare(MIN_REQUEST) >= 0 && amount.compare(MAX_REQUEST) <= 0;
}

/**
 * The shapes of applications, reviews, the blacklist, partner data and model monitoring: the
 * origination side of the API. Apart from the servicing shapes (schemas.ts), so that a
 * servicing handler's bundle carries none of them.
 */

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
