import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoApplicationStore } from '../../shared/adapters/dynamodb/application-store.js';
import { DynamoDisbursementStore } from '../../shared/adapters/dynamodb/disbursement-store.js';
import type { TableContext } from '../../shared/adapters/dynamodb/table.js';
import { lambdaContext } from '../../shared/adapters/local/lambda-context.js';
import { SimulatedCoreBanking } from '../../shared/adapters/simulated/core-banking.js';
import { provideDependencies } from '../../shared/adapters/wiring.js';
import { systemClock } from '../../shared/ports/clock.js';
import type { TransferRequest } from '../../shared/ports/core-banking.js';
import type { Workflow } from '../../shared/ports/workflow.js';
import { freshTable, seedApplication } from './table-fixture.js';

/** Records the callbacks the worker sends; a real token is accepted once, as Step Functions does. */
class RecordingWorkflow implements Workflow {
  readonly successes: { token: string; output: Record<string, unknown> }[] = [];
  async start() {}
  async sendTaskSuccess(token: string, output: Record<string, unknown>) {
    const first = !this.successes.some((s) => s.token === token);
    this.successes.push({ token, output });
    return first;
  }
  async sendTaskFailure() {
    return false;
  }
}

function record(body: unknown, messageId: string): SQSRecord {
  return {
    messageId,
    receiptHandle: messageId,
    body: JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:disbursement',
    awsRegion: 'us-east-1',
  };
}

let table: TableContext;
let coreBanking: SimulatedCoreBanking;
let workflow: RecordingWorkflow;
const transferRequests: string[] = [];
let handler: (
  event: SQSEvent,
  context: ReturnType<typeof lambdaContext>,
) => Promise<{ batchItemFailures: unknown[] }>;

beforeAll(async () => {
  table = await freshTable();
  coreBanking = new SimulatedCoreBanking(table, systemClock);
  workflow = new RecordingWorkflow();
  provideDependencies({
    applications: new DynamoApplicationStore(table),
    disbursements: new DynamoDisbursementStore(table),
    // Counts the worker's transfer requests: the core bank's own deduplication must not be
    // what keeps a completed disbursement from being requested again.
    coreBanking: Object.assign(Object.create(coreBanking) as SimulatedCoreBanking, {
      transfer: (request: TransferRequest) => {
        transferRequests.push(request.reference);
        return coreBanking.transfer(request);
      },
    }),
    workflow,
    clock: systemClock,
  });
  ({ handler } = await import('../../functions/workers/disburse/handler.js'));
});

describe('disbursement worker', () => {
  it('books one transfer for a message delivered twice in a batch and once more later', async () => {
    const app = await seedApplication(table, 'CONTRACT_SIGNED');
    const message = { applicationId: app.id, taskToken: `token-${app.id}` };

    const first = await handler(
      { Records: [record(message, 'm1'), record(message, 'm2')] },
      lambdaContext('worker'),
    );
    const requestsBeforeLater = transferRequests.length;
    const later = await handler({ Records: [record(message, 'm3')] }, lambdaContext('worker'));

    expect(first.batchItemFailures).toEqual([]);
    expect(later.batchItemFailures).toEqual([]);
    // Once the disbursement is COMPLETED the worker only repeats the callback.
    expect(transferRequests.length).toBe(requestsBeforeLater);
    const transfers = await coreBanking.transfers(`DSB-${app.id}`);
    expect(transfers).toHaveLength(1);
    expect(transfers[0]?.amount).toEqual({ amount: '250000.00', currency: 'CNY' });
    const reports = workflow.successes.filter((s) => s.token === message.taskToken);
    expect(new Set(reports.map((r) => r.output.transferId))).toEqual(new Set([transfers[0]?.transferId]));
  });

  it('books one transfer when two workers take the same message at once', async () => {
    const app = await seedApplication(table, 'CONTRACT_SIGNED');
    const message = { applicationId: app.id, taskToken: `token-${app.id}` };

    await Promise.all(
      ['a', 'b', 'c'].map((worker) =>
        handler({ Records: [record(message, worker)] }, lambdaContext(`worker-${worker}`)),
      ),
    );

    expect(await coreBanking.transfers(`DSB-${app.id}`)).toHaveLength(1);
  });

  it('reports a malformed message as a batch item failure instead of swallowing it', async () => {
    const result = await handler(
      { Records: [record({ applicationId: 'not-a-uuid' }, 'bad')] },
      lambdaContext('worker'),
    );

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }]);
  });
});
