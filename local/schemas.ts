import * as z from 'zod';
import { MoneySchema, UsccSchema } from '../shared/http/schemas.js';
import { ROLES } from '../shared/services/principal.js';

/** The local runtime's own routes (`/local/*`), absent from the deployed API. */

export const LocalTokenRequestSchema = z.strictObject({
  role: z.enum(ROLES),
  uscc: UsccSchema.optional(),
  subject: z.string().min(1).max(100).optional(),
});
export const LocalClockRequestSchema = z.strictObject({
  advance: z
    .string()
    .regex(
      /^P(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?$/,
      'must be an ISO 8601 duration of days, hours, minutes or seconds, e.g. "P30D" or "PT2H"',
    ),
});

/** The simulated settlement account: set a balance to play a missed payment. */
export const LocalAccountRequestSchema = z.strictObject({
  uscc: UsccSchema,
  balance: MoneySchema.shape.amount,
});

/** What the simulated registry holds for a USCC. */
export const LocalRegistryQuerySchema = z.strictObject({ uscc: UsccSchema });
