import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCORECARD_MODEL } from '../../../shared/domain/decisioning/index.js';
import {
  parseCsv,
  psiAgainstBaseline,
  psiVerdict,
  type ScoreBaseline,
  score,
  scoreBaseline,
  scoreDrift,
  typeColumns,
} from '../../../shared/domain/scorecard/index.js';

describe('score drift against a baseline', () => {
  // Three bins: score < 100, 100 <= score < 200, score >= 200, expected 50%, 30%, 20%.
  const baseline: ScoreBaseline = { cuts: [100, 200], shares: [0.5, 0.3, 0.2] };

  it('gives the PSI term of every bin on numbers checked by hand', () => {
    // 4, 3 and 3 of 10 live scores: shares 0.4, 0.3, 0.3.
    // (0.4 − 0.5)·ln(0.4/0.5) = 0.022314; (0.3 − 0.3)·ln 1 = 0; (0.3 − 0.2)·ln(1.5) = 0.040547.
    const live = [10, 50, 90, 99, 100, 150, 199, 200, 250, 900];
    const drift = scoreDrift(baseline, live);

    expect(drift.count).toBe(10);
    expect(drift.bins.map(({ lower, upper, actualCount }) => [lower, upper, actualCount])).toEqual([
      [null, 100, 4],
      [100, 200, 3],
      [200, null, 3],
    ]);
    expect(drift.bins.map((bin) => bin.actualShare)).toEqual([0.4, 0.3, 0.3]);
    expect(drift.bins.map((bin) => bin.expectedShare)).toEqual([0.5, 0.3, 0.2]);
    expect(drift.bins[0]?.contribution).toBeCloseTo(0.022314, 6);
    expect(drift.bins[1]?.contribution).toBe(0);
    expect(drift.bins[2]?.contribution).toBeCloseTo(0.040547, 6);
    expect(drift.psi).toBeCloseTo(0.062861, 6);
    expect(drift.psi).toBe(psiAgainstBaseline(baseline, live));
    expect(drift.verdict).toBe('STABLE');
  });

  it('calls a population that moved to the top bin a shift', () => {
    // 10%, 10%, 80%: (0.1 − 0.5)·ln(0.2) + (0.1 − 0.3)·ln(1/3) + (0.8 − 0.2)·ln 4
    //   = 0.643775 + 0.219722 + 0.831777 = 1.695274.
    const live = [50, 150, ...new Array<number>(8).fill(300)];
    const drift = scoreDrift(baseline, live);
    expect(drift.psi).toBeCloseTo(1.695274, 6);
    expect(drift.verdict).toBe('SHIFT');
  });

  it('floors an empty bin at 1e-4, as the training metrics do, so the PSI stays finite', () => {
    const drift = scoreDrift(baseline, [150, 250]);
    // (0.0001 − 0.5)·ln(0.0001/0.5) + (0.5 − 0.3)·ln(0.5/0.3) + (0.5 − 0.2)·ln(2.5) = 4.257745 + 0.102165 + 0.274887.
    expect(drift.bins[0]?.actualShare).toBe(0);
    expect(drift.psi).toBeCloseTo(4.634797, 6);
  });

  it('reports no verdict without live scores', () => {
    expect(scoreDrift(baseline, [])).toMatchObject({ count: 0, psi: null, verdict: 'NO_DATA' });
  });

  it.each([
    [0, 'STABLE'],
    [0.0999, 'STABLE'],
    [0.1, 'WATCH'],
    [0.25, 'WATCH'],
    [0.2501, 'SHIFT'],
  ] as const)('reads a PSI of %d as %s', (value, verdict) => {
    expect(psiVerdict(value)).toBe(verdict);
  });
});

describe("the live model's baseline", () => {
  it('is the distribution of the live scorer over the committed training data, so live scores compare like with like', () => {
    const { rows } = typeColumns(
      parseCsv(readFileSync(new URL('../../../models/training-data.csv', import.meta.url), 'utf8')),
    );
    const scores = rows.map((row) => score(SCORECARD_MODEL, row).score);

    expect(scoreBaseline(scores)).toEqual(SCORECARD_MODEL.scoreBaseline);
    expect(scoreDrift(SCORECARD_MODEL.scoreBaseline, scores)).toMatchObject({ psi: 0, verdict: 'STABLE' });
  });
});
