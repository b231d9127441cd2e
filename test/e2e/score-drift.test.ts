import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDate } from '../../shared/domain/business-date.js';
import { SCORECARD_MODEL } from '../../shared/domain/decisioning/index.js';
import { scoreDrift } from '../../shared/domain/scorecard/index.js';
import { fixture, startTestRuntime } from '../support/local-api.js';

let api: Awaited<ReturnType<typeof startTestRuntime>>;
let officer: string;

beforeAll(async () => {
  api = await startTestRuntime();
  officer = await api.token('officer');
});

afterAll(async () => {
  await api?.runtime.stop();
});

const decided = (app: Record<string, unknown>) =>
  ['OFFERED', 'IN_REVIEW', 'DECLINED'].includes(String(app.status));

/** A window of application dates around the runtime's clock, wide enough for a midnight to pass. */
function around(days: number) {
  const now = api.runtime.clock.now().getTime();
  return {
    from: businessDate(new Date(now - days * 86_400_000)),
    to: businessDate(new Date(now + days * 86_400_000)),
  };
}

interface DriftReport {
  count: number;
  psi: number | null;
  verdict: string;
  modelVersion: string;
  bins: { expectedShare: number; actualShare: number; actualCount: number }[];
}

describe('GET /v1/model-monitoring/score-drift', () => {
  it("reports the scores of the window's applications against the model's baseline", async () => {
    const { from, to } = around(1);
    const empty = await api.call<DriftReport>(
      'GET',
      `/v1/model-monitoring/score-drift?from=${from}&to=${to}`,
      {
        token: officer,
      },
    );
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ count: 0, psi: null, verdict: 'NO_DATA' });

    const scenarios = ['healthy', 'borderline', 'weak-score', 'young-company'];
    const scores: number[] = [];
    for (const scenario of scenarios) {
      const f = fixture(scenario);
      const token = await api.token('enterprise', f.uscc);
      const { body } = await api.apply(f, token);
      await api.waitFor(body.applicationId, token, decided);
      const staff = await api.call<{ assessment: { score: { score: number } } }>(
        'GET',
        `/v1/applications/${body.applicationId}`,
        { token: officer },
      );
      scores.push(staff.body.assessment.score.score);
    }

    const report = await api.call<DriftReport>(
      'GET',
      `/v1/model-monitoring/score-drift?from=${from}&to=${to}`,
      {
        token: await api.token('approver'),
      },
    );

    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ modelVersion: SCORECARD_MODEL.version, count: scenarios.length });
    expect(report.body.psi).toEqual(expect.any(Number));
    expect(['STABLE', 'WATCH', 'SHIFT']).toContain(report.body.verdict);
    expect(report.body.bins.map((bin) => bin.expectedShare)).toEqual(SCORECARD_MODEL.scoreBaseline.shares);
    // Each application's score, as staff see it, counted in its bin.
    const expected = scoreDrift(SCORECARD_MODEL.scoreBaseline, scores);
    expect(report.body.bins.map((bin) => bin.actualCount)).toEqual(
      expected.bins.map((bin) => bin.actualCount),
    );
    expect(report.body.psi).toBeCloseTo(expected.psi ?? Number.NaN, 6);

    const before = await api.call<DriftReport>(
      'GET',
      `/v1/model-monitoring/score-drift?from=${around(300).from}&to=${around(3).from}`,
      { token: officer },
    );
    expect(before.body.count).toBe(0);
  });

  it('is for credit staff only', async () => {
    const { from, to } = around(1);
    const path = `/v1/model-monitoring/score-drift?from=${from}&to=${to}`;
    expect((await api.call('GET', path)).status).toBe(401);
    expect(
      (await api.call('GET', path, { token: await api.token('enterprise', fixture('healthy').uscc) })).status,
    ).toBe(403);
    expect((await api.call('GET', path, { token: await api.token('partner') })).status).toBe(403);
  });

  it.each([
    ['a date that does not exist', 'from=2026-02-30&to=2026-03-31', 'query.from'],
    ['a missing end', 'from=2026-01-01', 'query.to'],
    ['an end before the start', 'from=2026-03-01&to=2026-02-28', 'query.to'],
    ['a window of 367 days', 'from=2025-01-01&to=2026-01-02', 'query.to'],
    ['an unknown parameter', 'from=2026-01-01&to=2026-01-31&model=x', 'query.model'],
  ])('answers 400 for %s, naming the parameter', async (_, query, field) => {
    const response = await api.call<{ errors: { field: string }[] }>(
      'GET',
      `/v1/model-monitoring/score-drift?${query}`,
      { token: officer },
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body.errors.map((error) => error.field)).toEqual([field]);
  });

  it('accepts a whole leap year: 366 days', async () => {
    const response = await api.call('GET', '/v1/model-monitoring/score-drift?from=2028-01-01&to=2028-12-31', {
      token: officer,
    });
    expect(response.status).toBe(200);
  });
});
