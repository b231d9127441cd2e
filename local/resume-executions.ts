import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { TableContext } from '../shared/adapters/dynamodb/table.js';
import type { ApplicationRecord, ApplicationStatus } from '../shared/domain/application.js';
import { DEADLINE_SAFETY_MARGIN_SECONDS } from '../shared/domain/policy/waits.js';
import type { LocalWorkflow } from './workflow.js';

const FINISHED: ApplicationStatus[] = ['DISBURSED', 'DECLINED', 'EXPIRED', 'FAILED'];

/**
 * Where an unfinished application's workflow stands, by its stored status, and whether that
 * state was waiting on a callback. State names are those of infra/workflow/definition.ts.
 */
function resumePoint(app: ApplicationRecord): { state?: string; waiting: boolean } {
  const waitingOn = (kind: 'REVIEW' | 'OFFER' | 'SIGNATURE') => app.pendingTask?.kind === kind;
  switch (app.status) {
    case 'SUBMITTED':
      return { waiting: false };
    case 'ASSESSING':
      // Approved before the restart, not yet offered: the assessment is done and must not rerun.
      return app.decision?.outcome === 'APPROVE'
        ? { state: 'MakeOffer', waiting: false }
        : { waiting: false };
    case 'IN_REVIEW':
      if (app.decision?.outcome === 'APPROVE') return { state: 'MakeOffer', waiting: false };
      return { state: 'RequestReview', waiting: waitingOn('REVIEW') };
    case 'OFFERED':
      return { state: 'MakeOffer', waiting: waitingOn('OFFER') };
    case 'OFFER_ACCEPTED':
      return { state: 'RequestSignature', waiting: false };
    case 'AWAITING_SIGNATURE':
      return { state: 'RequestSignature', waiting: waitingOn('SIGNATURE') };
    default:
      return { state: 'Disburse', waiting: false };
  }
}

/**
 * `npm start` keeps applications in DynamoDB Local between runs, but executions live in the
 * process. On start, every unfinished application's workflow is resumed where its status
 * says it stood: waits continue on the application's own token and deadline, other states
 * run again (every stage tolerates a re-run). Returns how many were resumed.
 */
export async function resumeUnfinishedApplications(
  table: TableContext,
  workflow: LocalWorkflow,
): Promise<number> {
  let resumed = 0;
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await table.client.send(
      new ScanCommand({
        TableName: table.tableName,
        FilterExpression: 'entity = :application',
        ExpressionAttributeValues: { ':application': 'APPLICATION' },
        ExclusiveStartKey: cursor,
      }),
    );
    for (const app of (page.Items ?? []) as ApplicationRecord[]) {
      if (FINISHED.includes(app.status)) continue;
      const input = { applicationId: app.id };
      const { state, waiting } = resumePoint(app);
      if (!state) await workflow.start(app.id, input);
      else if (waiting && app.pendingTask) {
        const deadline = Date.parse(app.pendingTask.expiresAt) + DEADLINE_SAFETY_MARGIN_SECONDS * 1000;
        await workflow.resume(app.id, input, state, { token: app.pendingTask.token, deadline });
      } else await workflow.resume(app.id, input, state);
      resumed++;
    }
    cursor = page.LastEvaluatedKey;
  } while (cursor);
  return resumed;
}
