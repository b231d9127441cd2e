import { at } from './indexing.js';

/**
 * L2-regularised (ridge) logistic regression fitted by Newton–Raphson, which for the logistic
 * likelihood is iteratively reweighted least squares (McCullagh and Nelder, "Generalized
 * Linear Models", 2nd ed., 1989; the ridge form as in le Cessie and van Houwelingen,
 * "Ridge estimators in logistic regression", Applied Statistics 41, 1992).
 *
 * Minimises  J(β) = −Σ_i [y_i·ln p_i + (1 − y_i)·ln(1 − p_i)] + (λ/2)·Σ_{j≥1} β_j²,
 * p_i = σ(β_0 + Σ_j β_j·x_ij). The intercept β_0 is not penalised, so the fitted mean PD
 * still matches the sample's default rate. Each step solves (XᵀWX + λI′)·Δ = −∇J with
 * W = diag(p_i(1 − p_i)) by Cholesky; the method is deterministic (no random start, no
 * shuffling) and converges in a handful of steps on scorecard-sized problems. A step that
 * would raise J is halved (step-halving, as R's glm.fit does) so the objective never rises.
 */
export interface LogisticOptions {
  /** λ, the L2 penalty on the slopes; 0 gives the plain maximum-likelihood fit. */
  l2?: number;
  /** Stop when no coefficient moves by more than this in one step. */
  tolerance?: number;
  maxIterations?: number;
  onIteration?: (progress: { iteration: number; objective: number; largestStep: number }) => void;
}

export interface LogisticFit {
  intercept: number;
  coefficients: number[];
  iterations: number;
  converged: boolean;
  /** J at the solution: the penalised negative log-likelihood. */
  objective: number;
}

export const LOGISTIC_DEFAULTS = { l2: 1, tolerance: 1e-8, maxIterations: 100 } as const;

/** `columns[j][i]` is feature j of row i; `labels[i]` is 1 for a default. */
export function fitLogistic(
  columns: readonly (readonly number[])[],
  labels: readonly number[],
  options: LogisticOptions = {},
): LogisticFit {
  const { l2, tolerance, maxIterations } = { ...LOGISTIC_DEFAULTS, ...options };
  const rows = labels.length;
  const size = columns.length + 1;
  // Column 0 is the intercept's column of ones.
  const design = [new Array<number>(rows).fill(1), ...columns.map((column) => [...column])];
  for (const column of design) {
    if (column.length !== rows)
      throw new RangeError(`a column has ${column.length} rows, the labels ${rows}`);
  }
  let beta = new Array<number>(size).fill(0);
  let objective = penalisedLoss(design, labels, beta, l2);
  for (let iteration = 1; iteration <= maxIterations; iteration += 1) {
    const { gradient, hessian } = derivatives(design, labels, beta, l2);
    const direction = solveCholesky(hessian, gradient).map((value) => -value);
    let step = 1;
    let candidate = beta.map((value, j) => value + at(direction, j));
    let candidateObjective = penalisedLoss(design, labels, candidate, l2);
    while (candidateObjective > objective && step > 1e-6) {
      step /= 2;
      candidate = beta.map((value, j) => value + step * at(direction, j));
      candidateObjective = penalisedLoss(design, labels, candidate, l2);
    }
    const largestStep = Math.max(...candidate.map((value, j) => Math.abs(value - at(beta, j))));
    beta = candidate;
    objective = candidateObjective;
    options.onIteration?.({ iteration, objective, largestStep });
    if (largestStep < tolerance) {
      return {
        intercept: at(beta, 0),
        coefficients: beta.slice(1),
        iterations: iteration,
        converged: true,
        objective,
      };
    }
  }
  return {
    intercept: at(beta, 0),
    coefficients: beta.slice(1),
    iterations: maxIterations,
    converged: false,
    objective,
  };
}

/** The logistic function 1 / (1 + e^−z), written so that neither branch overflows. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

function linearPredictor(
  design: readonly (readonly number[])[],
  beta: readonly number[],
  row: number,
): number {
  let z = 0;
  for (let j = 0; j < design.length; j += 1) z += at(beta, j) * at(at(design, j), row);
  return z;
}

function penalisedLoss(
  design: readonly (readonly number[])[],
  labels: readonly number[],
  beta: readonly number[],
  l2: number,
): number {
  let loss = 0;
  for (let i = 0; i < labels.length; i += 1) {
    const z = linearPredictor(design, beta, i);
    // −[y·ln σ(z) + (1 − y)·ln(1 − σ(z))] = ln(1 + e^z) − y·z, with ln(1 + e^z) computed stably.
    loss += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - at(labels, i) * z;
  }
  for (let j = 1; j < beta.length; j += 1) loss += (l2 / 2) * at(beta, j) ** 2;
  return loss;
}

function derivatives(
  design: readonly (readonly number[])[],
  labels: readonly number[],
  beta: readonly number[],
  l2: number,
): { gradient: number[]; hessian: number[][] } {
  const size = design.length;
  const gradient = new Array<number>(size).fill(0);
  const hessian = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  const x = new Array<number>(size).fill(0);
  for (let i = 0; i < labels.length; i += 1) {
    for (let j = 0; j < size; j += 1) x[j] = at(at(design, j), i);
    const p = sigmoid(linearPredictor(design, beta, i));
    const residual = p - at(labels, i);
    const weight = p * (1 - p);
    for (let j = 0; j < size; j += 1) {
      const xj = at(x, j);
      gradient[j] = at(gradient, j) + residual * xj;
      const hessianRow = at(hessian, j);
      for (let k = 0; k <= j; k += 1) hessianRow[k] = at(hessianRow, k) + weight * xj * at(x, k);
    }
  }
  for (let j = 0; j < size; j += 1) {
    const hessianRow = at(hessian, j);
    if (j > 0) {
      gradient[j] = at(gradient, j) + l2 * at(beta, j);
      hessianRow[j] = at(hessianRow, j) + l2;
    }
    for (let k = 0; k < j; k += 1) at(hessian, k)[j] = at(hessianRow, k);
  }
  return { gradient, hessian };
}

/** Solves A·x = b for a symmetric positive-definite A by Cholesky factorisation A = L·Lᵀ. */
export function solveCholesky(matrix: readonly (readonly number[])[], vector: readonly number[]): number[] {
  const n = vector.length;
  const lower = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i += 1) {
    const rowI = at(lower, i);
    for (let j = 0; j <= i; j += 1) {
      const rowJ = at(lower, j);
      let sum = at(at(matrix, i), j);
      for (let k = 0; k < j; k += 1) sum -= at(rowI, k) * at(rowJ, k);
      if (i === j) {
        if (sum <= 0)
          throw new RangeError('the matrix is not positive definite (a constant or duplicated column?)');
        rowI[i] = Math.sqrt(sum);
      } else {
        rowI[j] = sum / at(rowJ, j);
      }
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i += 1) {
    let sum = at(vector, i);
    for (let k = 0; k < i; k += 1) sum -= at(at(lower, i), k) * at(y, k);
    y[i] = sum / at(at(lower, i), i);
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i -= 1) {
    let sum = at(y, i);
    for (let k = i + 1; k < n; k += 1) sum -= at(at(lower, k), i) * at(x, k);
    x[i] = sum / at(at(lower, i), i);
  }
  return x;
}
