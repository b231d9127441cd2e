import type { ROUTES, RouteName } from '../shared/http/routes.js';
import type { TableAccess } from './constructs/app-function.js';

export type OperationId = (typeof ROUTES)[RouteName]['operationId'];

/** What a route's function may touch, beyond writing its own logs. */
export interface RouteAccess {
  table?: TableAccess;
  /** `start` begins an execution; `taskResponse` resumes one paused on a task token. */
  workflow?: 'start' | 'taskResponse';
  /** Reads the HMAC key for digests of personal data. */
  personalDataDigestKey?: true;
  /** Is told the API's public URL (the OpenAPI document's server). */
  publicApiUrl?: true;
  /** Reads the Standard Webhooks secret of each partner platform (the `partners` context). */
  partnerPushSecrets?: true;
}

/**
 * Least privilege per route, keyed by the route table's operation ids: a route added to
 * shared/http/routes.ts does not compile here until someone decides what it may touch.
 * The paths, methods and handlers stay in the route table alone.
 */
export const ROUTE_ACCESS: { readonly [K in OperationId]: RouteAccess } = {
  getHealth: {},
  getOpenApi: { publicApiUrl: true },
  submitApplication: { table: 'readWrite', workflow: 'start', personalDataDigestKey: true },
  getApplication: { table: 'read' },
  acceptOffer: { table: 'readWrite', workflow: 'taskResponse' },
  signContract: { table: 'readWrite', workflow: 'taskResponse' },
  listReviews: { table: 'read' },
  decideReview: { table: 'readWrite', workflow: 'taskResponse' },
  getCreditLine: { table: 'read' },
  getLoan: { table: 'read' },
  getLoanSchedule: { table: 'read' },
  requestDrawdown: { table: 'readWrite' },
  getDrawdown: { table: 'read' },
  getCreditLineStatement: { table: 'read' },
  repayLoan: { table: 'readWrite' },
  getPayoff: { table: 'read' },
  getLoanStatement: { table: 'read' },
  getLoanJournal: { table: 'read' },
  writeOffLoan: { table: 'readWrite' },
  addToBlacklist: { table: 'readWrite', personalDataDigestKey: true },
  listBlacklist: { table: 'read' },
  removeFromBlacklist: { table: 'readWriteDelete' },
  pushPartnerData: { table: 'readWrite', partnerPushSecrets: true },
  getScoreDrift: { table: 'read' },
  // Read-only: an auditor (and its functions) can change nothing, the trail least of all.
  listAudit: { table: 'read' },
  verifyAuditTrail: { table: 'read' },
};
