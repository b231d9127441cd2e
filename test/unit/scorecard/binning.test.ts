import { describe, expect, it } from 'vitest';
import { binFeature, findBin, poolAdjacentViolators, woe } from '../../../shared/domain/scorecard/binning.js';

/** `count` rows of `value`, the first `bads` of them defaults. */
function rows(value: number | string | null, count: number, bads: number) {
  return Array.from({ length: count }, (_, i) => ({ value, label: i < bads ? 1 : 0 }));
}

function split(table: { value: number | string | null; label: number }[]) {
  return { values: table.map(({ value }) => value), labels: table.map(({ label }) => label) };
}

// Three grades: a 50 rows / 30 bads, b 60 / 15, c 40 / 5. Totals: 100 goods, 50 bads.
const GRADES = split([...rows('a', 50, 30), ...rows('b', 60, 15), ...rows('c', 40, 5)]);

describe('weight of evidence and information value', () => {
  it('match the textbook formula without smoothing', () => {
    // %good = 20/100, 45/100, 35/100; %bad = 30/50, 15/50, 5/50.
    // WoE = ln(0.2/0.6) = −1.098612, ln(0.45/0.3) = 0.405465, ln(0.35/0.1) = 1.252763.
    // IV = (−0.4)(−1.098612) + (0.15)(0.405465) + (0.25)(1.252763) = 0.439445 + 0.060820 + 0.313191 = 0.813455.
    const binning = binFeature('grade', 'categorical', GRADES.values, GRADES.labels, {
      smoothing: 0,
      minBinShare: 0,
    });
    expect(binning.bins.map((bin) => bin.categories)).toEqual([['a'], ['b'], ['c']]);
    expect(binning.bins.map((bin) => bin.woe)).toEqual([
      expect.closeTo(-1.098612, 6),
      expect.closeTo(0.405465, 6),
      expect.closeTo(1.252763, 6),
    ]);
    expect(binning.informationValue).toBeCloseTo(0.813455, 6);
    expect(binning.bins.map((bin) => bin.badRate)).toEqual([0.6, 0.25, 0.125]);
  });

  it('add α = 0.5 to every count with Laplace smoothing', () => {
    // Bin a: %good = (20 + 0.5) / (100 + 3 × 0.5) = 0.201970, %bad = (30 + 0.5) / (50 + 1.5) = 0.592233,
    // WoE = ln(0.201970 / 0.592233) = −1.075779. Likewise b 0.398395, c 1.186308; IV 0.766744.
    const binning = binFeature('grade', 'categorical', GRADES.values, GRADES.labels, { minBinShare: 0 });
    expect(binning.bins.map((bin) => bin.woe)).toEqual([
      expect.closeTo(-1.075779, 6),
      expect.closeTo(0.398395, 6),
      expect.closeTo(1.186308, 6),
    ]);
    expect(binning.informationValue).toBeCloseTo(0.766744, 6);
  });

  it('stays finite for a bin with no defaults', () => {
    // (10 + 0.5) / (20 + 1) over (0 + 0.5) / (5 + 1) = 0.5 / 0.083333: ln 6 = 1.791759.
    expect(woe({ count: 10, bads: 0 }, { goods: 20, bads: 5 }, 2)).toBeCloseTo(Math.log(6), 12);
  });
});

describe('numeric binning', () => {
  // Six values of 100 rows each with 10, 20, 15, 30, 40, 35 defaults: the rate rises with two dips.
  const RISING = split([
    ...rows(1, 100, 10),
    ...rows(2, 100, 20),
    ...rows(3, 100, 15),
    ...rows(4, 100, 30),
    ...rows(5, 100, 40),
    ...rows(6, 100, 35),
  ]);

  it('merges adjacent bins until WoE is monotonic', () => {
    // Pool adjacent violators: 2 and 3 pool to 35/200 = 0.175, 5 and 6 to 75/200 = 0.375.
    const binning = binFeature('x', 'numeric', RISING.values, RISING.labels, {
      initialBins: 6,
      minBinShare: 0,
    });
    expect(binning.bins.map(({ lower, upper, count, bads }) => ({ lower, upper, count, bads }))).toEqual([
      { lower: undefined, upper: 2, count: 100, bads: 10 },
      { lower: 2, upper: 4, count: 200, bads: 35 },
      { lower: 4, upper: 5, count: 100, bads: 30 },
      { lower: 5, upper: undefined, count: 200, bads: 75 },
    ]);
    const woes = binning.bins.map((bin) => bin.woe);
    expect(woes).toEqual([...woes].sort((a, b) => b - a));
  });

  it('keeps the raw bins when monotonic merging is off', () => {
    const binning = binFeature('x', 'numeric', RISING.values, RISING.labels, {
      initialBins: 6,
      minBinShare: 0,
      monotonic: false,
    });
    expect(binning.bins).toHaveLength(6);
  });

  it('pools in either direction, and the data chooses the one that keeps more information', () => {
    const falling = split([
      ...rows(1, 100, 40),
      ...rows(2, 100, 45),
      ...rows(3, 100, 20),
      ...rows(4, 100, 10),
    ]);
    const binning = binFeature('x', 'numeric', falling.values, falling.labels, {
      initialBins: 4,
      minBinShare: 0,
    });
    expect(binning.bins.map((bin) => bin.bads)).toEqual([85, 20, 10]);
    const tallies = [10, 20, 15].map((bads) => ({ bounds: {}, count: 100, bads }));
    expect(poolAdjacentViolators(tallies, 'falling', 0.5).map((tally) => tally.bads)).toEqual([45]);
  });

  it('merges a bin under the minimum share into the neighbour with the closer default rate', () => {
    // 2% of rows at 3 (rate 0.5) sit between 1 (rate 0.1) and 5 (rate 0.45): they join 5.
    const table = split([...rows(1, 490, 49), ...rows(3, 20, 10), ...rows(5, 490, 220)]);
    const binning = binFeature('x', 'numeric', table.values, table.labels, {
      initialBins: 10,
      minBinShare: 0.05,
    });
    expect(binning.bins.map(({ upper, count }) => ({ upper, count }))).toEqual([
      { upper: 3, count: 490 },
      { upper: undefined, count: 510 },
    ]);
  });

  it('gives missing values a bin of their own', () => {
    const table = split([...rows(1, 100, 5), ...rows(2, 100, 20), ...rows(null, 50, 25)]);
    const binning = binFeature('x', 'numeric', table.values, table.labels, {
      initialBins: 2,
      minBinShare: 0,
    });
    expect(binning.missingBin).toMatchObject({ count: 50, bads: 25, badRate: 0.5 });
    expect(binning.missingBin.woe).toBeLessThan(Math.min(...binning.bins.map((bin) => bin.woe)));
  });

  it('lets a missing bin under the minimum share borrow the WoE of the bin with the closest default rate', () => {
    // 10 missing rows of 1000 (1%, under 5%) with rate 0.3: closest to the bin at 2 (rate 0.25), not 1 (0.05).
    const table = split([...rows(1, 500, 25), ...rows(2, 490, 122), ...rows(null, 10, 3)]);
    const binning = binFeature('x', 'numeric', table.values, table.labels, {
      initialBins: 2,
      minBinShare: 0.05,
    });
    expect(binning.missingBin).toMatchObject({ count: 10, bads: 3, badRate: 0.3 });
    expect(binning.missingBin.woe).toBe(binning.bins[1]?.woe);
  });

  it('scores a missing value like the worst bin when training saw none', () => {
    const table = split([...rows(1, 100, 5), ...rows(2, 100, 20)]);
    const binning = binFeature('x', 'numeric', table.values, table.labels, {
      initialBins: 2,
      minBinShare: 0,
    });
    expect(binning.missingBin).toMatchObject({ count: 0, badRate: null });
    expect(binning.missingBin.woe).toBe(Math.min(...binning.bins.map((bin) => bin.woe)));
  });
});

describe('categorical binning', () => {
  it('pools categories under the minimum share into one "other" bin', () => {
    const table = split([
      ...rows('F', 600, 30),
      ...rows('C', 360, 18),
      ...rows('R', 25, 5),
      ...rows('S', 15, 3),
    ]);
    const binning = binFeature('industry', 'categorical', table.values, table.labels, { minBinShare: 0.05 });
    expect(binning.bins.map((bin) => [bin.categories, bin.count])).toEqual([
      [['C'], 360],
      [['F'], 600],
      [['R', 'S'], 40],
    ]);
  });
});

describe('findBin', () => {
  const numeric = [{ upper: 10 }, { lower: 10, upper: 20 }, { lower: 20 }];
  it.each([
    [-5, 0],
    [9.999, 0],
    [10, 1],
    [19, 1],
    [20, 2],
    [1e9, 2],
    [null, -1],
    [Number.NaN, -1],
  ])('puts %d in numeric bin %d (−1: missing)', (value, index) => {
    expect(findBin('numeric', numeric, value)).toBe(index);
  });

  it('sends a category not seen in training to the missing bin', () => {
    const categorical = [{ categories: ['A'] }, { categories: ['B', 'M'] }];
    expect(findBin('categorical', categorical, 'M')).toBe(1);
    expect(findBin('categorical', categorical, 'Z')).toBe(-1);
  });

  it('refuses text for a numeric characteristic', () => {
    expect(() => findBin('numeric', numeric, '12')).toThrow('expected a number');
  });
});
