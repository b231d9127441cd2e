import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoApplicationStore } from '../../shared/adapters/dynamodb/application-store.js';
import { DynamoAuditLog } from '../../shared/adapters/dynamodb/audit-log.js';
import { DynamoLoanStore } from '../../shared/adapters/dynamodb/loan-store.js';
import { keys, type TableContext } from '../../shared/adapters/dynamodb/table.js';
import { ControllableClock } from '../../shared/adapters/local/controllable-clock.js';
import { SimulatedCoreBanking } from '../../shared/adapters/simulated/core-banking.js';
import { activate } from '../../shared/services/activate.js';
import type { Dependencies } from '../../shared/services/dependencies.js';
import { freshTable, seedApplication } from './table-fixture.js';

export const money = (amount: string) => ({ amount, currency: 'CNY' as const });

export type ServicingDeps = Pick<Dependencies, 'applications' | 'loans' | 'coreBanking' | 'clock' | 'audit'>;

/**
 * A fresh table with the servicing stores, the simulated core bank on it, and a clock frozen at
 * 10:00 in Shanghai on 2026-11-20 that only moves when a test moves it.
 */
export async function servicingWorld() {
  const table: TableContext = await freshTable();
  const start = Date.parse('2026-11-20T02:00:00.000Z');
  const clock = new ControllableClock(() => start);
  const coreBanking = new SimulatedCoreBanking(table, clock);
  const deps: ServicingDeps = {
    applications: new DynamoApplicationStore(table),
    loans: new DynamoLoanStore(table),
    audit: new DynamoAuditLog(table),
    coreBanking,
    clock,
  };

  /** A credit line of 250,000.00 whose first draw (50,000.00) the workflow has just paid out. */
  async function openLine(invocationId = 'activate-invocation-1') {
    const app = await seedApplication(table, 'DISBURSING');
    await table.client.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...keys.application(app.id),
          entity: 'APPLICATION',
          ...app,
          applicant: { ...app.applicant, product: 'REVOLVING_LINE', requestedAmount: '50000.00' },
        },
      }),
    );
    return activate(deps, {
      applicationId: app.id,
      invocationId,
      disbursement: {
        transferId: 'TRF-first',
        amount: money('50000.00'),
        disbursedAt: clock.now().toISOString(),
      },
    });
  }

  return { table, clock, coreBanking, deps, openLine };
}
