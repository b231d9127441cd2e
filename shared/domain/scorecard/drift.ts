import { at } from './indexing.js';
import { binIndex, PSI_EMPTY_BIN_SHARE, type ScoreBaseline } from './metrics.js';

/**
 * Drift of live scores against the model's development sample, for monitoring: the
 * population stability index with its per-bin terms, read in the usual bands (Siddiqi 2006,
 * "System Stability Report"): under 0.1 no significant change, 0.1 to 0.25 some change worth
 * a look, above 0.25 a shift that calls the model into question.
 */
export const PSI_BANDS = { watchFrom: 0.1, shiftAbove: 0.25 } as const;

export type DriftVerdict = 'STABLE' | 'WATCH' | 'SHIFT';

/** The band of a PSI value: 0.1 itself is WATCH, 0.25 itself still WATCH. */
export function psiVerdict(psi: number): DriftVerdict {
  if (psi < PSI_BANDS.watchFrom) return 'STABLE';
  return psi > PSI_BANDS.shiftAbove ? 'SHIFT' : 'WATCH';
}

export interface DriftBin {
  /** Inclusive lower score of the bin; null for the first (open) bin. */
  lower: number | null;
  /** Exclusive upper score; null for the last (open) bin. */
  upper: number | null;
  expectedShare: number;
  actualShare: number;
  actualCount: number;
  /** This bin's term (a − e)·ln(a / e), with shares floored at PSI_EMPTY_BIN_SHARE; the PSI is their sum. */
  contribution: number;
}

export interface ScoreDrift {
  count: number;
  /** Null without any live score: there is nothing to compare. */
  psi: number | null;
  verdict: DriftVerdict | 'NO_DATA';
  bins: DriftBin[];
}

/**
 * Compares `scores` with the baseline the model was shipped with, bin by bin. The sum of the
 * contributions is the same number `psiAgainstBaseline` gives.
 */
export function scoreDrift(baseline: ScoreBaseline, scores: readonly number[]): ScoreDrift {
  const counts = new Array<number>(baseline.shares.length).fill(0);
  for (const score of scores) {
    const k = binIndex(baseline.cuts, score);
    counts[k] = at(counts, k) + 1;
  }
  const bins = baseline.shares.map((expectedShare, k): DriftBin => {
    const actualCount = at(counts, k);
    const actualShare = scores.length === 0 ? 0 : actualCount / scores.length;
    const e = Math.max(expectedShare, PSI_EMPTY_BIN_SHARE);
    const a = Math.max(actualShare, PSI_EMPTY_BIN_SHARE);
    return {
      lower: k === 0 ? null : at(baseline.cuts, k - 1),
      upper: k === baseline.cuts.length ? null : at(baseline.cuts, k),
      expectedShare,
      actualShare,
      actualCount,
      contribution: scores.length === 0 ? 0 : (a - e) * Math.log(a / e),
    };
  });
  if (scores.length === 0) return { count: 0, psi: null, verdict: 'NO_DATA', bins };
  const psi = bins.reduce((sum, bin) => sum + bin.contribution, 0);
  return { count: scores.length, psi, verdict: psiVerdict(psi), bins };
}
