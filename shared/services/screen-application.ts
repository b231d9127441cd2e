import { assessPartnerData, buildFeatures, screen } from '../domain/decisioning/index.js';
import { loadAssessmentInput } from './assessment-input.js';
import type { Dependencies } from './dependencies.js';

/**
 * Screen stage: builds the feature vector and applies the bank's access policy to it. It also
 * reads the partner platform data beside the features, for staff: it never changes the outcome.
 */
export async function screenApplication(
  deps: Pick<Dependencies, 'applications' | 'clock'>,
  applicationId: string,
) {
  const { app, data } = await loadAssessmentInput(deps.applications, applicationId);
  const features = buildFeatures(app.applicant, data, data.collectedAt);
  const screening = screen(app.applicant, data, features, data.collectedAt);
  const partner = assessPartnerData(data.partner, features, data.collectedAt);
  const at = deps.clock.now().toISOString();
  await deps.applications.saveAssessment(applicationId, 'features', features, at);
  await deps.applications.saveAssessment(applicationId, 'screening', screening, at);
  await deps.applications.saveAssessment(applicationId, 'partner', partner, at);
  return { passed: screening.passed, policyVersion: screening.policyVersion };
}
