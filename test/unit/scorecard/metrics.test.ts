import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  auc,
  binIndex,
  gini,
  ks,
  PSI_EMPTY_BIN_SHARE,
  psi,
  psiAgainstBaseline,
  quantileCuts,
  scoreBaseline,
} from '../../../shared/domain/scorecard/metrics.js';

describe('auc (Mann–Whitney, ties count one half)', () => {
  it('is 1 for a score that puts every default above every non-default', () => {
    expect(auc([0.9, 0.8, 0.3, 0.1], [1, 1, 0, 0])).toBe(1);
  });

  it('is 0 for the reversed score', () => {
    expect(auc([0.1, 0.3, 0.8, 0.9], [1, 1, 0, 0])).toBe(0);
  });

  it('is 0.5 when every score ties', () => {
    expect(auc([5, 5, 5, 5, 5], [1, 0, 0, 1, 0])).toBe(0.5);
  });

  it('counts pairs by hand: defaults {2, 3} against non-defaults {1, 2} win 1 + ½ + 1 + 1 = 3.5 of 4 pairs', () => {
    expect(auc([2, 3, 1, 2], [1, 1, 0, 0])).toBe(0.875);
  });

  it('wins 11 of 12 pairs when one default (0.4) is beaten by one non-default (0.7)', () => {
    expect(auc([0.9, 0.8, 0.4, 0.7, 0.3, 0.2, 0.1], [1, 1, 1, 0, 0, 0, 0])).toBeCloseTo(11 / 12, 12);
  });

  it('rejects a sample without both outcomes', () => {
    expect(() => auc([1, 2], [0, 0])).toThrow(RangeError);
  });

  it('gives the reversed score 1 − AUC and ignores any increasing transform', () => {
    const sample = fc
      .array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.boolean()), { minLength: 2, maxLength: 60 })
      .filter((pairs) => pairs.some(([, bad]) => bad) && pairs.some(([, bad]) => !bad));
    fc.assert(
      fc.property(sample, (pairs) => {
        const scores = pairs.map(([score]) => score);
        const labels = pairs.map(([, bad]) => (bad ? 1 : 0));
        const area = auc(scores, labels);
        expect(
          auc(
            scores.map((score) => -score),
            labels,
          ),
        ).toBeCloseTo(1 - area, 12);
        expect(
          auc(
            scores.map((score) => Math.exp(score / 3)),
            labels,
          ),
        ).toBeCloseTo(area, 12);
      }),
    );
  });
});

describe('gini', () => {
  it.each([
    [1, 1],
    [0.5, 0],
    [0.75, 0.5],
    [0, -1],
  ])('of AUC %d is %d', (area, expected) => {
    expect(gini(area)).toBe(expected);
  });
});

describe('ks', () => {
  it('is the largest CDF gap: after 0.1, 0.2, 0.3 (all good) it is 3/4 − 0', () => {
    // Ascending: 0.1 g, 0.2 g, 0.3 g, 0.4 b, 0.7 g, 0.8 b, 0.9 b.
    // F_good: .25 .50 .75 .75 1 1 1; F_bad: 0 0 0 .33 .33 .67 1; largest gap 0.75.
    expect(ks([0.9, 0.8, 0.4, 0.7, 0.3, 0.2, 0.1], [1, 1, 1, 0, 0, 0, 0])).toBeCloseTo(0.75, 12);
  });

  it('is 1 for a perfect separation and 0 when everything ties', () => {
    expect(ks([3, 4, 1, 2], [1, 1, 0, 0])).toBe(1);
    expect(ks([7, 7, 7, 7], [1, 0, 1, 0])).toBe(0);
  });

  it('never splits a tie: {1, 2, 2 | bad at one 2} reads the gap only after both 2s', () => {
    // Splitting the tie would show 1/2 − 0 after the good 2 if it came first; read as a block the gap is 1/2 at 1 and 0 at 2.
    expect(ks([1, 2, 2], [0, 0, 1])).toBeCloseTo(0.5, 12);
  });
});

describe('quantile cuts', () => {
  it('cuts 0..99 into deciles at 10, 20, …, 90', () => {
    const values = Array.from({ length: 100 }, (_, i) => i);
    expect(quantileCuts(values, 10)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90]);
  });

  it('gives a heavy tie its own bin and moves the next cuts past it', () => {
    // Quintiles of 10 values sit at indices 2, 4, 6, 8. Index 2 is a 0 (the minimum), so the
    // cut moves to the first value above, 1 (index 4); the next quantile (index 4) is then
    // taken by 1 and moves to 2; indices 6 and 8 give 3 and 5. Bins: {0} {1} {2} {3, 4} {5, 6}.
    const values = [0, 0, 0, 0, 1, 2, 3, 4, 5, 6];
    expect(quantileCuts(values, 5)).toEqual([1, 2, 3, 5]);
  });

  it('puts a value equal to a cut in the upper bin', () => {
    expect(binIndex([10, 20], 9.99)).toBe(0);
    expect(binIndex([10, 20], 10)).toBe(1);
    expect(binIndex([10, 20], 25)).toBe(2);
  });
});

describe('population stability index', () => {
  const expected = Array.from({ length: 1000 }, (_, i) => i);

  it('is 0 for identical distributions', () => {
    expect(psi(expected, [...expected])).toBe(0);
  });

  it('is above 0.25 (a shift, in the usual reading) when the scores move up by 300', () => {
    // Deciles of 0..999 cut at 100, …, 900. 300..1299 leaves bins 0–2 empty (share floored at
    // 1e-4), puts 10% in bins 3–8 and 40% in bin 9:
    // 3 × (0.0001 − 0.1)·ln(0.0001 / 0.1) + (0.4 − 0.1)·ln 4 = 2.0702 + 0.4159 = 2.4861.
    const shifted = expected.map((score) => score + 300);
    expect(PSI_EMPTY_BIN_SHARE).toBe(1e-4);
    expect(psi(expected, shifted)).toBeCloseTo(2.486143, 5);
    expect(psi(expected, shifted)).toBeGreaterThan(0.25);
  });

  it('reads live scores against a stored baseline the same way', () => {
    const baseline = scoreBaseline(expected);
    expect(baseline.cuts).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900]);
    expect(baseline.shares).toEqual(new Array(10).fill(0.1));
    // 500 live scores in the lowest decile and 50 in each other one: shares 10/19 and 1/19.
    // (10/19 − 0.1)·ln(10/19 / 0.1) + 9 × (1/19 − 0.1)·ln(1/19 / 0.1) = 0.7080 + 0.2736 = 0.9816.
    const live = [
      ...Array.from({ length: 500 }, (_, i) => i % 100),
      ...Array.from({ length: 450 }, (_, i) => 100 * (1 + Math.floor(i / 50)) + (i % 50)),
    ];
    expect(psiAgainstBaseline(baseline, live)).toBeCloseTo(0.981628, 5);
  });
});
