import * as z from 'zod';
import catalogue from '../../../local/fixtures/enterprises.json' with { type: 'json' };
import { SOURCE_NAMES, type SourceName } from '../../domain/decisioning/types.js';
import { isValidUscc, parseMobile, parseResidentId } from '../../domain/identifiers.js';

/**
 * The catalogue of simulated enterprises behind `npm start` and the tests: each one a
 * scenario of the decision pipeline with the outcome it is expected to produce. Every
 * identifier in it carries a valid check character, because the API refuses any other.
 */
const amount = z.string().regex(/^\d{1,13}\.\d{2}$/, 'a decimal amount with two decimals, e.g. "1000.00"');

/** Fails a string the given parser rejects, with the parser's own message. */
function checkedBy(parse: (value: string) => unknown) {
  return z.string().superRefine((value, ctx) => {
    try {
      parse(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
    }
  });
}

/**
 * What the simulated sources report about one enterprise. The defaults describe an ordinary
 * healthy trader, so a fixture states only what makes its scenario.
 */
export const enterpriseProfileSchema = z.object({
  establishedMonthsAgo: z.number().int().min(1).max(600),
  /** Tax-declared sales of the latest 12 months, before noise and seasonality. */
  annualSales: amount,
  /** Year-on-year change in sales: 0.08 = 8% more than the year before. */
  growth: z.number().min(-0.9).max(5).default(0.05),
  /** Amplitude of the yearly swing in monthly sales: 0.1 = ±10%. */
  seasonality: z.number().min(0).max(0.9).default(0.08),
  /** Invoices issued per yuan of declared sales (below 1: some sales are to consumers without a fapiao). */
  invoiceFactor: z.number().positive().default(0.97),
  /** Bank inflows per yuan of declared sales (above 1: VAT collected and other receipts). */
  bankInflowFactor: z.number().positive().default(1.06),
  redLetterRatio: z.number().min(0).max(1).default(0.01),
  taxGrade: z.enum(['A', 'B', 'M', 'C', 'D']).default('B'),
  taxArrears: amount.default('0.00'),
  registryStatus: z.enum(['ACTIVE', 'ABNORMAL', 'REVOKED', 'CANCELLED']).default('ACTIVE'),
  industryCode: z
    .string()
    .regex(/^[A-T]\d{2,4}$/)
    .default('F5191'),
  registeredCapital: amount.default('1000000.00'),
  outstandingDebt: amount.default('0.00'),
  overdueAccounts: z.number().int().nonnegative().default(0),
  inquiriesLast3Months: z.number().int().nonnegative().default(0),
  casesAsDefendant: z.number().int().nonnegative().default(0),
  amountAsDefendant: amount.default('0.00'),
  dishonestJudgmentDebtor: z.boolean().default(false),

  /** Tax paid per yuan of declared sales: VAT on the value added, surcharges and income tax. */
  taxBurden: z.number().min(0).max(0.5).default(0.035),
  /** Invoices received (purchases) per yuan of declared sales: a trader buys most of what it sells. */
  purchaseFactor: z.number().min(0).max(3).default(0.8),
  /** The largest buyer's share of invoiced sales; the next four take smaller, falling shares. */
  topCustomerShare: z.number().min(0.01).max(1).default(0.15),
  /** Month-end balance in months of sales: 0.6 keeps about 18 days of sales in the bank. */
  balanceFactor: z.number().min(0).max(24).default(0.6),
  /** Payments returned for insufficient funds in a year. */
  returnedPayments12m: z.int().min(0).max(100).default(0),
  /** The share of bank inflows that comes from related parties (shareholders, affiliates). */
  relatedPartyInflowShare: z.number().min(0).max(0.9).default(0.02),
  /** What goes back out to the same related parties, per yuan that came in from them. */
  relatedPartyReturnRatio: z.number().min(0).max(1.5).default(1),
  /** Related companies that are not shareholders (relation AFFILIATE). */
  affiliates: z.array(z.string().min(1)).default([]),
  /** Registered shareholders; by default the legal representative holds 70% and a relative 30%. */
  shareholders: z
    .array(z.object({ name: z.string().min(1), share: z.number().min(0).max(1), naturalPerson: z.boolean() }))
    .optional(),
  /** How many months ago the registered address changed, one entry per change. */
  addressChangesMonthsAgo: z.array(z.int().min(1).max(600)).default([]),
  /** A burst of sales in the last `months` months before applying, `factor` times the usual level. */
  recentSalesSpike: z.object({ months: z.int().min(1).max(3), factor: z.number().min(1).max(20) }).optional(),
  /** Institutions the debt elsewhere is spread over; by default 2 when there is debt, none without. */
  lenderCount: z.int().min(0).max(30).optional(),
  /** Drawn share of the credit lines elsewhere: 0.8 leaves a fifth of each line undrawn. */
  creditLineUtilisation: z.number().min(0.05).max(1).default(0.8),
  /** Past months with an overdue account at another lender (beyond any overdue today). */
  overdueHistory: z
    .array(z.object({ monthsAgo: z.int().min(1).max(24), worstDaysPastDue: z.int().min(1).max(3650) }))
    .default([]),
  /** By default the 3-month count and half as many again. */
  inquiriesLast6Months: z.int().min(0).optional(),
});

export type EnterpriseProfile = z.output<typeof enterpriseProfileSchema>;

const sourceName = z.enum(SOURCE_NAMES as [SourceName, ...SourceName[]]);

export const enterpriseFixtureSchema = z.object({
  uscc: z.string().refine(isValidUscc, 'not a valid GB 32100-2015 code'),
  name: z.string().min(1),
  legalRepresentative: z.object({
    name: z.string().min(1),
    idNumber: checkedBy((id) => parseResidentId(id)),
    mobile: checkedBy((mobile) => parseMobile(mobile)),
  }),
  scenario: z.string().regex(/^[a-z0-9-]+$/),
  expectedOutcome: z.enum(['APPROVE', 'DECLINE', 'REFER']),
  expectedReasonCodes: z.array(z.string()),
  description: z.string().min(1),
  suggestedApplication: z.object({
    product: z.enum(['REVOLVING_LINE', 'TERM_LOAN']),
    requestedAmount: amount,
    termMonths: z.number().int().positive(),
  }),
  profile: enterpriseProfileSchema,
  /** Sources that behave abnormally: MISSING resolves null (no record), FAILED rejects (an outage). */
  sources: z.partialRecord(sourceName, z.enum(['MISSING', 'FAILED'])).default({}),
});

export type EnterpriseFixture = z.output<typeof enterpriseFixtureSchema>;

export const enterpriseCatalogue: readonly EnterpriseFixture[] = z
  .array(enterpriseFixtureSchema)
  .refine(
    (fixtures) => new Set(fixtures.map(({ uscc }) => uscc)).size === fixtures.length,
    'uscc values must be unique',
  )
  .parse(catalogue);
