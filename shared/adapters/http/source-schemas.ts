import { z } from 'zod';
import type { SourceName, SourceRecords } from '../../domain/decisioning/types.js';

/**
 * What each data vendor must answer, validated before anything reaches the decision: a
 * malformed answer is a failed source (with the field named), never a wrong decision.
 * Amounts are decimal strings in CNY with at most two decimals; months "YYYY-MM".
 */
// Every amount a vendor reports (sales, debt, arrears, capital) is a size, never negative: a
// negative debt would raise the debt-capacity cap and earn the best score bin.
const amount = z
  .string()
  .regex(/^\d{1,15}(\.\d{1,2})?$/, 'must be a non-negative decimal amount with at most 2 decimals');
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM');
const monthly = z.array(z.object({ month, amount })).max(60);

export const SOURCE_SCHEMAS = {
  registry: z.object({
    uscc: z.string().length(18),
    name: z.string().min(1),
    legalRepresentativeName: z.string().min(1),
    establishedOn: z.iso.date(),
    status: z.enum(['ACTIVE', 'ABNORMAL', 'REVOKED', 'CANCELLED']),
    registeredCapital: amount,
    industryCode: z.string().regex(/^[A-T]\d{0,4}$/, 'must be a GB/T 4754 industry code'),
  }),
  tax: z.object({ grade: z.enum(['A', 'B', 'M', 'C', 'D']), monthlySales: monthly, arrears: amount }),
  invoices: z.object({ monthlyIssued: monthly, redLetterRatio: z.number().min(0).max(1) }),
  bankFlows: z.object({ monthlyInflow: monthly, monthlyOutflow: monthly }),
  litigation: z.object({
    casesAsDefendant: z.int().min(0),
    amountAsDefendant: amount,
    dishonestJudgmentDebtor: z.boolean(),
  }),
  bureau: z.object({
    outstandingDebt: amount,
    overdueAccounts: z.int().min(0),
    inquiriesLast3Months: z.int().min(0),
  }),
} satisfies { [S in SourceName]: z.ZodType<SourceRecords[S]> };
