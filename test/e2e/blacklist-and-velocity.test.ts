import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usccCheckCharacter } from '../../shared/domain/identifiers.js';
import { fixture, startTestRuntime } from '../support/local-api.js';

let api: Awaited<ReturnType<typeof startTestRuntime>>;
let admin: string;

beforeAll(async () => {
  api = await startTestRuntime();
  admin = await api.token('admin', undefined, 'admin-li');
});

afterAll(async () => {
  await api?.runtime.stop();
});

function reasonCodes(app: Record<string, unknown>): string[] {
  return ((app.decision as { reasons: { code: string }[] }).reasons ?? []).map((r) => r.code);
}

describe("the bank's blacklist", () => {
  it('declines an enterprise while it is listed, records who listed and removed it, and approves it again after removal', async () => {
    const healthy = fixture('healthy');
    const token = await api.token('enterprise', healthy.uscc);

    const listed = await api.call<{ entryId: string; addedBy: string; display: string }>(
      'POST',
      '/v1/admin/blacklist',
      {
        token: admin,
        body: { kind: 'ENTERPRISE', value: healthy.uscc, reason: 'fraud case 2026-118' },
      },
    );
    expect(listed.status).toBe(201);
    expect(listed.body).toMatchObject({ addedBy: 'admin-li', display: healthy.uscc });

    const first = await api.apply(healthy, token);
    const declined = await api.waitFor(first.body.applicationId, token, api.status('DECLINED'));
    expect(reasonCodes(declined)).toContain('UNABLE_TO_OFFER');
    expect(JSON.stringify(declined)).not.toContain('BANK_BLACKLIST');

    const removed = await api.call('POST', `/v1/admin/blacklist/${listed.body.entryId}/remove`, {
      token: admin,
      body: { reason: 'case closed, no fraud' },
    });
    expect(removed.body).toMatchObject({
      status: 'REMOVED',
      removedBy: 'admin-li',
      removalReason: 'case closed, no fraud',
    });

    const second = await api.apply(healthy, token);
    await api.waitFor(second.body.applicationId, token, api.status('OFFERED'));
  });

  it('matches a listed person by ID number and keeps only a mask of the number', async () => {
    const heavy = fixture('heavy-borrower');
    const idNumber = heavy.legalRepresentative.idNumber;
    const listed = await api.call<{ display: string }>('POST', '/v1/admin/blacklist', {
      token: admin,
      body: { kind: 'PERSON', value: idNumber, reason: 'identity theft report' },
    });
    expect(listed.body.display).not.toContain(idNumber.slice(4, 14));

    const token = await api.token('enterprise', heavy.uscc);
    const { body } = await api.apply(heavy, token);
    const declined = await api.waitFor(body.applicationId, token, api.status('DECLINED'));
    expect(reasonCodes(declined)).toContain('UNABLE_TO_OFFER');
    expect(JSON.stringify(declined)).not.toContain('BANK_BLACKLIST');

    const list = await api.call<{ entries: unknown[] }>('GET', '/v1/admin/blacklist', {
      token: await api.token('officer'),
    });
    expect(JSON.stringify(list.body)).not.toContain(idNumber);
  });

  it('answers a retry with the first result, refuses another listing of a listed value (409), a bad value (400) and non-admins (403)', async () => {
    const f = fixture('litigation');
    const body = { kind: 'MOBILE', value: f.legalRepresentative.mobile, reason: 'spam applications' };
    const first = await api.call<{ entryId: string }>('POST', '/v1/admin/blacklist', { token: admin, body });
    const retry = await api.call<{ entryId: string }>('POST', '/v1/admin/blacklist', { token: admin, body });
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.body.entryId).toBe(first.body.entryId);
    const other = await api.call('POST', '/v1/admin/blacklist', {
      token: admin,
      body: { ...body, reason: 'another case' },
    });
    expect(other.status).toBe(409);

    const bad = await api.call('POST', '/v1/admin/blacklist', {
      token: admin,
      body: { kind: 'PERSON', value: '110105194912310021', reason: 'typo' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'value' })]);

    const officer = await api.call('POST', '/v1/admin/blacklist', {
      token: await api.token('officer'),
      body,
    });
    expect(officer.status).toBe(403);
    const missing = await api.call(
      'POST',
      '/v1/admin/blacklist/00000000-0000-4000-8000-000000000000/remove',
      {
        token: admin,
        body: { reason: 'nothing' },
      },
    );
    expect(missing.status).toBe(404);
  });
});

describe('velocity', () => {
  it('refers the fourth enterprise in 90 days that names the same legal representative', async () => {
    const person = fixture('young-company').legalRepresentative;
    const usccs = [11, 12, 13, 14].map((n) => {
      const first17 = `91440300MA5G${String(n).padStart(2, '0')}R7W`;
      return first17 + usccCheckCharacter(first17);
    });
    let last: Record<string, unknown> = {};
    for (const uscc of usccs) {
      const token = await api.token('enterprise', uscc);
      const { body, status } = await api.call<{ applicationId: string }>('POST', '/v1/applications', {
        token,
        headers: { 'idempotency-key': `velocity-${uscc}` },
        body: {
          enterprise: { uscc, name: '深圳测试贸易有限公司' },
          legalRepresentative: person,
          product: 'TERM_LOAN',
          requestedAmount: { amount: '200000.00', currency: 'CNY' },
          termMonths: 12,
          purpose: 'stock',
          consent: { dataUse: true, version: 'data-use-2026.11' },
        },
      });
      expect(status).toBe(202);
      last = await api.waitFor(
        body.applicationId,
        await api.token('officer'),
        (app) => app.decisionDetail !== undefined || app.status === 'IN_REVIEW',
      );
    }
    const signals = (last.assessment as { identity: { signals: { code: string; detail: string }[] } })
      .identity.signals;
    expect(signals.find((s) => s.code === 'VELOCITY_SHARED_REPRESENTATIVE')?.detail).toMatch(
      /3 other enterprises/,
    );
  });
});
