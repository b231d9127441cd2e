import { businessDate } from '../domain/business-date.js';
import { scoreEnterprise } from '../domain/decisioning/index.js';
import { required } from './assessment-input.js';
import type { Dependencies } from './dependencies.js';
import { loadApplication } from './load-application.js';

/**
 * Score stage: runs the scorecard over the stored features, and keeps the score as a sample of
 * the live score distribution (dated by the application's business date) for drift monitoring,
 * in the same write.
 */
export async function scoreApplication(
  deps: Pick<Dependencies, 'applications' | 'clock'>,
  applicationId: string,
) {
  const app = await loadApplication(deps.applications, applicationId);
  const score = scoreEnterprise(required(app.assessment.features, 'features', applicationId));
  await deps.applications.saveScore(
    applicationId,
    score,
    {
      applicationId,
      appliedOn: businessDate(new Date(app.createdAt)),
      score: score.score,
      modelVersion: score.modelVersion,
    },
    deps.clock.now().toISOString(),
  );
  return { score: score.score, modelVersion: score.modelVersion };
}
