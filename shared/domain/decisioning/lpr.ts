import * as z from 'zod';
import { ValidationError } from '../errors.js';
import fixingsFile from './lpr-fixings.json' with { type: 'json' };

/**
 * The one-year Loan Prime Rate, published by the National Interbank Funding Center on the
 * 20th of each month; loans are priced as a spread over it (PBOC announcement [2019] No. 15).
 * Held as data (`lpr-fixings.json`) so a new fixing is a reviewed data change, not a code
 * release; validated when the module loads, so a bad table stops the cold start instead of
 * pricing a loan. A decision prices with the fixing in force on its business date and records
 * that fixing's version.
 */
const fixingSchema = z.strictObject({
  /** "lpr-YYYY-MM": the month the fixing was published. */
  version: z.string().regex(/^lpr-\d{4}-(0[1-9]|1[0-2])$/, 'must be lpr-YYYY-MM'),
  /** The publication date; the fixing applies from this business date on. */
  effectiveOn: z.iso.date(),
  oneYearBasisPoints: z.int().min(1).max(2_000),
});

export type LprFixing = z.infer<typeof fixingSchema>;

export const lprTableSchema = z
  .strictObject({ description: z.string().optional(), fixings: z.array(fixingSchema).min(1) })
  .superRefine(({ fixings }, ctx) => {
    fixings.forEach((fixing, index) => {
      if (fixing.version !== `lpr-${fixing.effectiveOn.slice(0, 7)}`) {
        ctx.addIssue({
          code: 'custom',
          path: ['fixings', index, 'version'],
          message: `version ${fixing.version} does not name the month of effectiveOn ${fixing.effectiveOn}`,
        });
      }
      const previous = fixings[index - 1];
      if (previous && previous.effectiveOn >= fixing.effectiveOn) {
        ctx.addIssue({
          code: 'custom',
          path: ['fixings', index, 'effectiveOn'],
          message: `fixings must be in date order, one per date: ${fixing.effectiveOn} follows ${previous.effectiveOn}`,
        });
      }
    });
  });

/** Validates a table of fixings, naming the entry at fault. */
export function parseLprTable(json: unknown): readonly LprFixing[] {
  const parsed = lprTableSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'fixings';
    throw new ValidationError(`LPR table: ${field}: ${issue?.message ?? 'invalid'}`, field);
  }
  return parsed.data.fixings;
}

export const LPR_TABLE: readonly LprFixing[] = parseLprTable(fixingsFile);

/** The fixing in force on a business date ("YYYY-MM-DD"): the latest published on or before it. */
export function lprOn(date: string, table: readonly LprFixing[] = LPR_TABLE): LprFixing {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    throw new ValidationError(`the pricing date must be YYYY-MM-DD, got ${date}`, 'asOf');
  }
  const inForce = table.filter((fixing) => fixing.effectiveOn <= date).at(-1);
  if (!inForce) {
    throw new ValidationError(
      `no LPR fixing in force on ${date}; the table starts ${table[0]?.effectiveOn}`,
      'asOf',
    );
  }
  return inForce;
}
