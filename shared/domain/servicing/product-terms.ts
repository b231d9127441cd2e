import * as z from 'zod';
import type { Product } from '../decisioning/types.js';
import { DEFAULT_ALLOCATION_ORDER } from './allocation.js';
import { DAY_COUNTS, RateMultiple } from './day-count.js';

const BUCKETS = DEFAULT_ALLOCATION_ORDER;

/**
 * How a product's loans are serviced: the day count, the penalty rate as a multiple of the
 * contract rate, whether unpaid interest compounds, and the order a repayment pays the
 * buckets in. Versioned data, validated when loaded. A loan copies the terms it opened under
 * (day count, penalty, compounding into its servicing state; the allocation order onto its
 * record), so changing them here changes new loans only.
 */
export const ServicingTermsSchema = z.strictObject({
  version: z.string().min(1),
  dayCount: z.enum(DAY_COUNTS),
  penaltyMultiple: z
    .string()
    .refine((value) => {
      try {
        RateMultiple.parse(value);
        return true;
      } catch {
        return false;
      }
    }, 'must be a decimal multiple such as "1.5"')
    .refine((value) => Number(value) >= 1 && Number(value) <= 2, 'must be between 1 and 2'),
  compoundOverdueInterest: z.boolean(),
  allocationOrder: z
    .array(z.enum(BUCKETS))
    .refine(
      (order) => order.length === BUCKETS.length && new Set(order).size === BUCKETS.length,
      `must list each of ${BUCKETS.join(', ')} exactly once`,
    ),
});

export type ServicingTerms = z.output<typeof ServicingTermsSchema>;

/**
 * The terms in force for new loans, per product. Penalty at 1.5× (the top of the PBOC band,
 * 银发〔2003〕251号), no compounding of overdue interest (the bank's choice for SMEs; the
 * setting exists because some contracts provide for 复利), oldest and most expensive first.
 */
export const SERVICING_TERMS: Readonly<Record<Product, ServicingTerms>> = Object.freeze({
  REVOLVING_LINE: ServicingTermsSchema.parse({
    version: 'servicing-2026.11',
    dayCount: 'ACT_360',
    penaltyMultiple: '1.5',
    compoundOverdueInterest: false,
    allocationOrder: [...DEFAULT_ALLOCATION_ORDER],
  }),
  TERM_LOAN: ServicingTermsSchema.parse({
    version: 'servicing-2026.11',
    dayCount: 'ACT_360',
    penaltyMultiple: '1.5',
    compoundOverdueInterest: false,
    allocationOrder: [...DEFAULT_ALLOCATION_ORDER],
  }),
});
