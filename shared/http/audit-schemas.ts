import * as z from 'zod';
import { AUDIT_ACTIONS, AUDIT_ENTITY_TYPES } from '../domain/audit.js';
import { MAX_AUDIT_WINDOW_DAYS } from '../services/read-audit.js';
import { decimalQueryInteger, MAX_LIST_LIMIT, ResourceId } from './schemas.js';

/** The shapes of the audit trail's routes, read by the auditor role. */

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
