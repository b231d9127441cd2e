import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoApplicationStore } from '../../shared/adapters/dynamodb/application-store.js';
import type { TableContext } from '../../shared/adapters/dynamodb/table.js';
import { assess } from '../../shared/domain/decisioning/index.js';
import { systemClock } from '../../shared/ports/clock.js';
import { decideApplication } from '../../shared/services/decide-application.js';
import { AS_OF, collected } from '../unit/decisioning/builders.js';
import { freshTable, seedApplication } from './table-fixture.js';

let table: TableContext;
let applications: DynamoApplicationStore;

beforeAll(async () => {
  table = await freshTable();
  applications = new DynamoApplicationStore(table);
});

describe('the Decide stage', () => {
  it('writes one decision and one event when Step Functions retries it after it succeeded', async () => {
    const app = await seedApplication(table, 'ASSESSING');
    const result = assess({ ...app.applicant, requestedAmount: '2000000.00' }, collected(), AS_OF);
    const at = new Date().toISOString();
    for (const part of ['identity', 'features', 'screening', 'score', 'pricing'] as const) {
      await applications.saveAssessment(app.id, part, result[part] as never, at);
    }
    const deps = { applications, clock: systemClock };

    const first = await decideApplication(deps, app.id);
    const retried = await decideApplication(deps, app.id);

    expect(first.outcome).toBe('APPROVE');
    expect(retried).toEqual(first);
    const decided = (await applications.timeline(app.id)).filter((e) => e.type === 'application.decided');
    expect(decided).toHaveLength(1);
  });
});
