import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ScorecardInputError } from '../../../shared/domain/scorecard/errors.js';
import {
  binPoints,
  parseScorecardModel,
  probabilityOfDefaultAt,
  type ScorecardModel,
  scalingConstants,
  score,
} from '../../../shared/domain/scorecard/model.js';

const SCALE = { baseScore: 600, baseOdds: 50, pointsToDoubleOdds: 20 };

describe('scaling (600 points = 50:1, 20 points double the odds)', () => {
  it('has factor = 20 / ln 2 = 28.853901 and offset = 600 − factor · ln 50 = 487.122876', () => {
    const { factor, offset } = scalingConstants(SCALE);
    expect(factor).toBeCloseTo(28.853901, 6);
    expect(offset).toBeCloseTo(487.122876, 6);
  });

  it('gives a bin round(−(WoE·β + a/n)·factor + offset/n) points', () => {
    // WoE 0.5, β −0.8, intercept −2.3, 10 characteristics:
    // −(0.5 × −0.8 − 0.23) × 28.853901 + 48.712288 = 18.177958 + 48.712288 = 66.89 → 67.
    expect(binPoints(0.5, -0.8, -2.3, 10, SCALE)).toBe(67);
  });

  it.each([
    [600, 1 / 51],
    [620, 1 / 101],
    [580, 1 / 26],
  ])('reads PD %d → %d back from the score', (points, pd) => {
    expect(probabilityOfDefaultAt(points, SCALE)).toBeCloseTo(pd, 12);
  });
});

const bin = (points: number, extra: object) => ({ woe: 0, points, count: 100, badRate: 0.1, ...extra });

const HAND_MODEL: ScorecardModel = parseScorecardModel({
  version: 'scorecard-hand',
  trainedAt: '2026-01-01T00:00:00.000Z',
  target: 'default',
  ...SCALE,
  intercept: -2.4,
  characteristics: [
    {
      feature: 'monthsSinceEstablishment',
      type: 'numeric',
      coefficient: -0.8,
      informationValue: 0.2,
      bins: [bin(250, { upper: 24 }), bin(280, { lower: 24, upper: 60 }), bin(300, { lower: 60 })],
      missingBin: bin(240, { count: 0, badRate: null }),
    },
    {
      feature: 'taxGrade',
      type: 'categorical',
      coefficient: -0.9,
      informationValue: 0.3,
      bins: [
        bin(300, { categories: ['A'] }),
        bin(280, { categories: ['B', 'M'] }),
        bin(230, { categories: ['C', 'D'] }),
      ],
      missingBin: bin(230, { count: 0, badRate: null }),
    },
  ],
  metrics: { auc: 0.75, ks: 0.4, gini: 0.5, holdoutSize: 300, trainSize: 700, badRate: 0.1 },
  scoreBaseline: { cuts: [500], shares: [0.5, 0.5] },
  training: {
    seed: 1,
    holdoutShare: 0.3,
    l2: 1,
    initialBins: 15,
    minBinShare: 0.05,
    smoothing: 0.5,
    minInformationValue: 0.02,
    rows: 1000,
    excluded: [],
  },
});

describe('score', () => {
  it('adds one bin per characteristic and reads the PD from the total', () => {
    // 280 (30 months) + 230 (grade C) = 510 = 600 − 90: odds 50 × 2^(−4.5) = 2.2097, PD 1 / 3.2097 = 0.311555.
    const result = score(HAND_MODEL, { monthsSinceEstablishment: 30, taxGrade: 'C' });
    expect(result.score).toBe(510);
    expect(result.probabilityOfDefault).toBeCloseTo(0.311555, 6);
    expect(result.contributions).toEqual([
      { feature: 'monthsSinceEstablishment', bin: '24 ≤ x < 60', points: 280 },
      { feature: 'taxGrade', bin: 'C, D', points: 230 },
    ]);
  });

  it('ranks adverse reasons by points lost against the best bin', () => {
    const result = score(HAND_MODEL, { monthsSinceEstablishment: 30, taxGrade: 'C' });
    expect(result.reasons).toEqual([
      { feature: 'taxGrade', value: 'C', bin: 'C, D', points: 230, bestPoints: 300, pointsLost: 70 },
      {
        feature: 'monthsSinceEstablishment',
        value: 30,
        bin: '24 ≤ x < 60',
        points: 280,
        bestPoints: 300,
        pointsLost: 20,
      },
    ]);
    expect(
      score(HAND_MODEL, { monthsSinceEstablishment: 30, taxGrade: 'C' }, { maxReasons: 1 }).reasons,
    ).toHaveLength(1);
    expect(score(HAND_MODEL, { monthsSinceEstablishment: 61, taxGrade: 'A' }).reasons).toEqual([]);
  });

  it('scores a missing value, an absent feature and an unseen category in the missing bin', () => {
    expect(score(HAND_MODEL, { monthsSinceEstablishment: null, taxGrade: 'Z' }).score).toBe(240 + 230);
    expect(score(HAND_MODEL, {}).contributions.map(({ bin }) => bin)).toEqual(['missing', 'missing']);
  });

  it('refuses text for a numeric feature rather than guess', () => {
    expect(() => score(HAND_MODEL, { monthsSinceEstablishment: '30' })).toThrow(ScorecardInputError);
  });
});

describe('scorecardModelSchema', () => {
  const withMonthsBins = (bins: object[]) => ({
    ...HAND_MODEL,
    characteristics: [{ ...HAND_MODEL.characteristics[0], bins }],
  });

  it.each([
    ['a gap between numeric bins', withMonthsBins([bin(1, { upper: 24 }), bin(2, { lower: 30 })])],
    [
      'an upper bound on the last bin',
      withMonthsBins([bin(1, { upper: 24 }), bin(2, { lower: 24, upper: 99 })]),
    ],
    ['fractional points', withMonthsBins([bin(1.5, { upper: 24 }), bin(2, { lower: 24 })])],
    [
      'a category in two bins',
      {
        ...HAND_MODEL,
        characteristics: [
          {
            ...HAND_MODEL.characteristics[1],
            bins: [bin(1, { categories: ['A'] }), bin(2, { categories: ['A', 'B'] })],
          },
        ],
      },
    ],
  ])('rejects %s', (_, model) => {
    expect(() => parseScorecardModel(model)).toThrow();
  });
});

describe('the shipped model, models/scorecard-1.0.json', () => {
  const shipped = parseScorecardModel(
    JSON.parse(readFileSync(new URL('../../../models/scorecard-1.0.json', import.meta.url), 'utf8')),
  );
  const applicant = {
    monthsSinceEstablishment: 30,
    verifiedRevenue12m: 1_200_000,
    revenueGrowth: -0.15,
    revenueVolatility: 0.35,
    debtToRevenue: 0.6,
    inquiriesLast3Months: 4,
    overdueAccounts: 1,
    casesAsDefendant: 0,
    taxGrade: 'C',
    industry: 'H',
  };

  it('is valid and keeps the scale of the expert scorecard', () => {
    expect(shipped).toMatchObject({ version: 'scorecard-1.0', target: 'default', ...SCALE });
  });

  it('scores deterministically: the same inputs give the same result, equal to the sum of its bins', () => {
    const first = score(shipped, applicant);
    const second = score(structuredClone(shipped), { ...applicant });
    expect(second).toEqual(first);
    expect(first.score).toBe(first.contributions.reduce((sum, { points }) => sum + points, 0));
    expect(first.probabilityOfDefault).toBe(probabilityOfDefaultAt(first.score, shipped));
    expect(first.reasons.length).toBe(3);
  });

  it('gives an older, larger, cleaner enterprise a higher score and a lower PD', () => {
    const risky = score(shipped, applicant);
    const sound = score(shipped, {
      ...applicant,
      monthsSinceEstablishment: 120,
      verifiedRevenue12m: 20_000_000,
      debtToRevenue: 0,
      overdueAccounts: 0,
      taxGrade: 'A',
    });
    expect(sound.score).toBeGreaterThan(risky.score);
    expect(sound.probabilityOfDefault).toBeLessThan(risky.probabilityOfDefault);
  });

  it('gives numeric bins points that move one way only, as their WoE does', () => {
    for (const characteristic of shipped.characteristics.filter(({ type }) => type === 'numeric')) {
      const points = characteristic.bins.map((candidate) => candidate.points);
      const rising = points.every((value, i) => i === 0 || value >= (points[i - 1] ?? value));
      const falling = points.every((value, i) => i === 0 || value <= (points[i - 1] ?? value));
      expect(rising || falling, characteristic.feature).toBe(true);
    }
  });
});
