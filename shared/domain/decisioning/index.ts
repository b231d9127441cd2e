export { assess } from './assess.js';
export { DECISION_POLICY, type DecisionInput, type DecisionPolicy, decide } from './decision.js';
export {
  amountsIn,
  buildFeatures,
  FEATURES_VERSION,
  type FeatureName,
  type RecentSpike,
  type RelatedPartyFlows,
  recentSpike,
  relatedPartyFlows,
  sumAmounts,
  trailingMonths,
  wholeMonthsBetween,
} from './features.js';
export {
  IDENTITY_POLICY,
  type IdentityPolicy,
  identityPolicySchema,
  publicReasonCode,
  verifyIdentity,
} from './identity.js';
export { LPR_TABLE, type LprFixing, lprOn, lprTableSchema, parseLprTable } from './lpr.js';
export {
  assessPartnerData,
  PARTNER_DATA_KINDS,
  PARTNER_POLICY,
  type PartnerAssessment,
  type PartnerDataKind,
  type PartnerDataOutcome,
  type PartnerDataRecord,
  type PartnerMonth,
} from './partner.js';
export {
  PRICING_POLICY,
  type PricingInput,
  type PricingPolicy,
  priceAndLimit,
  pricingPolicySchema,
} from './pricing.js';
export { SCORECARD_MODEL, scoreEnterprise } from './scoring.js';
export { ACCESS_POLICY, type AccessPolicy, accessPolicySchema, screen } from './screening.js';
export type * from './types.js';
export { SOURCE_NAMES } from './types.js';
