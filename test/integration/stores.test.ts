import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoApplicationStore } from '../../shared/adapters/dynamodb/application-store.js';
import { DynamoLoanStore } from '../../shared/adapters/dynamodb/loan-store.js';
import type { TableContext } from '../../shared/adapters/dynamodb/table.js';
import { ConflictError } from '../../shared/domain/errors.js';
import { Money } from '../../shared/domain/money.js';
import { openLoanRecord } from '../../shared/services/loan-servicing.js';
import { freshTable, seedApplication } from './table-fixture.js';

let table: TableContext;
let applications: DynamoApplicationStore;
let loans: DynamoLoanStore;

beforeAll(async () => {
  table = await freshTable();
  applications = new DynamoApplicationStore(table);
  loans = new DynamoLoanStore(table);
});

describe('application store', () => {
  it('lets only one of two concurrent transitions from the same status win', async () => {
    const app = await seedApplication(table, 'OFFERED');
    const at = new Date().toISOString();

    const results = await Promise.allSettled([
      applications.transition({ applicationId: app.id, from: 'OFFERED', to: 'OFFER_ACCEPTED', at }),
      applications.transition({ applicationId: app.id, from: 'OFFERED', to: 'EXPIRED', at }),
    ]);

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect(rejected && rejected.status === 'rejected' && rejected.reason).toBeInstanceOf(ConflictError);
  });

  it('refuses an illegal transition without writing', async () => {
    const app = await seedApplication(table, 'DECLINED');

    await expect(
      applications.transition({
        applicationId: app.id,
        from: 'DECLINED',
        to: 'OFFERED',
        at: new Date().toISOString(),
      }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await applications.get(app.id))?.status).toBe('DECLINED');
  });

  it('writes the event in the same transaction as the change', async () => {
    const app = await seedApplication(table, 'OFFERED');
    const at = new Date().toISOString();
    const event = {
      eventId: crypto.randomUUID(),
      type: 'offer.accepted',
      occurredAt: at,
      applicationId: app.id,
      uscc: app.applicant.uscc,
      data: {},
    };

    await applications.transition({
      applicationId: app.id,
      from: 'OFFERED',
      to: 'OFFER_ACCEPTED',
      events: [event],
      at,
    });
    await expect(
      applications.transition({
        applicationId: app.id,
        from: 'OFFERED',
        to: 'OFFER_ACCEPTED',
        events: [{ ...event, eventId: 'x' }],
        at,
      }),
    ).rejects.toBeInstanceOf(ConflictError);

    expect(await applications.timeline(app.id)).toEqual([{ type: 'offer.accepted', at }]);
  });
});

describe('atomicity', () => {
  it('leaves the status unchanged when the event of the same transaction cannot be written', async () => {
    const app = await seedApplication(table, 'OFFERED');
    const at = new Date().toISOString();
    // An item over DynamoDB's 400 KB limit makes the event's write, and so the transaction, fail.
    const oversized = {
      eventId: 'big',
      type: 'offer.accepted',
      occurredAt: at,
      applicationId: app.id,
      uscc: app.applicant.uscc,
      data: { filler: 'x'.repeat(410_000) },
    };

    await expect(
      applications.transition({
        applicationId: app.id,
        from: 'OFFERED',
        to: 'OFFER_ACCEPTED',
        events: [oversized],
        at,
      }),
    ).rejects.toThrow();

    expect((await applications.get(app.id))?.status).toBe('OFFERED');
    expect(await applications.timeline(app.id)).toEqual([]);
  });

  it('refuses a second writer of a field that must still be absent', async () => {
    const app = await seedApplication(table, 'IN_REVIEW');
    const at = new Date().toISOString();
    const decision = (by: string) =>
      applications.transition({
        applicationId: app.id,
        from: 'IN_REVIEW',
        to: 'IN_REVIEW',
        set: { purpose: by },
        unlessSet: ['loanId'],
        at,
      });
    await decision('first');
    await applications.transition({
      applicationId: app.id,
      from: 'IN_REVIEW',
      to: 'IN_REVIEW',
      set: { loanId: 'LN-x' },
      at,
    });
    await expect(decision('second')).rejects.toBeInstanceOf(ConflictError);
    expect((await applications.get(app.id))?.purpose).toBe('first');
  });
});

describe('loan store', () => {
  it('lists active loans by shard and records one monitoring visit per loan and business date', async () => {
    const app = await seedApplication(table, 'DISBURSING');
    const { loan } = openLoanRecord({
      loanId: `LN-${app.id}`,
      applicationId: app.id,
      uscc: app.applicant.uscc,
      product: 'TERM_LOAN',
      amount: Money.parse('250000.00'),
      annualRate: '0.0520',
      termMonths: 12,
      repaymentMethod: 'EQUAL_INSTALMENT',
      dueDay: 20,
      transferId: 'TRF-1',
      disbursedAt: '2026-11-20T02:00:00.000Z',
    });
    await loans.activate({
      loan,
      journal: [],
      application: { applicationId: app.id, from: 'DISBURSING', to: 'DISBURSED', at: loan.disbursedAt },
    });
    await expect(
      loans.activate({
        loan,
        journal: [],
        application: { applicationId: app.id, from: 'DISBURSING', to: 'DISBURSED', at: loan.disbursedAt },
      }),
    ).rejects.toBeInstanceOf(ConflictError);

    const found = [];
    for (let shard = 0; shard < loans.activeLoanShards; shard++)
      found.push(...(await loans.activeLoans(shard)).loans);
    expect(found.map((l) => l.loanId)).toContain(loan.loanId);

    expect(await loans.recordMonitoringRun(loan.loanId, '2026-11-21', new Date().toISOString(), {})).toBe(
      true,
    );
    expect(await loans.recordMonitoringRun(loan.loanId, '2026-11-21', new Date().toISOString(), {})).toBe(
      false,
    );
    expect((await loans.getLoan(loan.loanId))?.lastMonitoredOn).toBe('2026-11-21');
  });
});
