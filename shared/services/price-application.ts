import { priceAndLimit } from '../domain/decisioning/index.js';
import { required } from './assessment-input.js';
import type { Dependencies } from './dependencies.js';
import { loadApplication } from './load-application.js';

/** PriceAndLimit stage: the rate over the LPR by risk, and the limit from the product, revenue and debt-capacity caps. */
export async function priceApplication(
  deps: Pick<Dependencies, 'applications' | 'clock'>,
  applicationId: string,
) {
  const app = await loadApplication(deps.applications, applicationId);
  const pricing = priceAndLimit({
    applicant: app.applicant,
    features: required(app.assessment.features, 'features', applicationId),
    score: required(app.assessment.score, 'score', applicationId),
  });
  await deps.applications.saveAssessment(applicationId, 'pricing', pricing, deps.clock.now().toISOString());
  return { annualRate: pricing.annualRate, limit: pricing.limit };
}
