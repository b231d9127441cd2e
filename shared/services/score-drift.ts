import { SCORECARD_MODEL } from '../domain/decisioning/index.js';
import { PSI_BANDS, type ScorecardModel, scoreDrift } from '../domain/scorecard/index.js';
import type { Dependencies } from './dependencies.js';

/** Shares and PSI terms are reported with 6 decimals, as the model file keeps its statistics. */
const round6 = (value: number) => Math.round(value * 1e6) / 1e6;

/**
 * The score drift report staff read (GET /v1/model-monitoring/score-drift):
 * 1. reads the score samples of the applications dated `from`..`to` (business dates, inclusive);
 * 2. keeps those scored by the live model (a baseline belongs to one model; others are counted);
 * 3. compares them, bin by bin, with the distribution the model was shipped with
 *    (`scoreBaseline`) and reads the PSI in the usual bands.
 */
export async function scoreDriftReport(
  deps: Pick<Dependencies, 'scoreSamples'>,
  window: { from: string; to: string },
  model: ScorecardModel = SCORECARD_MODEL,
) {
  const samples = await deps.scoreSamples.between(window.from, window.to);
  const scores = samples.filter((sample) => sample.modelVersion === model.version).map((s) => s.score);
  const drift = scoreDrift(model.scoreBaseline, scores);
  return {
    modelVersion: model.version,
    from: window.from,
    to: window.to,
    count: drift.count,
    otherModelVersions: samples.length - scores.length,
    psi: drift.psi === null ? null : round6(drift.psi),
    verdict: drift.verdict,
    bands: { stableBelow: PSI_BANDS.watchFrom, shiftAbove: PSI_BANDS.shiftAbove },
    bins: drift.bins.map((bin) => ({
      lower: bin.lower,
      upper: bin.upper,
      expectedShare: round6(bin.expectedShare),
      actualShare: round6(bin.actualShare),
      actualCount: bin.actualCount,
      contribution: round6(bin.contribution),
    })),
  };
}
