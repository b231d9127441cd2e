import { createHash, randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoApplicationStore } from '../../shared/adapters/dynamodb/application-store.js';
import { auditRecordItem, DynamoAuditLog } from '../../shared/adapters/dynamodb/audit-log.js';
import { DynamoBlacklistStore } from '../../shared/adapters/dynamodb/blacklist-store.js';
import { DynamoLoanStore } from '../../shared/adapters/dynamodb/loan-store.js';
import { keys, type TableContext } from '../../shared/adapters/dynamodb/table.js';
import { ControllableClock } from '../../shared/adapters/local/controllable-clock.js';
import { SimulatedCoreBanking } from '../../shared/adapters/simulated/core-banking.js';
import type { ApplicationRecord } from '../../shared/domain/application.js';
import { type AuditRecord, appendToChain, recordHash } from '../../shared/domain/audit.js';
import type { Product } from '../../shared/domain/decisioning/types.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../shared/domain/errors.js';
import { toProblem } from '../../shared/http/problem.js';
import { AlreadyListedError, type BlacklistEntry } from '../../shared/ports/stores.js';
import { activate } from '../../shared/services/activate.js';
import { type Actor, textDigest } from '../../shared/services/audit-trail.js';
import { decideReview } from '../../shared/services/decide-review.js';
import type { Dependencies } from '../../shared/services/dependencies.js';
import { disburseDrawdown, requestDrawdown } from '../../shared/services/draw-down.js';
import { addToBlacklist, removeFromBlacklist } from '../../shared/services/manage-blacklist.js';
import { listAudit, verifyAuditTrail } from '../../shared/services/read-audit.js';
import { writeOffLoan } from '../../shared/services/write-off.js';
import { freshTable, seedApplication } from './table-fixture.js';

type Deps = Pick<
  Dependencies,
  'applications' | 'loans' | 'blacklist' | 'audit' | 'clock' | 'secrets' | 'workflow' | 'coreBanking'
>;

let table: TableContext;
let clock: ControllableClock;
let deps: Deps;

beforeEach(async () => {
  table = await freshTable();
  const start = Date.parse('2026-11-20T02:00:00.000Z');
  clock = new ControllableClock(() => start);
  deps = {
    applications: new DynamoApplicationStore(table),
    loans: new DynamoLoanStore(table),
    blacklist: new DynamoBlacklistStore(table),
    audit: new DynamoAuditLog(table),
    clock,
    coreBanking: new SimulatedCoreBanking(table, clock),
    secrets: { get: async () => 'integration-digest-key', partnerPushSecret: async () => undefined },
    workflow: { start: async () => {}, sendTaskSuccess: async () => true, sendTaskFailure: async () => true },
  };
});

const money = (amount: string) => ({ amount, currency: 'CNY' as const });
const as = (subject: string, role: Actor['role']): Actor => ({
  subject,
  role,
  correlationId: `req-${randomUUID()}`,
});
const admin = as('admin-zhao', 'admin');
const approver = as('approver-li', 'approver');
const officer = as('officer-wang', 'officer');

async function chain(): Promise<AuditRecord[]> {
  const head = await deps.audit.head();
  return head.sequence ? deps.audit.range(1, head.sequence) : [];
}

async function putApplication(app: ApplicationRecord) {
  await table.client.send(
    new PutCommand({
      TableName: table.tableName,
      Item: { ...keys.application(app.id), entity: 'APPLICATION', ...app },
    }),
  );
}

/** A disbursed application of `product`, booked by the Activate stage. */
async function booked(product: Product) {
  const app = await seedApplication(table, 'DISBURSING');
  await putApplication({ ...app, applicant: { ...app.applicant, product, requestedAmount: '50000.00' } });
  return activate(deps, {
    applicationId: app.id,
    invocationId: `activate-${app.id}`,
    disbursement: {
      transferId: `TRF-${app.id}`,
      amount: money('50000.00'),
      disbursedAt: clock.now().toISOString(),
    },
  });
}

/** A referred application waiting for an officer, the system proposing `limit`. */
async function referred(limit: string) {
  const app = await seedApplication(table, 'IN_REVIEW');
  const at = clock.now().toISOString();
  const waiting: ApplicationRecord = {
    ...app,
    pendingTask: { kind: 'REVIEW', token: `token-${app.id}`, expiresAt: '2026-11-23T02:00:00.000Z' },
    assessment: {
      systemDecision: {
        outcome: 'REFER',
        reasons: [],
        limit,
        annualRate: '0.0520',
        termMonths: 12,
        versions: {
          identityPolicy: 'i',
          accessPolicy: 'a',
          features: 'f',
          model: 'm',
          lpr: 'l',
          pricingPolicy: 'p',
          decisionPolicy: 'd',
        },
        decidedAt: at,
        decidedBy: 'system',
      },
    },
  };
  await putApplication(waiting);
  return waiting;
}

describe('the audit record of each change', () => {
  it('records the opening of a credit line with its limit, by system:activate, and nothing for a term loan', async () => {
    // Act
    const line = await booked('REVOLVING_LINE');
    await booked('TERM_LOAN');
    // Assess
    const records = await chain();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      sequence: 1,
      action: 'credit-line.opened',
      entityType: 'CREDIT_LINE',
      entityId: line.creditLineId,
      actor: { subject: 'system:activate', role: 'system' },
      before: null,
      after: { status: 'ACTIVE', limit: '250000.00', uscc: '91350102MA31K7Q230' },
    });
    expect(records[0]?.correlationId).toMatch(/^activate-/);
  });

  it('records a write-off with the freeze of its line in one transaction, and the write-off alone once the line is frozen', async () => {
    // Prepare: a line with its first loan and a second draw-down.
    const line = await booked('REVOLVING_LINE');
    const creditLineId = line.creditLineId as string;
    const { drawdown } = await requestDrawdown(deps, {
      principal: { subject: 'enterprise-test', role: 'enterprise', uscc: '91350102MA31K7Q230' },
      creditLineId,
      idempotencyKey: 'audit-draw-0001',
      request: { amount: money('10000.00'), termMonths: 3, repaymentMethod: 'DAILY_REVOLVING' },
    });
    await disburseDrawdown(deps, drawdown);
    const second = (await deps.loans.getDrawdown(creditLineId, drawdown.drawdownId))?.loanId as string;

    // Act
    const written = await writeOffLoan(deps, approver, line.loanId, 'uncollectable after litigation');
    const later = as('approver-li', 'approver');
    await writeOffLoan(deps, later, second, 'fraud');

    // Assess
    const [, loanRecord, lineRecord, secondRecord, ...rest] = await chain();
    expect(rest).toEqual([]);
    expect(loanRecord).toMatchObject({
      sequence: 2,
      action: 'loan.written-off',
      entityType: 'LOAN',
      entityId: line.loanId,
      actor: { subject: 'approver-li', role: 'approver' },
      correlationId: approver.correlationId,
      before: { status: 'ACTIVE' },
      after: {
        status: 'WRITTEN_OFF',
        amount: written.writtenOff?.amount,
        writtenOffOn: '2026-11-20',
        reasonSha256: textDigest('uncollectable after litigation'),
      },
    });
    expect(lineRecord).toMatchObject({
      sequence: 3,
      action: 'credit-line.frozen',
      entityId: creditLineId,
      correlationId: approver.correlationId,
      before: { status: 'ACTIVE' },
      after: { status: 'FROZEN', frozenBy: { action: 'loan.written-off', loanId: line.loanId } },
      prevHash: loanRecord?.hash,
    });
    expect(secondRecord).toMatchObject({ sequence: 4, entityId: second, correlationId: later.correlationId });
    expect((await deps.loans.getCreditLine(creditLineId))?.status).toBe('FROZEN');
  });

  it('records blacklist changes with masked numbers and digests of the reasons, never the clear values', async () => {
    // Act
    const entry = await addToBlacklist(deps, {
      actor: admin,
      request: { kind: 'PERSON', value: '350102197903121357', reason: '林志远: forged documents' },
    });
    await removeFromBlacklist(deps, { actor: admin, entryId: entry.entryId, reason: 'cleared by court' });
    // Assess
    const records = await chain();
    expect(records.map((r) => r.action)).toEqual(['blacklist.added', 'blacklist.removed']);
    expect(records[0]).toMatchObject({
      entityType: 'BLACKLIST_ENTRY',
      entityId: entry.entryId,
      before: null,
      after: {
        kind: 'PERSON',
        display: '3501**********1357',
        status: 'ACTIVE',
        reasonSha256: createHash('sha256').update('林志远: forged documents').digest('hex'),
      },
    });
    expect(records[1]).toMatchObject({
      before: { status: 'ACTIVE' },
      after: { status: 'REMOVED', removalReasonSha256: textDigest('cleared by court') },
    });
    const text = JSON.stringify(records);
    for (const clear of ['350102197903121357', '林志远', 'forged', 'cleared by court'])
      expect(text).not.toContain(clear);
  });

  it('records review decisions: a decision, and a proposal with its confirmation by a second person', async () => {
    // Prepare
    const small = await referred('300000.00');
    const large = await referred('1500000.00');
    // Act
    await decideReview(deps, {
      actor: officer,
      applicationId: small.id,
      request: { outcome: 'APPROVE', comment: 'checked the invoices' },
    });
    await decideReview(deps, {
      actor: officer,
      applicationId: large.id,
      request: { outcome: 'APPROVE', comment: 'strong cash flow' },
    });
    await decideReview(deps, {
      actor: approver,
      applicationId: large.id,
      request: { outcome: 'APPROVE', limit: money('1200000.00'), comment: 'confirmed at a lower limit' },
    });
    // Assess
    const [decided, proposed, confirmed, ...rest] = await chain();
    expect(rest).toEqual([]);
    expect(decided).toMatchObject({
      action: 'review.decided',
      entityId: small.id,
      actor: { subject: 'officer-wang', role: 'officer' },
      before: { status: 'IN_REVIEW', pendingApproval: null },
      after: { status: 'IN_REVIEW', outcome: 'APPROVE', limit: '300000.00', decidedBy: 'officer-wang' },
    });
    expect(proposed).toMatchObject({
      action: 'review.proposed',
      entityId: large.id,
      before: { pendingApproval: null },
      after: {
        pendingApproval: { by: 'officer-wang', limit: '1500000.00' },
        commentSha256: textDigest('strong cash flow'),
      },
    });
    expect(confirmed).toMatchObject({
      action: 'review.confirmed',
      entityId: large.id,
      actor: { subject: 'approver-li', role: 'approver' },
      before: { pendingApproval: { by: 'officer-wang', limit: '1500000.00' } },
      after: { outcome: 'APPROVE', limit: '1200000.00', approvedBy: ['officer-wang', 'approver-li'] },
    });
    expect(JSON.stringify([decided, proposed, confirmed])).not.toContain('福州闽江源商贸有限公司');
  });
});

describe('a change that does not happen', () => {
  it('writes no record when the action is refused or only repeated', async () => {
    // Prepare
    const entry = await addToBlacklist(deps, {
      actor: admin,
      request: { kind: 'MOBILE', value: '13905910001', reason: 'fraud ring' },
    });
    const loan = await booked('TERM_LOAN');
    await writeOffLoan(deps, approver, loan.loanId, 'fraud');
    const large = await referred('1500000.00');
    await decideReview(deps, {
      actor: officer,
      applicationId: large.id,
      request: { outcome: 'APPROVE', comment: 'strong cash flow' },
    });
    const before = await deps.audit.head();

    // Act / Assess: each is refused, or answered as before, and writes nothing.
    await expect(
      addToBlacklist(deps, {
        actor: as('admin-qian', 'admin'),
        request: { kind: 'MOBILE', value: '13905910001', reason: 'again' },
      }),
    ).rejects.toBeInstanceOf(AlreadyListedError);
    await expect(
      addToBlacklist(deps, {
        actor: admin,
        request: { kind: 'MOBILE', value: '13905910001', reason: 'fraud ring' },
      }),
    ).resolves.toMatchObject({ entryId: entry.entryId });
    await removeFromBlacklist(deps, { actor: admin, entryId: entry.entryId, reason: 'cleared' });
    const afterRemoval = await deps.audit.head();
    await expect(
      removeFromBlacklist(deps, { actor: admin, entryId: entry.entryId, reason: 'twice' }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      removeFromBlacklist(deps, { actor: admin, entryId: randomUUID(), reason: 'none' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(writeOffLoan(deps, approver, loan.loanId, 'again')).rejects.toBeInstanceOf(ConflictError);
    await expect(
      decideReview(deps, {
        actor: officer,
        applicationId: large.id,
        request: { outcome: 'APPROVE', limit: money('1000.00'), comment: 'my own proposal' },
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      decideReview(deps, {
        actor: as('officer-chen', 'officer'),
        applicationId: large.id,
        request: { outcome: 'APPROVE', comment: 'an officer cannot confirm' },
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      decideReview(deps, {
        actor: officer,
        applicationId: large.id,
        request: { outcome: 'APPROVE', comment: 'the same proposal again' },
      }),
    ).resolves.toMatchObject({ pendingApproval: { by: 'officer-wang' } });

    expect(afterRemoval.sequence).toBe(before.sequence + 1);
    expect(await deps.audit.head()).toEqual(afterRemoval);
  });

  it('refuses the change itself when its audit record cannot be written', async () => {
    // Prepare: a record 2 put where the chain will grow next, as a forger (or a bug) would.
    const line = await booked('REVOLVING_LINE');
    const head = await deps.audit.head();
    const [forged] = appendToChain(head, {
      changes: [
        { action: 'blacklist.added', entityType: 'BLACKLIST_ENTRY', entityId: 'x', before: null, after: {} },
      ],
      actor: { subject: 'someone', role: 'admin' },
      correlationId: 'forged',
      at: clock.now().toISOString(),
      newId: randomUUID,
    }).records;
    await table.client.send(
      new PutCommand({ TableName: table.tableName, Item: auditRecordItem(forged as AuditRecord) }),
    );

    // Act
    const [writeOff, listing] = await Promise.allSettled([
      writeOffLoan(deps, approver, line.loanId, 'fraud'),
      addToBlacklist(deps, {
        actor: admin,
        request: { kind: 'MOBILE', value: '13905910002', reason: 'fraud ring' },
      }),
    ]);

    // Assess: both answer 409, and neither the loan, the line nor the list changed.
    for (const outcome of [writeOff, listing])
      expect(outcome.status === 'rejected' && outcome.reason).toBeInstanceOf(ConflictError);
    expect((await deps.loans.getLoan(line.loanId))?.status).toBe('ACTIVE');
    expect((await deps.loans.getCreditLine(line.creditLineId as string))?.status).toBe('ACTIVE');
    expect(await deps.blacklist.listActive(10)).toEqual([]);
    expect(await deps.audit.head()).toEqual(head);
    // And the verification points at the record no transaction of the system wrote.
    expect(await verifyAuditTrail(deps, { fromSequence: 1, limit: 100 })).toMatchObject({
      intact: false,
      verifiedThrough: 1,
      firstBreak: { sequence: 2, kind: 'RELINKED' },
    });
    // A head rewritten to cover it is caught too: record 2 is not the record the head hashed.
    await table.client.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...keys.auditHead, sequence: 2, hash: 'f'.repeat(64) },
      }),
    );
    expect(await verifyAuditTrail(deps, { fromSequence: 1, limit: 100 })).toMatchObject({
      intact: false,
      firstBreak: { sequence: 2, kind: 'EDITED' },
    });
  });
});

describe('concurrent staff actions', () => {
  it('keep the chain gap-free and verifiable, each answered as a success or a 4xx', async () => {
    // Prepare: three term loans, a line with its loan, and two listed numbers to remove.
    const loans = await Promise.all([booked('TERM_LOAN'), booked('TERM_LOAN'), booked('TERM_LOAN')]);
    const line = await booked('REVOLVING_LINE');
    const listed: BlacklistEntry[] = [];
    for (const value of ['13905919001', '13905919002'])
      listed.push(
        await addToBlacklist(deps, { actor: admin, request: { kind: 'MOBILE', value, reason: 'listed' } }),
      );
    const before = (await deps.audit.head()).sequence;

    // Act: eighteen at once, some of them racing for the same thing.
    const actions: { name: string; records: number; run: () => Promise<unknown> }[] = [
      ...Array.from({ length: 8 }, (_, k) => ({
        name: `list ${k}`,
        records: 1,
        run: () =>
          addToBlacklist(deps, {
            actor: as(`admin-${k}`, 'admin'),
            request: { kind: 'MOBILE', value: `1390591100${k}`, reason: `ring ${k}` },
          }),
      })),
      ...['admin-a', 'admin-b'].map((subject) => ({
        name: `list the same by ${subject}`,
        records: 1,
        run: () =>
          addToBlacklist(deps, {
            actor: as(subject, 'admin'),
            request: { kind: 'MOBILE', value: '13905912000', reason: subject },
          }),
      })),
      ...loans.map(({ loanId }) => ({
        name: `write off ${loanId}`,
        records: 1,
        run: () => writeOffLoan(deps, as('approver-li', 'approver'), loanId, 'fraud'),
      })),
      {
        name: 'write off the line’s loan',
        records: 2,
        run: () => writeOffLoan(deps, approver, line.loanId, 'fraud'),
      },
      ...listed.map((entry) => ({
        name: `remove ${entry.entryId}`,
        records: 1,
        run: () => removeFromBlacklist(deps, { actor: admin, entryId: entry.entryId, reason: 'cleared' }),
      })),
      ...[1, 2].map((n) => ({
        name: `remove the first again (${n})`,
        records: 1,
        run: () =>
          removeFromBlacklist(deps, {
            actor: as(`admin-r${n}`, 'admin'),
            entryId: listed[0]?.entryId ?? '',
            reason: 'x',
          }),
      })),
    ];
    const settled = await Promise.allSettled(actions.map((action) => action.run()));

    // Assess: no 5xx, and exactly the records of what succeeded, numbered without a gap.
    const statuses = settled.map((result) =>
      result.status === 'fulfilled' ? 200 : toProblem(result.reason).status,
    );
    for (const [i, status] of statuses.entries()) expect(status, actions[i]?.name).toBeLessThan(500);
    const expectedRecords = actions.reduce(
      (sum, action, i) => sum + (statuses[i] === 200 ? action.records : 0),
      0,
    );
    const records = await chain();
    expect(records.map((r) => r.sequence)).toEqual(records.map((_, i) => i + 1));
    expect(records.length - before).toBe(expectedRecords);
    expect(await verifyAuditTrail(deps, { fromSequence: 1, limit: 1000 })).toMatchObject({
      intact: true,
      verifiedThrough: records.length,
    });
    // The races each have exactly one winner (the same value listed twice; one entry removed three times).
    expect(statuses.slice(8, 10).filter((s) => s === 200)).toHaveLength(1);
    expect([statuses[14], ...statuses.slice(16)].filter((s) => s === 200)).toHaveLength(1);
  });
});

describe('verification', () => {
  async function sixRecords() {
    for (let k = 0; k < 6; k++)
      await addToBlacklist(deps, {
        actor: as(k % 2 ? 'admin-zhao' : 'admin-qian', 'admin'),
        request: { kind: 'MOBILE', value: `1390591300${k}`, reason: `ring ${k}` },
      });
    return chain();
  }
  const item = (sequence: number) =>
    table.client
      .send(
        new GetCommand({ TableName: table.tableName, Key: keys.auditRecord(sequence), ConsistentRead: true }),
      )
      .then(({ Item }) => Item as Record<string, unknown>);
  const put = (Item: Record<string, unknown>) =>
    table.client.send(new PutCommand({ TableName: table.tableName, Item }));
  const verify = (fromSequence = 1, limit = 1000) => verifyAuditTrail(deps, { fromSequence, limit });

  it('answers an intact chain, also a part of it at a time, and an empty one', async () => {
    expect(await verify()).toMatchObject({ intact: true, verifiedThrough: 0, head: { sequence: 0 } });
    const records = await sixRecords();
    expect(await verify()).toEqual({
      intact: true,
      fromSequence: 1,
      verifiedThrough: 6,
      head: { sequence: 6, hash: records[5]?.hash },
    });
    expect(await verify(1, 4)).toMatchObject({ intact: true, verifiedThrough: 4, nextFromSequence: 5 });
    expect(await verify(5, 4)).toMatchObject({ intact: true, verifiedThrough: 6 });
    expect(await verify(7)).toMatchObject({ intact: true, verifiedThrough: 6 });
    await expect(verify(8)).rejects.toMatchObject({ field: 'query.fromSequence' });
  });

  it('reports a record deleted from the table', async () => {
    await sixRecords();
    const third = await item(3);
    await table.client.send(new DeleteCommand({ TableName: table.tableName, Key: keys.auditRecord(3) }));
    expect(await verify()).toMatchObject({
      intact: false,
      verifiedThrough: 2,
      firstBreak: { sequence: 3, kind: 'MISSING' },
    });
    // Also when the deleted one is the anchor a later check starts from.
    expect(await verify(4)).toMatchObject({ intact: false, firstBreak: { sequence: 3, kind: 'MISSING' } });
    await put(third);
    expect(await verify()).toMatchObject({ intact: true });
    // A deleted head does not restart the chain: the records it counted lie beyond an empty one.
    const head = (
      await table.client.send(new GetCommand({ TableName: table.tableName, Key: keys.auditHead }))
    ).Item as Record<string, unknown>;
    await table.client.send(new DeleteCommand({ TableName: table.tableName, Key: keys.auditHead }));
    expect(await verify()).toMatchObject({ intact: false, firstBreak: { sequence: 1, kind: 'RELINKED' } });
    await put(head);
    // And when it is the last: the head still counts it.
    await table.client.send(new DeleteCommand({ TableName: table.tableName, Key: keys.auditRecord(6) }));
    expect(await verify()).toMatchObject({ intact: false, firstBreak: { sequence: 6, kind: 'MISSING' } });
  });

  it('reports a record edited in the table, and one edited and re-hashed by its successor', async () => {
    const records = await sixRecords();
    const fourth = await item(4);
    await put({ ...fourth, actor: { subject: 'someone-else', role: 'admin' } });
    expect(await verify()).toMatchObject({
      intact: false,
      verifiedThrough: 3,
      firstBreak: { sequence: 4, kind: 'EDITED' },
    });
    const { hash: _, ...content } = {
      ...(records[3] as AuditRecord),
      actor: { subject: 'someone-else', role: 'admin' },
    };
    await put({ ...fourth, ...content, hash: recordHash(content) });
    expect(await verify()).toMatchObject({ intact: false, firstBreak: { sequence: 5, kind: 'RELINKED' } });
    // A check from record 6 anchors on record 5, whose link to 4 it takes on trust: intact there.
    expect(await verify(6)).toMatchObject({ intact: true });
    await put(fourth);
    expect(await verify()).toMatchObject({ intact: true });
  });
});

describe('reading the trail', () => {
  it('by entity, by actor and by time range, a page at a time, refusing a foreign cursor and a range too long', async () => {
    // Prepare
    const entries = [];
    for (let k = 0; k < 5; k++) {
      entries.push(
        await addToBlacklist(deps, {
          actor: k < 3 ? admin : as('admin-qian', 'admin'),
          request: { kind: 'MOBILE', value: `1390591400${k}`, reason: `ring ${k}` },
        }),
      );
      clock.advance(3_600_000);
    }
    await removeFromBlacklist(deps, { actor: admin, entryId: entries[0]?.entryId ?? '', reason: 'cleared' });

    // Act / Assess: one entity's records.
    const ofEntry = await listAudit(deps, { entity: entries[0]?.entryId, limit: 10 });
    expect(ofEntry.records.map((r) => r.action)).toEqual(['blacklist.added', 'blacklist.removed']);
    expect(ofEntry.cursor).toBeUndefined();

    // One actor's, two at a time.
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await listAudit(deps, { actor: 'admin-zhao', limit: 2, cursor });
      expect(page.records.length).toBeLessThanOrEqual(2);
      seen.push(...page.records.map((r) => r.sequence));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual([1, 2, 3, 6]);

    // A time range: the second to the fourth hour.
    const { records } = await listAudit(deps, {
      from: '2026-11-20T03:00:00.000Z',
      to: '2026-11-20T05:00:00Z',
      limit: 100,
    });
    expect(records.map((r) => r.sequence)).toEqual([2, 3, 4]);

    // Cursors and ranges that are refused, naming the parameter.
    const first = await listAudit(deps, { actor: 'admin-zhao', limit: 1 });
    await expect(
      listAudit(deps, { actor: 'admin-qian', limit: 1, cursor: first.cursor }),
    ).rejects.toMatchObject({
      field: 'query.cursor',
    });
    await expect(listAudit(deps, { entity: 'x', limit: 1, cursor: 'bm90LWpzb24' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(
      listAudit(deps, { from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:01Z', limit: 10 }),
    ).rejects.toMatchObject({ field: 'query.to' });
    await expect(
      listAudit(deps, { from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z', limit: 10 }),
    ).rejects.toMatchObject({ field: 'query.from' });
    expect(
      (await listAudit(deps, { from: '2026-10-20T02:00:00Z', to: '2026-11-20T02:00:00Z', limit: 10 }))
        .records,
    ).toHaveLength(1);
  });
});
