import { scoreEnterprise } from '../domain/decisioning/index.js';
import { required } from './assessment-input.js';
import type { Dependencies } from './dependencies.js';
import { loadApplication } from './load-application.js';

/** Score stage: runs the scorecard over the stored features. */
export async function scoreApplication(
  deps: Pick<Dependencies, 'applications' | 'clock'>,
  applicationId: string,
) {
  const app = await loadApplication(deps.applications, applicationId);
  const score = scoreEnterprise(required(app.assessment.features, 'features', applicationId));
  await deps.applications.saveAssessment(applicationId, 'score', score, deps.clock.now().toISOString());
  return { score: score.score, modelVersion: score.modelVersion };
}
