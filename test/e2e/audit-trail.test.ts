import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/dynamodb/table.js';
import type { AuditRecord } from '../../shared/domain/audit.js';
import { startTestRuntime } from '../support/local-api.js';
import { personalDataIn } from '../support/personal-data.js';
import { buildWorld, type World } from '../support/world.js';

/**
 * The audit trail over HTTP against the local runtime: staff act as they would from the
 * console, and an auditor reads what they did and checks the chain.
 */
let api: Awaited<ReturnType<typeof startTestRuntime>>;
let world: World;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  api = await startTestRuntime();
  world = await buildWorld(api);
  for (const role of ['officer', 'approver', 'admin', 'auditor']) tokens[role] = await api.token(role);
}, 60_000);

afterAll(async () => {
  await api?.runtime.stop();
});

type Page = { records: AuditRecord[]; cursor?: string };
const audit = (query: string, token = tokens.auditor) =>
  api.call<Page>('GET', `/v1/audit?${query}`, { token });

describe('the audit trail', () => {
  it('shows a write-off to the auditor, with the freeze of its line, in the request the approver made', async () => {
    // Act
    const written = await api.call('POST', `/v1/loans/${world.loanId}/write-off`, {
      token: tokens.approver,
      body: { reason: 'uncollectable after litigation' },
    });
    expect(written.status).toBe(200);

    // Assess
    const ofLoan = await audit(`entity=${world.loanId}`);
    expect(ofLoan.status).toBe(200);
    expect(ofLoan.body.records).toHaveLength(1);
    const [record] = ofLoan.body.records;
    expect(record).toMatchObject({
      action: 'loan.written-off',
      entityType: 'LOAN',
      actor: { subject: 'approver-staff', role: 'approver' },
      before: { status: 'ACTIVE' },
      after: { status: 'WRITTEN_OFF' },
    });
    expect(record?.correlationId).toMatch(/^[0-9a-f-]{36}$/);

    const ofLine = await audit(`entity=${world.creditLineId}`);
    expect(ofLine.body.records.map((r) => [r.action, r.actor.subject])).toEqual([
      ['credit-line.opened', 'system:activate'],
      ['credit-line.frozen', 'approver-staff'],
    ]);
    expect(ofLine.body.records[1]?.correlationId).toBe(record?.correlationId);
    expect(ofLine.body.records[1]?.sequence).toBe((record?.sequence ?? 0) + 1);

    const byApprover = await audit('actor=approver-staff&limit=100');
    expect(byApprover.body.records.map((r) => r.sequence)).toContain(record?.sequence);
  });

  it('holds every audited change of the world in one chain that verifies, with no personal data in it', async () => {
    // The blacklist entry, the line's opening, the write-off above and the freeze, at least.
    const { body: clock } = await api.call<{ now: string }>('GET', '/local/clock');
    const now = Date.parse(clock.now);
    const range = `from=${new Date(now - 86_400_000).toISOString()}&to=${new Date(now + 60_000).toISOString()}`;
    const records: AuditRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await audit(`${range}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      records.push(...page.body.records);
      cursor = page.body.cursor;
    } while (cursor);
    expect(records.length).toBeGreaterThanOrEqual(4);
    expect(personalDataIn([JSON.stringify(records)])).toEqual([]);

    const verification = await api.call('GET', '/v1/audit/verification', { token: tokens.auditor });
    expect(verification.status).toBe(200);
    expect(verification.body).toMatchObject({ intact: true, verifiedThrough: records.length });
  });

  it('lets only the auditor read it, and the auditor nothing else', async () => {
    for (const role of ['officer', 'approver', 'admin']) {
      const refused = await audit(`entity=${world.loanId}`, tokens[role]);
      expect(refused.status, role).toBe(403);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
    }
    const writeOff = await api.call('POST', `/v1/loans/${world.loanId}/write-off`, {
      token: tokens.auditor,
      body: { reason: 'an auditor changes nothing' },
    });
    expect(writeOff.status).toBe(403);
    const loan = await api.call('GET', `/v1/loans/${world.loanId}`, { token: tokens.auditor });
    expect(loan.status).toBe(403);
    expect((await audit(`entity=${world.loanId}`, '')).status).toBe(401);
  });

  it('names what is wrong with a query', async () => {
    const both = await audit(`entity=${world.loanId}&actor=approver-staff`);
    expect(both.status).toBe(400);
    expect(both.body).toMatchObject({ errors: [{ field: 'query.actor' }] });
    expect((await audit('')).body).toMatchObject({ errors: [{ field: 'query.entity' }] });
    const long = await audit('from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:01Z');
    expect(long.status).toBe(422);
    expect(long.body).toMatchObject({ errors: [{ field: 'query.to' }] });
    const reversed = await audit('from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z');
    expect(reversed.body).toMatchObject({ status: 422, errors: [{ field: 'query.from' }] });
    const cursor = await audit(`entity=${world.loanId}&cursor=bm90LWpzb24`);
    expect(cursor.body).toMatchObject({ status: 422, errors: [{ field: 'query.cursor' }] });
  });

  it('reports a record deleted from the table', async () => {
    // Runs last: it breaks the chain for good.
    await api.runtime.table.client.send(
      new DeleteCommand({ TableName: api.runtime.table.tableName, Key: keys.auditRecord(1) }),
    );
    const verification = await api.call('GET', '/v1/audit/verification?fromSequence=1&limit=10', {
      token: tokens.auditor,
    });
    expect(verification.body).toMatchObject({
      intact: false,
      verifiedThrough: 0,
      firstBreak: { sequence: 1, kind: 'MISSING' },
    });
  });
});
