import { describe, expect, it } from 'vitest';
import { fitLogistic, sigmoid, solveCholesky } from '../../../shared/domain/scorecard/logistic.js';

// One binary feature: x = 0 for 100 rows with 20 defaults, x = 1 for 100 rows with 50 defaults.
const x = [...new Array<number>(100).fill(0), ...new Array<number>(100).fill(1)];
const y = [
  ...Array.from({ length: 100 }, (_, i) => (i < 20 ? 1 : 0)),
  ...Array.from({ length: 100 }, (_, i) => (i < 50 ? 1 : 0)),
];

describe('fitLogistic', () => {
  it('finds the maximum-likelihood fit of a 2×2 table without a penalty', () => {
    // Saturated model: intercept = ln(20/80) = −1.386294; slope = ln(50/50) − ln(20/80) = 1.386294.
    const fit = fitLogistic([x], y, { l2: 0 });
    expect(fit.converged).toBe(true);
    expect(fit.intercept).toBeCloseTo(-Math.log(4), 8);
    expect(fit.coefficients[0]).toBeCloseTo(Math.log(4), 8);
  });

  it('shrinks the slope, not the intercept, under an L2 penalty', () => {
    const plain = fitLogistic([x], y, { l2: 0 });
    const ridge = fitLogistic([x], y, { l2: 50 });
    expect(Math.abs(ridge.coefficients[0] ?? 0)).toBeLessThan(Math.abs(plain.coefficients[0] ?? 0));
    // With the intercept unpenalised the fitted PDs still average to the sample rate, 70/200 (the score equation for β0).
    const meanPd =
      x.reduce((sum, xi) => sum + sigmoid(ridge.intercept + (ridge.coefficients[0] ?? 0) * xi), 0) / x.length;
    expect(meanPd).toBeCloseTo(70 / 200, 8);
  });

  it('is deterministic and converges in a few Newton steps', () => {
    const first = fitLogistic([x], y, { l2: 1 });
    const second = fitLogistic([x], y, { l2: 1 });
    expect(second).toEqual(first);
    expect(first.iterations).toBeLessThan(10);
  });

  it('reports each iteration', () => {
    const seen: number[] = [];
    fitLogistic([x], y, { onIteration: ({ iteration }) => seen.push(iteration) });
    expect(seen[0]).toBe(1);
    expect(seen).toEqual(seen.map((_, i) => i + 1));
  });
});

describe('solveCholesky', () => {
  it('solves [[4, 2], [2, 3]]·x = [2, 1]: x = [(3·2 − 2·1)/8, (4·1 − 2·2)/8] = [0.5, 0]', () => {
    const solution = solveCholesky(
      [
        [4, 2],
        [2, 3],
      ],
      [2, 1],
    );
    expect(solution[0]).toBeCloseTo(0.5, 12);
    expect(solution[1]).toBeCloseTo(0, 12);
  });

  it('rejects a matrix that is not positive definite', () => {
    expect(() =>
      solveCholesky(
        [
          [1, 1],
          [1, 1],
        ],
        [1, 1],
      ),
    ).toThrow('not positive definite');
  });
});

describe('sigmoid', () => {
  it('is 1/2 at 0 and stays finite far out', () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(800)).toBe(1);
  });
});
