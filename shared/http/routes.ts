import type { z } from 'zod';
import type { Role } from '../services/principal.js';
import { AUDIT_ROLES, STAFF_ROLES } from '../services/principal.js';
import { MAX_AUDIT_WINDOW_DAYS } from '../services/read-audit.js';
import {
  ApplicationRequestSchema,
  ApplicationViewSchema,
  BlacklistEntrySchema,
  BlacklistListSchema,
  BlacklistRemovalSchema,
  BlacklistRequestSchema,
  EntryIdParams,
  PartnerDataPushSchema,
  PartnerDataReceiptSchema,
  PartnerIdParams,
  ReviewDecisionSchema,
  ReviewListSchema,
  ReviewQuerySchema,
  ScoreDriftQuerySchema,
  ScoreDriftReportSchema,
  SubmittedApplicationSchema,
} from './application-schemas.js';
import {
  AuditPageSchema,
  AuditQuerySchema,
  AuditVerificationQuerySchema,
  AuditVerificationSchema,
} from './audit-schemas.js';
import {
  ApplicationIdParams,
  CreditLineSchema,
  CreditLineStatementSchema,
  DrawdownParams,
  DrawdownRequestSchema,
  DrawdownSchema,
  HealthSchema,
  LoanJournalSchema,
  LoanScheduleSchema,
  LoanSchema,
  LoanStatementSchema,
  PayoffQuerySchema,
  PayoffSchema,
  RepaymentRequestSchema,
  RepaymentSchema,
  ResourceIdParams,
  ReviewParams,
  StatementQuerySchema,
  WriteOffRequestSchema,
} from './schemas.js';

export type HttpMethod = 'GET' | 'POST';

/**
 * Who may call a route:
 * - `public`: anyone, no credentials;
 * - `partnerSignature`: a partner platform, a machine with no identity at the bank's IdP, that
 *   signs each request per Standard Webhooks with its own secret; the handler checks the
 *   signature (shared/http/webhook-signature.ts) before it reads the body, and API Gateway's
 *   authorizer is not in front of the route;
 * - `{ roles }`: a bearer JWT checked by the authorizer, whose role must be one of these.
 */
export type RouteAuth = 'public' | 'partnerSignature' | { roles: readonly Role[] };

export interface RouteDefinition {
  operationId: string;
  method: HttpMethod;
  /** API Gateway style path: `{name}` for a path parameter. */
  path: string;
  /** The Lambda entry, relative to the project root; one function per route. */
  handler: string;
  auth: RouteAuth;
  summary: string;
  tags: string[];
  idempotent?: boolean;
  /** Calls core banking while the request waits: a lost answer there is a 503, retried with the same key. */
  movesMoney?: boolean;
  params?: z.ZodType;
  query?: z.ZodType;
  /** What a well-formed query may still ask that the route refuses with 422 (documented in OpenAPI). */
  queryRule?: string;
  body?: z.ZodType;
  response: { status: number; schema?: z.ZodType; description: string };
}

// Computed once, outside the route objects: a spread or an interpolation inside one would keep
// every route (and its schemas) in every handler's bundle, since esbuild cannot prove them pure.
const ENTERPRISE_AND_STAFF: readonly Role[] = ['enterprise', ...STAFF_ROLES];
const AUDIT_QUERY_RULE = `\`from\` after \`to\` (422 naming \`query.from\`), a range longer than ${MAX_AUDIT_WINDOW_DAYS} days (\`query.to\`), or a cursor this list did not give out (\`query.cursor\`).`;

export const health = {
  operationId: 'getHealth',
  method: 'GET',
  path: '/health',
  handler: 'functions/api/health/handler.ts',
  auth: 'public',
  summary: 'Liveness check',
  tags: ['Operations'],
  response: { status: 200, schema: HealthSchema, description: 'The API is up.' },
} as const satisfies RouteDefinition;

export const openapi = {
  operationId: 'getOpenApi',
  method: 'GET',
  path: '/openapi.json',
  handler: 'functions/api/openapi/handler.ts',
  auth: 'public',
  summary: "This API's OpenAPI 3.1 document",
  tags: ['Operations'],
  response: { status: 200, description: 'The OpenAPI document.' },
} as const satisfies RouteDefinition;

export const submitApplication = {
  operationId: 'submitApplication',
  method: 'POST',
  path: '/v1/applications',
  handler: 'functions/api/submit-application/handler.ts',
  auth: { roles: ['enterprise'] },
  summary: 'Apply for a revolving credit line or a term loan',
  tags: ['Applications'],
  idempotent: true,
  body: ApplicationRequestSchema,
  response: {
    status: 202,
    schema: SubmittedApplicationSchema,
    description: 'Accepted; the decision follows asynchronously. Poll the Location.',
  },
} as const satisfies RouteDefinition;

export const getApplication = {
  operationId: 'getApplication',
  method: 'GET',
  path: '/v1/applications/{id}',
  handler: 'functions/api/get-application/handler.ts',
  auth: { roles: ENTERPRISE_AND_STAFF },
  summary: 'An application: status, timeline, decision, offer, and what was disbursed',
  tags: ['Applications'],
  params: ApplicationIdParams,
  response: { status: 200, schema: ApplicationViewSchema, description: 'The application.' },
} as const satisfies RouteDefinition;

export const acceptOffer = {
  operationId: 'acceptOffer',
  method: 'POST',
  path: '/v1/applications/{id}/offer/accept',
  handler: 'functions/api/accept-offer/handler.ts',
  auth: { roles: ['enterprise'] },
  summary: 'Accept the offer',
  tags: ['Applications'],
  params: ApplicationIdParams,
  response: { status: 200, schema: ApplicationViewSchema, description: 'Accepted; the contract follows.' },
} as const satisfies RouteDefinition;

export const signContract = {
  operationId: 'signContract',
  method: 'POST',
  path: '/v1/applications/{id}/contract/sign',
  handler: 'functions/api/sign-contract/handler.ts',
  auth: { roles: ['enterprise'] },
  summary: "Sign the contract (stands in for the e-signature provider's callback)",
  tags: ['Applications'],
  params: ApplicationIdParams,
  response: { status: 200, schema: ApplicationViewSchema, description: 'Signed; disbursement follows.' },
} as const satisfies RouteDefinition;

export const listReviews = {
  operationId: 'listReviews',
  method: 'GET',
  path: '/v1/reviews',
  handler: 'functions/api/list-reviews/handler.ts',
  auth: { roles: ['officer', 'approver'] },
  summary: "Referred applications waiting for (or past) a credit officer's decision",
  tags: ['Reviews'],
  query: ReviewQuerySchema,
  response: { status: 200, schema: ReviewListSchema, description: 'The review queue, oldest first.' },
} as const satisfies RouteDefinition;

export const decideReview = {
  operationId: 'decideReview',
  method: 'POST',
  path: '/v1/reviews/{applicationId}/decision',
  handler: 'functions/api/decide-review/handler.ts',
  auth: { roles: ['officer', 'approver'] },
  summary:
    'Approve (optionally with a lower limit) or decline a referred application; approvals above 1,000,000.00 CNY need a second person with the approver role',
  tags: ['Reviews'],
  params: ReviewParams,
  body: ReviewDecisionSchema,
  response: {
    status: 200,
    schema: ApplicationViewSchema,
    description:
      'Decided (the workflow resumes), or, for a large approval, awaiting a second approver (`pendingApproval`).',
  },
} as const satisfies RouteDefinition;

export const getCreditLine = {
  operationId: 'getCreditLine',
  method: 'GET',
  path: '/v1/credit-lines/{id}',
  handler: 'functions/api/get-credit-line/handler.ts',
  auth: { roles: ENTERPRISE_AND_STAFF },
  summary: 'A revolving credit line',
  tags: ['Credit'],
  params: ResourceIdParams,
  response: { status: 200, schema: CreditLineSchema, description: 'The credit line.' },
} as const satisfies RouteDefinition;

export const getLoan = {
  operationId: 'getLoan',
  method: 'GET',
  path: '/v1/loans/{id}',
  handler: 'functions/api/get-loan/handler.ts',
  auth: { roles: ENTERPRISE_AND_STAFF },
  summary: 'A loan (a term loan or a draw-down on a credit line)',
  tags: ['Credit'],
  params: ResourceIdParams,
  response: { status: 200, schema: LoanSchema, description: 'The loan.' },
} as const satisfies RouteDefinition;

export const getLoanSchedule = {
  operationId: 'getLoanSchedule',
  method: 'GET',
  path: '/v1/loans/{id}/schedule',
  handler: 'functions/api/get-loan-schedule/handler.ts',
  auth: { roles: ENTERPRISE_AND_STAFF },
  summary: 'The repayment schedule of a loan: due dates, principal and interest per period',
  tags: ['Credit'],
  params: ResourceIdParams,
  response: { status: 200, schema: LoanScheduleSchema, description: 'The schedule.' },
} as const satisfies RouteDefinition;

export const requestDrawdown = {
  operationId: 'requestDrawdown',
  method: 'POST',
  path: '/v1/credit-lines/{id}/drawdowns',
  handler: 'functions/api/request-drawdown/handler.ts',
  auth: { roles: ['enterprise'] },
  summary:
    'Draw on a credit line: at most what is available, maturing by the line’s expiry; each draw-down becomes a loan',
  tags: ['Credit'],
  idempotent: true,
  params: ResourceIdParams,
  body: DrawdownRequestSchema,
  response: {
    status: 202,
    schema: DrawdownSchema,
    description: 'Reserved on the line; the disbursement follows. Poll the Location until DISBURSED.',
  },
} as const satisfies RouteDefinition;

export const getDrawdown = {
  operationId: 'getDrawdown',
  method: 'GET',
  path: '/v1/credit-lines/{id}/drawdowns/{drawdownId}',
  handler: 'functions/api/get-drawdown/handler.ts',
  auth: { roles: ENTERPRISE_AND_STAFF },
  summary: 'A draw-down: REQUESTED until paid out, then DISBURSED with its loan',
  tags: ['Credit'],
  params: DrawdownParams,
  response: { status: 200, schema: DrawdownSchema, description: 'The draw-down.' },
} as const satisfies RouteDefinition;

export const getCreditLineStatement = {
  operationId: 'getCreditLineStatement',
  method: 'GET',
  path: '/v1/credit-lines/{id}/statement',
  handler: 'functions/api/get-credit-line-statement/handler.ts',
  auth: { roles: ENTERPRISE_AND_STAFF },
  summary: 'A credit line statement: each loan on the line, drawn, repaid, interest, opening and closing',
  tags: ['Credit'],
  params: ResourceIdParams,
  query: StatementQuerySchema,
  response: { status: 200, schema: CreditLineStatementSchema, description: 'The statement.' },
} as const satisfies RouteDefinition;

export const repayLoan = {
  operationId: 'repayLoan',
  method: 'POST',
  path: '/v1/loans/{id}/repayments',
  handler: 'functions/api/repay-loan/handler.ts',
  auth: { roles: ['enterprise'] },
  summary:
    'Repay from the settlement account: any amount up to the payoff; a prepayment re-amortises the rest',
  tags: ['Credit'],
  idempotent: true,
  movesMoney: true,
  params: ResourceIdParams,
  body: RepaymentRequestSchema,
  response: { status: 201, schema: RepaymentSchema, description: 'Debited, allocated and booked.' },
} as const satisfies RouteDefinition;

export const getPayoff = {
  operationId: 'getPayoff',
  method: 'GET',
  path: '/v1/loans/{id}/payoff',
  handler: 'functions/api/get-payoff/handler.ts',
  auth: { roles: ENTERPRISE_AND_STAFF },
  summary: 'The exact amount that settles the loan on a date',
  tags: ['Credit'],
  params: ResourceIdParams,
  query: PayoffQuerySchema,
  response: { status: 200, schema: PayoffSchema, description: 'The payoff quote.' },
} as const satisfies RouteDefinition;

export const getLoanStatement = {
  operationId: 'getLoanStatement',
  method: 'GET',
  path: '/v1/loans/{id}/statement',
  handler: 'functions/api/get-loan-statement/handler.ts',
  auth: { roles: ENTERPRISE_AND_STAFF },
  summary: 'A loan statement: opening balance, transactions, interest for the period, closing balance',
  tags: ['Credit'],
  params: ResourceIdParams,
  query: StatementQuerySchema,
  response: { status: 200, schema: LoanStatementSchema, description: 'The statement.' },
} as const satisfies RouteDefinition;

export const getLoanJournal = {
  operationId: 'getLoanJournal',
  method: 'GET',
  path: '/v1/loans/{id}/journal',
  handler: 'functions/api/get-loan-journal/handler.ts',
  auth: { roles: ENTERPRISE_AND_STAFF },
  summary: 'The double-entry journal of a loan, with account balances',
  tags: ['Credit'],
  params: ResourceIdParams,
  response: { status: 200, schema: LoanJournalSchema, description: 'The journal.' },
} as const satisfies RouteDefinition;

export const writeOffLoan = {
  operationId: 'writeOffLoan',
  method: 'POST',
  path: '/v1/loans/{id}/write-off',
  handler: 'functions/api/write-off-loan/handler.ts',
  auth: { roles: ['approver'] },
  summary:
    'Write a loan off (核销): what is owed leaves the books, the loan stops accruing, its credit line is frozen',
  tags: ['Credit'],
  params: ResourceIdParams,
  body: WriteOffRequestSchema,
  response: { status: 200, schema: LoanSchema, description: 'Written off.' },
} as const satisfies RouteDefinition;

export const addToBlacklist = {
  operationId: 'addToBlacklist',
  method: 'POST',
  path: '/v1/admin/blacklist',
  handler: 'functions/api/add-to-blacklist/handler.ts',
  auth: { roles: ['admin'] },
  summary: "Put an enterprise, a person or a mobile number on the bank's blacklist, with a reason",
  tags: ['Administration'],
  body: BlacklistRequestSchema,
  response: {
    status: 201,
    schema: BlacklistEntrySchema,
    description: 'Listed; applications naming it are declined. Listing a listed value answers 409.',
  },
} as const satisfies RouteDefinition;

export const listBlacklist = {
  operationId: 'listBlacklist',
  method: 'GET',
  path: '/v1/admin/blacklist',
  handler: 'functions/api/list-blacklist/handler.ts',
  auth: { roles: ['admin', 'officer', 'approver'] },
  summary: 'The active blacklist entries, newest first',
  tags: ['Administration'],
  response: { status: 200, schema: BlacklistListSchema, description: 'The active entries.' },
} as const satisfies RouteDefinition;

export const removeFromBlacklist = {
  operationId: 'removeFromBlacklist',
  method: 'POST',
  path: '/v1/admin/blacklist/{entryId}/remove',
  handler: 'functions/api/remove-from-blacklist/handler.ts',
  auth: { roles: ['admin'] },
  summary: 'Take an entry off the blacklist, with a reason (the entry is kept for the audit trail)',
  tags: ['Administration'],
  params: EntryIdParams,
  body: BlacklistRemovalSchema,
  response: { status: 200, schema: BlacklistEntrySchema, description: 'Removed.' },
} as const satisfies RouteDefinition;

export const pushPartnerData = {
  operationId: 'pushPartnerData',
  method: 'POST',
  path: '/v1/partner-data/{partnerId}',
  handler: 'functions/api/push-partner-data/handler.ts',
  auth: 'partnerSignature',
  summary:
    "A partner platform pushes an enterprise's monthly sales or orders, signed per Standard Webhooks with the partner's secret",
  tags: ['Partners'],
  params: PartnerIdParams,
  body: PartnerDataPushSchema,
  response: {
    status: 202,
    schema: PartnerDataReceiptSchema,
    description:
      'Received: the latest data of the platform for the enterprise, read by its next application. A redelivery (a webhook-id already received) answers 200 with the first receipt and `Idempotent-Replayed: true`, storing nothing.',
  },
} as const satisfies RouteDefinition;

export const getScoreDrift = {
  operationId: 'getScoreDrift',
  method: 'GET',
  path: '/v1/model-monitoring/score-drift',
  handler: 'functions/api/get-score-drift/handler.ts',
  auth: { roles: ['officer', 'approver'] },
  summary:
    "Score drift: the population stability index of the live scorecard's scores in a window of application dates against its development sample",
  tags: ['Model monitoring'],
  query: ScoreDriftQuerySchema,
  response: {
    status: 200,
    schema: ScoreDriftReportSchema,
    description: 'The PSI, its verdict and the expected and actual share of every score bin.',
  },
} as const satisfies RouteDefinition;

export const listAudit = {
  operationId: 'listAudit',
  method: 'GET',
  path: '/v1/audit',
  handler: 'functions/api/list-audit/handler.ts',
  auth: { roles: AUDIT_ROLES },
  summary:
    'The audit trail of staff actions and credit-line changes: about one entity, by one actor, or in a time range, oldest first',
  tags: ['Audit'],
  query: AuditQuerySchema,
  queryRule: AUDIT_QUERY_RULE,
  response: {
    status: 200,
    schema: AuditPageSchema,
    description: 'A page of audit records; `cursor` when there may be more.',
  },
} as const satisfies RouteDefinition;

export const verifyAuditTrail = {
  operationId: 'verifyAuditTrail',
  method: 'GET',
  path: '/v1/audit/verification',
  handler: 'functions/api/verify-audit-trail/handler.ts',
  auth: { roles: AUDIT_ROLES },
  summary:
    'Checks the audit chain from a record on: every record present, unedited and linked to the one before, up to the head',
  tags: ['Audit'],
  query: AuditVerificationQuerySchema,
  queryRule: 'A `fromSequence` past the end of the chain (422 naming `query.fromSequence`).',
  response: {
    status: 200,
    schema: AuditVerificationSchema,
    description: 'Whether the chain holds over the records checked, and if not, its first break.',
  },
} as const satisfies RouteDefinition;

/**
 * The one route table: the CDK API construct makes a resource, a method and a Lambda per
 * entry; the local server routes the same entries to the same handler modules; the OpenAPI
 * document is generated from it. Each route is also its own export, so that a handler that
 * imports its one route (`import * as routes`, then `routes.getLoan`) bundles only that
 * route's schemas.
 */
export const ROUTES = {
  health,
  openapi,
  submitApplication,
  getApplication,
  acceptOffer,
  signContract,
  listReviews,
  decideReview,
  getCreditLine,
  getLoan,
  getLoanSchedule,
  requestDrawdown,
  getDrawdown,
  getCreditLineStatement,
  repayLoan,
  getPayoff,
  getLoanStatement,
  getLoanJournal,
  writeOffLoan,
  addToBlacklist,
  listBlacklist,
  removeFromBlacklist,
  pushPartnerData,
  getScoreDrift,
  listAudit,
  verifyAuditTrail,
} as const;

export type RouteName = keyof typeof ROUTES;

/** True when API Gateway's TOKEN authorizer (a bearer JWT) stands in front of the route. */
export function usesAuthorizer(route: RouteDefinition): boolean {
  return typeof route.auth === 'object';
}
export const ROUTE_LIST: readonly RouteDefinition[] = /* @__PURE__ */ Object.values(ROUTES);
