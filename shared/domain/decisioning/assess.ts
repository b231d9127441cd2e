import { decide } from './decision.js';
import { buildFeatures } from './features.js';
import { verifyIdentity } from './identity.js';
import { assessPartnerData } from './partner.js';
import { priceAndLimit } from './pricing.js';
import { scoreEnterprise } from './scoring.js';
import { screen } from './screening.js';
import type { Applicant, CollectedData } from './types.js';

/**
 * The whole decision over one data snapshot: VerifyIdentity -> features -> Screen -> Score ->
 * PriceAndLimit -> Decide, the order the workflow runs its stages in, plus the partner
 * platform explanation (which informs staff and never the decision). Pure, so a stored
 * snapshot decides the same way again.
 */
export function assess(applicant: Applicant, data: CollectedData, asOf: string = data.collectedAt) {
  const identity = verifyIdentity(applicant, data, asOf);
  const features = buildFeatures(applicant, data, asOf);
  const screening = screen(applicant, data, features, asOf);
  const partner = assessPartnerData(data.partner, features, asOf);
  const score = scoreEnterprise(features);
  const pricing = priceAndLimit({ applicant, features, score, asOf });
  return {
    identity,
    features,
    partner,
    screening,
    score,
    pricing,
    decision: decide({ identity, featuresVersion: features.version, screening, score, pricing }),
  };
}
