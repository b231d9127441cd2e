import { sigmoid } from './logistic.js';
import { mulberry32, poisson, type Random, standardNormal, weightedPick } from './random.js';
import type { TrainingRow } from './train.js';

/**
 * The ground-truth default model of the simulated loan book the default scorecard is trained
 * on. The bank has no matured loans yet, so the project makes its own history: each simulated
 * enterprise draws a feature vector, the model below gives its true 12-month probability of
 * default, and a Bernoulli draw says whether it defaulted. Training on that history and
 * comparing with the truth shows whether the training pipeline works (test/unit/scorecard).
 *
 * Every coefficient is an assumption of this simulated world, chosen to be plausible for
 * Chinese SME lending (direction and rough size from the credit literature and the bank's
 * policy judgements in scoring.ts), not estimated from real outcomes. Do not read them as
 * facts about real borrowers.
 *
 * Feature names and units are those of the feature builder (decisioning/features.ts,
 * `features-1`): months, whole yuan, fractions with four decimals, counts. Two features are
 * not in `features-1` yet: `taxGrade` (the tax record's grade) and `industry` (the GB/T 4754
 * section letter, the first character of the registry's industry code).
 *
 *   logit PD = β0 + f_age + f_revenue + f_growth + f_volatility + f_debt + f_inquiries
 *              + f_overdue + f_cases + f_taxGrade + f_industry
 *
 * with the terms defined in `GROUND_TRUTH` and `trueLogOdds`. A missing value has its own
 * term, as when a source did not answer: the truth knows only what the bank can observe.
 */
export const GROUND_TRUTH = {
  /** Sets the book's mean PD near 9%: applicants of an online SME channel, before the access rules. */
  intercept: -4.1,
  /**
   * Young firms fail more: per unit of ln(months / 60), with age clamped to 6..180 months
   * (beyond fifteen years firms look alike). A 1-year-old firm carries +0.89, a 15-year-old −0.60.
   */
  ageLogMonths: -0.55,
  /**
   * Larger firms have more buffers: per unit of ln(revenue / 3 million yuan), revenue clamped
   * to 0.3..50 million yuan. 0.3 m → +0.69, 30 m → −0.69.
   */
  revenueLogRatio: -0.3,
  /**
   * Shrinking sales raise risk: 1.6 per unit of decline, up to a 50% fall (+0.8). Growth
   * itself earns nothing here: a sudden spike before applying is a fraud signal that the
   * anti-fraud screen answers (issue 3, item 2), not a matter of the probability of default.
   */
  growthDecline: 1.6,
  /** No two-year sales history (firms under 24 months): growth cannot be computed. */
  growthMissing: 0.25,
  /** Per unit of the coefficient of variation of monthly sales, capped at 0.8 (+1.2). */
  volatility: 1.5,
  volatilityMissing: 0.2,
  /** Per unit of debt elsewhere over annual sales, capped at 1.5 (+1.35): the over-lending the issue warns about. */
  debtToRevenue: 0.9,
  /**
   * No bureau record, a thin file: above the average bureau-based terms (about +0.65), since
   * a firm no lender has ever reported on is a known risk marker.
   */
  bureauMissing: 1,
  /** Per credit inquiry in the last 3 months, capped at 6: many applications signal refusals elsewhere. */
  inquiry: 0.2,
  /**
   * Any account overdue at another lender, the strongest single behavioural signal (+1.1),
   * and +0.3 for each further one up to three: bureaus and banks treat "any current
   * delinquency" as the main flag, the count adding less.
   */
  anyOverdue: 1.1,
  furtherOverdue: 0.3,
  /** Per lawsuit as defendant, capped at 3. */
  caseAsDefendant: 0.4,
  litigationMissing: 0.2,
  /**
   * Tax credit grade under the State Taxation Administration's tax credit rules (纳税信用管理办法,
   * SAT Announcement 2014 No. 40; grade M added by Announcement 2018 No. 8 for new enterprises
   * and those with little record). Relative to B, the most common grade.
   */
  taxGrade: { A: -0.7, B: 0, M: 0.35, C: 0.9, D: 1.6 },
  /**
   * GB/T 4754-2017 sections, relative to wholesale and retail (F): construction (E) waits long
   * for receivables, catering (H) has the highest closure rates, agriculture (A) is exposed to
   * weather and prices; software (I) and manufacturing (C) are slightly safer.
   */
  industry: { A: 0.3, C: -0.1, E: 0.45, F: 0, G: 0.1, H: 0.4, I: -0.15, L: 0.2 },
} as const;

export type TaxGrade = keyof typeof GROUND_TRUTH.taxGrade;
export type IndustrySection = keyof typeof GROUND_TRUTH.industry;

export const GROUND_TRUTH_FEATURES = [
  'monthsSinceEstablishment',
  'verifiedRevenue12m',
  'revenueGrowth',
  'revenueVolatility',
  'debtToRevenue',
  'inquiriesLast3Months',
  'overdueAccounts',
  'casesAsDefendant',
  'taxGrade',
  'industry',
] as const;

export type GroundTruthFeature = (typeof GROUND_TRUTH_FEATURES)[number];

export interface SimulatedEnterprise {
  monthsSinceEstablishment: number;
  verifiedRevenue12m: number;
  revenueGrowth: number | null;
  revenueVolatility: number | null;
  debtToRevenue: number | null;
  inquiriesLast3Months: number | null;
  overdueAccounts: number | null;
  casesAsDefendant: number | null;
  taxGrade: TaxGrade;
  industry: IndustrySection;
}

/** The outcome column of the generated data. */
export const TARGET = 'default';

/** The true log odds of default, ln(PD / (1 − PD)). */
export function trueLogOdds(enterprise: SimulatedEnterprise): number {
  const t = GROUND_TRUTH;
  const growth = enterprise.revenueGrowth;
  const volatility = enterprise.revenueVolatility;
  const debt = enterprise.debtToRevenue;
  const cases = enterprise.casesAsDefendant;
  const overdue = enterprise.overdueAccounts;
  return (
    t.intercept +
    t.ageLogMonths * Math.log(clamp(enterprise.monthsSinceEstablishment, 6, 180) / 60) +
    t.revenueLogRatio * Math.log(clamp(enterprise.verifiedRevenue12m, 300_000, 50_000_000) / 3_000_000) +
    (growth === null ? t.growthMissing : t.growthDecline * clamp(-growth, 0, 0.5)) +
    (volatility === null ? t.volatilityMissing : t.volatility * Math.min(volatility, 0.8)) +
    (debt === null ? t.bureauMissing : t.debtToRevenue * Math.min(debt, 1.5)) +
    t.inquiry * Math.min(enterprise.inquiriesLast3Months ?? 0, 6) +
    (overdue === null || overdue === 0 ? 0 : t.anyOverdue + t.furtherOverdue * (Math.min(overdue, 3) - 1)) +
    (cases === null ? t.litigationMissing : t.caseAsDefendant * Math.min(cases, 3)) +
    t.taxGrade[enterprise.taxGrade] +
    t.industry[enterprise.industry]
  );
}

export function trueProbabilityOfDefault(enterprise: SimulatedEnterprise): number {
  return sigmoid(trueLogOdds(enterprise));
}

/** Shares of the industry sections in the simulated book, roughly those of Chinese SME lending. */
const INDUSTRY_MIX: readonly (readonly [IndustrySection, number])[] = [
  ['F', 0.3],
  ['C', 0.24],
  ['G', 0.1],
  ['E', 0.09],
  ['I', 0.09],
  ['H', 0.08],
  ['A', 0.05],
  ['L', 0.05],
];

/** Typical size by section, as a shift of ln(revenue): builders and factories sell more than restaurants. */
const INDUSTRY_SIZE: Record<IndustrySection, number> = {
  A: -0.2,
  C: 0.3,
  E: 0.3,
  F: 0.2,
  G: 0,
  H: -0.4,
  I: -0.1,
  L: -0.2,
};

/** Seasonality by section, as a factor on the volatility of monthly sales. */
const INDUSTRY_SEASONALITY: Record<IndustrySection, number> = {
  A: 1.6,
  C: 1,
  E: 1.2,
  F: 1,
  G: 0.9,
  H: 1.2,
  I: 0.9,
  L: 1,
};

const ESTABLISHED_GRADES: readonly (readonly [TaxGrade, number])[] = [
  ['A', 0.18],
  ['B', 0.5],
  ['M', 0.17],
  ['C', 0.1],
  ['D', 0.05],
];

/**
 * One simulated applicant. The features are drawn with realistic shapes and links: ages and
 * sales log-normal (a few old or large firms, many small ones), sales rising with age, tax
 * grade M for most firms under a year, growth only from two full years of sales, a few sales
 * spikes, about a third with no debt elsewhere, inquiries more frequent with high debt, and
 * overdue accounts more frequent with a poor tax grade. Values are rounded as the feature
 * builder rounds them.
 */
export function simulateEnterprise(random: Random): SimulatedEnterprise {
  const normal = () => standardNormal(random);
  const months = clamp(Math.round(Math.exp(Math.log(60) + 0.75 * normal())), 3, 360);
  const industry = weightedPick(random, INDUSTRY_MIX);
  const revenue = Math.max(
    50_000,
    Math.round(
      Math.exp(Math.log(3_000_000) + 0.35 * Math.log(months / 60) + INDUSTRY_SIZE[industry] + normal()),
    ),
  );
  const taxGrade: TaxGrade = months < 12 && random() < 0.7 ? 'M' : weightedPick(random, ESTABLISHED_GRADES);
  const spike = random() < 0.05;
  // features.ts: growth needs 24 months of sales, volatility 6.
  const revenueGrowth =
    months < 24 ? null : round4(spike ? 0.6 + 1.4 * random() : clamp(0.06 + 0.22 * normal(), -0.9, 3));
  const revenueVolatility =
    months < 6 ? null : round4(Math.exp(Math.log(0.18) + 0.5 * normal()) * INDUSTRY_SEASONALITY[industry]);
  const bureauAnswered = random() >= 0.06;
  const debtToRevenue = bureauAnswered
    ? random() < 0.35
      ? 0
      : round4(Math.min(5, Math.exp(Math.log(0.25) + 0.8 * normal())))
    : null;
  const inquiriesLast3Months =
    debtToRevenue === null ? null : poisson(random, 1.2 + (debtToRevenue > 0.5 ? 1.5 : 0));
  const poorGrade = taxGrade === 'C' || taxGrade === 'D';
  const overdueAccounts = bureauAnswered ? poisson(random, 0.12 + (poorGrade ? 0.25 : 0)) : null;
  const casesAsDefendant = random() >= 0.03 ? poisson(random, 0.15 + (industry === 'E' ? 0.1 : 0)) : null;
  return {
    monthsSinceEstablishment: months,
    verifiedRevenue12m: revenue,
    revenueGrowth,
    revenueVolatility,
    debtToRevenue,
    inquiriesLast3Months,
    overdueAccounts,
    casesAsDefendant,
    taxGrade,
    industry,
  };
}

export interface GeneratedData {
  /** Feature values and the `default` outcome (1 = defaulted within the horizon). */
  rows: TrainingRow[];
  /** The true PD behind each row's outcome, for judging a trained model against the best possible one. */
  probabilityOfDefault: number[];
}

/** `n` simulated loans from mulberry32(seed): the same seed gives the same book (V8’s Math functions are one fdlibm port on every platform). */
export function generateTrainingData(n: number, seed: number): GeneratedData {
  const random = mulberry32(seed);
  const rows: TrainingRow[] = [];
  const probabilityOfDefault: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const enterprise = simulateEnterprise(random);
    const pd = trueProbabilityOfDefault(enterprise);
    rows.push({ ...enterprise, [TARGET]: random() < pd ? 1 : 0 });
    probabilityOfDefault.push(pd);
  }
  return { rows, probabilityOfDefault };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/** Four decimals, as features.ts rounds ratios. */
function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
