import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import catalogue from '../../local/fixtures/enterprises.json' with { type: 'json' };
import { DynamoApplicationStore } from '../../shared/adapters/dynamodb/application-store.js';
import { assess, SCORECARD_MODEL } from '../../shared/domain/decisioning/index.js';
import { fixture, startTestRuntime } from '../support/local-api.js';

let api: Awaited<ReturnType<typeof startTestRuntime>>;

beforeAll(async () => {
  api = await startTestRuntime();
});

afterAll(async () => {
  await api?.runtime.stop();
});

const decided = (app: Record<string, unknown>) =>
  ['OFFERED', 'IN_REVIEW', 'DECLINED'].includes(String(app.status));

describe('every catalogue enterprise through the workflow, then its decision re-run from the stored snapshot', () => {
  it.each(catalogue.map((f) => f.scenario))('%s', async (scenario) => {
    const enterprise = fixture(scenario);
    const token = await api.token('enterprise', enterprise.uscc);
    const { body } = await api.apply(enterprise, token);
    const app = await api.waitFor(body.applicationId, token, decided);

    const expectedStatus = { APPROVE: 'OFFERED', REFER: 'IN_REVIEW', DECLINE: 'DECLINED' }[
      enterprise.expectedOutcome as 'APPROVE' | 'REFER' | 'DECLINE'
    ];
    expect(app.status).toBe(expectedStatus);

    const store = new DynamoApplicationStore(api.runtime.table);
    const stored = await store.get(body.applicationId);
    const snapshot = await store.getSnapshot(body.applicationId);
    if (!stored?.assessment.systemDecision || !snapshot)
      throw new Error('the decision or its snapshot was not stored');

    const replay = assess(stored.applicant, snapshot);
    const { decidedAt, decidedBy, ...original } = stored.assessment.systemDecision;
    expect(replay.decision).toEqual(original);
    expect(replay.features).toEqual(stored.assessment.features);
    expect(replay.score).toEqual(stored.assessment.score);
    expect(original.versions.model).toBe(SCORECARD_MODEL.version);
    for (const code of enterprise.expectedReasonCodes)
      expect(original.reasons.map((r) => r.code)).toContain(code);
  });
});
