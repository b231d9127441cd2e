export {
  BINNING_DEFAULTS,
  type BinBounds,
  type BinningOptions,
  type BinStatistics,
  binFeature,
  type FeatureBinning,
  type FeatureType,
  type FeatureValue,
  findBin,
  woe,
} from './binning.js';
export { type CsvTable, type CsvValue, formatCsv, parseCsv, type TypedColumns, typeColumns } from './csv.js';
export {
  type DriftBin,
  type DriftVerdict,
  PSI_BANDS,
  psiVerdict,
  type ScoreDrift,
  scoreDrift,
} from './drift.js';
export { CsvParseError, ScorecardInputError, TrainingDataError } from './errors.js';
export {
  type GeneratedData,
  GROUND_TRUTH,
  GROUND_TRUTH_FEATURES,
  generateTrainingData,
  type SimulatedEnterprise,
  TARGET,
  trueLogOdds,
  trueProbabilityOfDefault,
} from './ground-truth.js';
export { fitLogistic, type LogisticFit, type LogisticOptions, sigmoid } from './logistic.js';
export { auc, gini, ks, psi, psiAgainstBaseline, type ScoreBaseline, scoreBaseline } from './metrics.js';
export {
  type AdverseReason,
  binLabel,
  binPoints,
  parseScorecardModel,
  probabilityOfDefaultAt,
  type ScorecardBin,
  type ScorecardCharacteristic,
  type ScorecardModel,
  type ScorecardResult,
  scalingConstants,
  score,
  scorecardModelSchema,
} from './model.js';
export {
  stratifiedSplit,
  TRAINING_DEFAULTS,
  type TrainingOptions,
  type TrainingProgress,
  type TrainingResult,
  type TrainingRow,
  trainScorecard,
} from './train.js';
