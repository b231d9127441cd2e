import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoApplicationStore } from '../../shared/adapters/dynamodb/application-store.js';
import { DynamoScoreSampleStore, monthsBetween } from '../../shared/adapters/dynamodb/score-sample-store.js';
import { keys, type TableContext } from '../../shared/adapters/dynamodb/table.js';
import { SCORECARD_MODEL } from '../../shared/domain/decisioning/index.js';
import type { ScoreResult } from '../../shared/domain/decisioning/types.js';
import type { ScoreSample } from '../../shared/ports/stores.js';
import { scoreDriftReport } from '../../shared/services/score-drift.js';
import { freshTable, seedApplication } from './table-fixture.js';

let table: TableContext;
let applications: DynamoApplicationStore;
let samples: DynamoScoreSampleStore;

beforeAll(async () => {
  table = await freshTable();
  applications = new DynamoApplicationStore(table);
  samples = new DynamoScoreSampleStore(table);
});

const AT = '2026-11-20T02:00:00.000Z';

function scored(value: number, modelVersion = SCORECARD_MODEL.version): ScoreResult {
  return { modelVersion, score: value, probabilityOfDefault: '0.0200', reasons: [] };
}

/** An application scored on `appliedOn`, through the Score stage's write. */
async function scoreOn(appliedOn: string, value: number, modelVersion?: string): Promise<ScoreSample> {
  const app = await seedApplication(table, 'ASSESSING');
  const sample = {
    applicationId: app.id,
    appliedOn,
    score: value,
    modelVersion: modelVersion ?? SCORECARD_MODEL.version,
  };
  await applications.saveScore(app.id, scored(value, sample.modelVersion), sample, AT);
  return sample;
}

async function samplesInMonth(month: string) {
  const { Items = [] } = await table.client.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.scoreSample(`${month}-01`, '').pk },
    }),
  );
  return Items;
}

describe('score samples', () => {
  it('are written with the score, once however often the stage runs', async () => {
    const sample = await scoreOn('2026-09-14', 587);
    await applications.saveScore(sample.applicationId, scored(587), sample, '2026-11-21T02:00:00.000Z');

    expect((await applications.get(sample.applicationId))?.assessment.score).toEqual(scored(587));
    expect(await samplesInMonth('2026-09')).toEqual([expect.objectContaining(sample)]);
  });

  it('are not written when the score is not (one transaction)', async () => {
    const orphan = {
      applicationId: crypto.randomUUID(),
      appliedOn: '2026-08-03',
      score: 600,
      modelVersion: 'x',
    };
    await expect(applications.saveScore(orphan.applicationId, scored(600), orphan, AT)).rejects.toThrow();
    expect(await samplesInMonth('2026-08')).toEqual([]);
  });

  it('are read by a window of dates across months, both ends included, without a scan', async () => {
    const dates = ['2026-10-30', '2026-10-31', '2026-11-01', '2026-11-30', '2026-12-01'];
    const written = [];
    for (const [index, date] of dates.entries()) written.push(await scoreOn(date, 540 + index));

    const found = await samples.between('2026-10-31', '2026-11-30');

    expect(found.map((sample) => sample.appliedOn)).toEqual(['2026-10-31', '2026-11-01', '2026-11-30']);
    expect(found[0]).toEqual(written[1]);
    expect(await samples.between('2027-01-01', '2027-01-31')).toEqual([]);
  });

  it('lists the month partitions of a window, across a year end', () => {
    expect(monthsBetween('2026-11-15', '2027-02-01')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthsBetween('2026-11-15', '2026-11-15')).toEqual(['2026-11']);
  });
});

describe('the drift report over stored samples', () => {
  it("compares the live model's scores in the window with its baseline and leaves other models' scores out", async () => {
    const cuts = SCORECARD_MODEL.scoreBaseline.cuts;
    // One score in every baseline bin, then one from a retired model.
    const values = [(cuts[0] as number) - 10, ...cuts];
    for (const value of values) await scoreOn('2026-07-10', value);
    await scoreOn('2026-07-11', 700, 'scorecard-0.9');

    const report = await scoreDriftReport(
      { scoreSamples: samples },
      { from: '2026-07-01', to: '2026-07-31' },
    );

    expect(report).toMatchObject({
      modelVersion: SCORECARD_MODEL.version,
      count: values.length,
      otherModelVersions: 1,
      verdict: 'STABLE',
    });
    expect(report.bins.map((bin) => bin.actualCount)).toEqual(new Array(values.length).fill(1));
    expect(report.bins.map((bin) => bin.expectedShare)).toEqual(SCORECARD_MODEL.scoreBaseline.shares);
    expect(report.psi).toBeLessThan(0.1);
  });
});
