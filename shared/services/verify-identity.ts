import { verifyIdentity as verify } from '../domain/decisioning/index.js';
import { loadAssessmentInput } from './assessment-input.js';
import type { Dependencies } from './dependencies.js';

/** VerifyIdentity stage: check digits were enforced at submission; here, cross-source consistency and fraud signals. */
export async function verifyIdentity(
  deps: Pick<Dependencies, 'applications' | 'clock'>,
  applicationId: string,
) {
  const { app, data } = await loadAssessmentInput(deps.applications, applicationId);
  const result = verify(app.applicant, data, data.collectedAt);
  await deps.applications.saveAssessment(applicationId, 'identity', result, deps.clock.now().toISOString());
  return { passed: result.passed, signals: result.signals.map((s) => s.code) };
}
