import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ScoreSample, ScoreSampleStore } from '../../ports/stores.js';
import { keys, type TableContext } from './table.js';

/**
 * Score samples for drift monitoring: one item per scored application under a partition per
 * month of its business date (`SCORES#2026-11`), sorted by date, so a date window is one Query
 * per month, never a scan. The application store writes the item in the Score stage's
 * transaction (`scoreSampleItem`). A month holds one small item per application: DynamoDB's
 * 1,000 writes a second per partition is far above any bank's application rate.
 */
export function scoreSampleItem(sample: ScoreSample): Record<string, unknown> {
  return { ...keys.scoreSample(sample.appliedOn, sample.applicationId), entity: 'SCORE_SAMPLE', ...sample };
}

/** The months ("YYYY-MM") from the month of `from` to the month of `to`, inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  const last = to.slice(0, 7);
  for (;;) {
    const current = `${year}-${String(month).padStart(2, '0')}`;
    if (current > last) return months;
    months.push(current);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
}

export class DynamoScoreSampleStore implements ScoreSampleStore {
  constructor(private readonly table: TableContext) {}

  async between(from: string, to: string): Promise<ScoreSample[]> {
    const perMonth = await Promise.all(monthsBetween(from, to).map((month) => this.month(month, from, to)));
    return perMonth.flat();
  }

  private async month(month: string, from: string, to: string): Promise<ScoreSample[]> {
    const samples: ScoreSample[] = [];
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.table.client.send(
        new QueryCommand({
          TableName: this.table.tableName,
          // "~" sorts after every character of an application id, so `to` is inclusive.
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': keys.scoreSample(`${month}-01`, '').pk,
            ':from': from,
            ':to': `${to}#~`,
          },
          ProjectionExpression: 'applicationId, appliedOn, score, modelVersion',
          ExclusiveStartKey: cursor,
        }),
      );
      for (const item of page.Items ?? []) {
        samples.push({
          applicationId: String(item.applicationId),
          appliedOn: String(item.appliedOn),
          score: Number(item.score),
          modelVersion: String(item.modelVersion),
        });
      }
      cursor = page.LastEvaluatedKey;
    } while (cursor);
    return samples;
  }
}
