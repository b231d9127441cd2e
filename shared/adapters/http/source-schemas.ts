import * as z from 'zod';
import type { SourceName, SourceRecords } from '../../domain/decisioning/types.js';

/**
 * What each data vendor must answer, validated before anything reaches the decision: a
 * malformed answer is a failed source (with the field named), never a wrong decision.
 * Amounts are decimal strings in CNY with at most two decimals; months "YYYY-MM"; shares
 * fractions 0..1. The fields added with features-3 (shareholders, tax paid, purchases,
 * customers, balances, related parties, facilities, overdue history) are optional: a vendor
 * that does not report one leaves the features built from it empty, it does not fail the source.
 */
// Every amount a vendor reports (sales, debt, arrears, capital) is a size, never negative: a
// negative debt would raise the debt-capacity cap and earn the best score bin.
const amount = z
  .string()
  .regex(/^\d{1,15}(\.\d{1,2})?$/, 'must be a non-negative decimal amount with at most 2 decimals');
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM');
const monthly = z.array(z.object({ month, amount })).max(60);
const share = z.number().min(0).max(1);
const count = z.int().min(0);

/** Shares of one whole may add up to a little over 1 after the vendor rounds each one. */
const ROUNDING_TOLERANCE = 0.001;
function sharesAddUp(items: readonly { share: number }[]): boolean {
  return items.reduce((total, item) => total + item.share, 0) <= 1 + ROUNDING_TOLERANCE;
}

/** Exact, in fen: the schema has already checked each string is an amount. */
function fen(value: string): bigint {
  const [whole = '0', fraction = ''] = value.split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
}

const registry = z.object({
  uscc: z.string().length(18),
  name: z.string().min(1),
  legalRepresentativeName: z.string().min(1),
  establishedOn: z.iso.date(),
  status: z.enum(['ACTIVE', 'ABNORMAL', 'REVOKED', 'CANCELLED']),
  registeredCapital: amount,
  industryCode: z.string().regex(/^[A-T]\d{0,4}$/, 'must be a GB/T 4754 industry code'),
  shareholders: z
    .array(z.object({ name: z.string().min(1), share, naturalPerson: z.boolean() }))
    .max(200)
    .refine(sharesAddUp, 'shareholders hold more than 100% between them')
    .optional(),
  addressChanges: z
    .array(z.object({ changedOn: z.iso.date() }))
    .max(200)
    .optional(),
});

const invoices = z.object({
  monthlyIssued: monthly,
  redLetterRatio: share,
  monthlyReceived: monthly.optional(),
  topCustomers: z
    .array(z.object({ name: z.string().min(1), share }))
    .max(10)
    .refine(sharesAddUp, 'top customers take more than 100% of the sales between them')
    .optional(),
});

const bankFlows = z.object({
  monthlyInflow: monthly,
  monthlyOutflow: monthly,
  monthlyBalance: monthly.optional(),
  monthlyReturnedPayments: z.array(z.object({ month, count })).max(60).optional(),
  relatedPartyTransfers: z
    .array(
      z.object({
        month,
        counterparty: z.string().min(1),
        relation: z.enum(['SHAREHOLDER', 'LEGAL_REPRESENTATIVE', 'AFFILIATE', 'OTHER_RELATED']),
        inflow: amount,
        outflow: amount,
      }),
    )
    .max(2_000)
    .optional(),
});

const bureau = z
  .object({
    outstandingDebt: amount,
    overdueAccounts: count,
    inquiriesLast3Months: count,
    inquiriesLast6Months: count.optional(),
    facilities: z
      .array(
        z.object({
          institution: z.string().min(1),
          type: z.enum(['LOAN', 'CREDIT_LINE']),
          limit: amount,
          balance: amount,
        }),
      )
      .max(200)
      .optional(),
    overdueHistory: z
      .array(z.object({ month, worstDaysPastDue: z.int().min(1) }))
      .max(60)
      .optional(),
  })
  .superRefine((record, ctx) => {
    if (
      record.inquiriesLast6Months !== undefined &&
      record.inquiriesLast6Months < record.inquiriesLast3Months
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['inquiriesLast6Months'],
        message: 'must include the inquiries of the last 3 months',
      });
    }
    if (record.facilities === undefined) return;
    record.facilities.forEach((facility, index) => {
      if (facility.type === 'CREDIT_LINE' && fen(facility.balance) > fen(facility.limit)) {
        ctx.addIssue({
          code: 'custom',
          path: ['facilities', index, 'balance'],
          message: 'a credit line cannot be drawn beyond its limit',
        });
      }
    });
    // The debt the limit is cut by and the facilities staff read must be the same debt.
    const balances = record.facilities.reduce((total, facility) => total + fen(facility.balance), 0n);
    if (balances !== fen(record.outstandingDebt)) {
      ctx.addIssue({
        code: 'custom',
        path: ['facilities'],
        message: 'the facility balances must add up to outstandingDebt',
      });
    }
  });

export const SOURCE_SCHEMAS = {
  registry,
  tax: z.object({
    grade: z.enum(['A', 'B', 'M', 'C', 'D']),
    monthlySales: monthly,
    arrears: amount,
    monthlyTaxPaid: monthly.optional(),
  }),
  invoices,
  bankFlows,
  litigation: z.object({
    casesAsDefendant: count,
    amountAsDefendant: amount,
    dishonestJudgmentDebtor: z.boolean(),
  }),
  bureau,
} satisfies { [S in SourceName]: z.ZodType<SourceRecords[S]> };
