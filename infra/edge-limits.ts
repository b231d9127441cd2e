import { type ROUTES, type RouteDefinition, type RouteName, usesAuthorizer } from '../shared/http/routes.js';
import type { DeployContext } from './app.js';

/**
 * An API Gateway throttle: requests per second a method's token bucket refills at, and the
 * bucket's size (the burst it absorbs above that). Past it, API Gateway answers 429. These are
 * totals for the method across all callers; per-client limits are the web ACL's.
 */
export interface Throttle {
  rateLimit: number;
  burstLimit: number;
}

/**
 * What a route is, for throttling, in order of precedence:
 * - `moneyMovement`: a POST that moves money or releases it (MOVES_MONEY below);
 * - `unauthenticated`: no bearer token at the gateway (public and partner-signed routes), so
 *   anyone on the internet reaches the function with no credentials checked first;
 * - `write`: any other POST;
 * - `read`: a GET.
 */
export type RouteClass = 'moneyMovement' | 'unauthenticated' | 'write' | 'read';

export interface EdgeLimits {
  /** `read` is the stage's default method setting (`/*` `/*`): it also covers any method without its own. */
  throttle: Record<RouteClass, Throttle>;
  /** The web ACL's rate-based rule: requests one client IP may send in 5 minutes before it is blocked. */
  requestsPerIpPer5Minutes: number;
}

/**
 * Defaults for a bank's first deployment (docs/operations.md, "The edge"). Reads keep the
 * stage's 50/s; other writes get 20/s; money moves at 10/s, which is still 864,000 a day,
 * far above a regional bank's draw-downs and repayments (auto-debits run in the nightly job,
 * not through the API); unauthenticated routes get 5/s, so one partner pushing at the full
 * rate (1,500 requests in 5 minutes) stays under the per-IP rule. 2,000 per IP in 5 minutes
 * (6.7/s sustained) leaves room for many users behind one carrier-grade NAT or office gateway.
 */
export const DEFAULT_EDGE_LIMITS: EdgeLimits = {
  throttle: {
    read: { rateLimit: 50, burstLimit: 100 },
    write: { rateLimit: 20, burstLimit: 40 },
    moneyMovement: { rateLimit: 10, burstLimit: 20 },
    unauthenticated: { rateLimit: 5, burstLimit: 10 },
  },
  requestsPerIpPer5Minutes: 2000,
};

type PostOperationId = Extract<(typeof ROUTES)[RouteName], { method: 'POST' }>['operationId'];

/**
 * Whether each POST moves money, keyed by the route table's operation ids: a POST added to
 * shared/http/routes.ts does not compile here until someone decides. Signing the contract
 * counts, because the signature releases the disbursement.
 */
export const MOVES_MONEY: { readonly [K in PostOperationId]: boolean } = {
  submitApplication: false,
  acceptOffer: false,
  signContract: true,
  decideReview: false,
  requestDrawdown: true,
  repayLoan: true,
  writeOffLoan: true,
  addToBlacklist: false,
  removeFromBlacklist: false,
  pushPartnerData: false,
};

export function routeClass(route: RouteDefinition): RouteClass {
  if (route.method === 'POST') {
    const movesMoney = (MOVES_MONEY as Readonly<Record<string, boolean>>)[route.operationId];
    if (movesMoney === undefined) throw new Error(`${route.operationId} is not classified in MOVES_MONEY`);
    if (movesMoney) return 'moneyMovement';
  }
  if (!usesAuthorizer(route)) return 'unauthenticated';
  return route.method === 'POST' ? 'write' : 'read';
}

/** The key API Gateway's stage method settings (and CDK's `methodOptions`) use for a route. */
export const methodSettingPath = (route: RouteDefinition) => `${route.path}/${route.method}`;

/**
 * Each route's own throttle, by `/path/METHOD`, for every route whose class is not `read`
 * (reads keep the stage default).
 */
export function methodThrottles(
  routes: readonly RouteDefinition[],
  limits: EdgeLimits,
): Record<string, Throttle> {
  return Object.fromEntries(
    routes
      .map((route) => [route, routeClass(route)] as const)
      .filter(([, kind]) => kind !== 'read')
      .map(([route, kind]) => [methodSettingPath(route), limits.throttle[kind]]),
  );
}

/** The defaults with whatever the deployment's context overrides (`-c throttleMoneyMovement=5/10`). */
export function edgeLimits(config: DeployContext): EdgeLimits {
  const { throttle, requestsPerIpPer5Minutes } = DEFAULT_EDGE_LIMITS;
  return {
    throttle: {
      read: config.throttleRead ?? throttle.read,
      write: config.throttleWrite ?? throttle.write,
      moneyMovement: config.throttleMoneyMovement ?? throttle.moneyMovement,
      unauthenticated: config.throttleUnauthenticated ?? throttle.unauthenticated,
    },
    requestsPerIpPer5Minutes: config.wafRateLimit ?? requestsPerIpPer5Minutes,
  };
}
