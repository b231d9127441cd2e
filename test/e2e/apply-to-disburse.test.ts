import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLoanStore } from '../../shared/adapters/dynamodb/loan-store.js';
import { Money } from '../../shared/domain/money.js';
import { fixture, startTestRuntime } from '../support/local-api.js';
import { PARTNER_SECRET, startPartner } from '../support/partner.js';

async function until<T>(read: () => T | undefined, deadlineMs = 10_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not met before the deadline');
}

/** Takes a catalogue enterprise that is approved automatically from application to disbursement. */
async function disburseFor(scenario: string): Promise<{ applicationId: string; loanId: string }> {
  const f = fixture(scenario);
  const token = await api.token('enterprise', f.uscc);
  const { body } = await api.apply(f, token);
  const id = body.applicationId;
  await api.waitFor(id, token, api.status('OFFERED'));
  await api.call('POST', `/v1/applications/${id}/offer/accept`, { token });
  await api.waitFor(id, token, api.status('AWAITING_SIGNATURE'));
  await api.call('POST', `/v1/applications/${id}/contract/sign`, { token });
  const disbursed = await api.waitFor(id, token, api.status('DISBURSED'));
  return { applicationId: id, loanId: String(disbursed.loanId) };
}

let partner: Awaited<ReturnType<typeof startPartner>>;
let api: Awaited<ReturnType<typeof startTestRuntime>>;

beforeAll(async () => {
  partner = await startPartner();
  api = await startTestRuntime({ partnerWebhook: { url: partner.url, secret: PARTNER_SECRET } });
});

afterAll(async () => {
  await api?.runtime.stop();
  partner?.server.close();
});

describe('apply to disburse over HTTP', () => {
  it('approves a healthy enterprise automatically and disburses exactly once after acceptance and signature', async () => {
    const healthy = fixture('healthy');
    const token = await api.token('enterprise', healthy.uscc);

    const submitted = await api.apply(healthy, token);
    expect(submitted.status).toBe(202);
    expect(submitted.headers.get('location')).toBe(`/v1/applications/${submitted.body.applicationId}`);
    const id = submitted.body.applicationId;

    const offered = await api.waitFor(id, token, api.status('OFFERED'));
    expect(offered.decision).toMatchObject({ outcome: 'APPROVE', limit: { currency: 'CNY' } });
    expect(offered.offer).toMatchObject({ limit: (offered.decision as { limit: unknown }).limit });

    // A triple tap: every tap answers as the first acceptance did.
    const taps = await Promise.all(
      [1, 2, 3].map(() => api.call('POST', `/v1/applications/${id}/offer/accept`, { token })),
    );
    expect(taps.map((t) => t.status)).toEqual([200, 200, 200]);
    await api.waitFor(id, token, api.status('AWAITING_SIGNATURE'));
    // Accepting again after the workflow moved on answers as the first acceptance did.
    expect((await api.call('POST', `/v1/applications/${id}/offer/accept`, { token })).status).toBe(200);
    expect((await api.call('POST', `/v1/applications/${id}/contract/sign`, { token })).status).toBe(200);

    const disbursed = await api.waitFor(id, token, api.status('DISBURSED'));
    expect((disbursed.timeline as { type: string }[]).map((e) => e.type)).toEqual([
      'application.submitted',
      'application.decided',
      'offer.made',
      'offer.accepted',
      'contract.issued',
      'contract.signed',
      'disbursement.requested',
      'loan.disbursed',
    ]);
    const line = await api.call('GET', `/v1/credit-lines/${disbursed.creditLineId}`, { token });
    expect(line.status).toBe(200);
    const loan = await api.call<{ principal: { amount: string } }>('GET', `/v1/loans/${disbursed.loanId}`, {
      token,
    });
    expect(loan.body.principal).toEqual((disbursed.disbursement as { amount: unknown }).amount);
    expect(await api.runtime.coreBanking.transfers(`DSB-${id}`)).toHaveLength(1);
  });

  it('declines fake revenue with a customer-safe reason and shows staff the numbers', async () => {
    const mismatch = fixture('revenue-mismatch');
    const token = await api.token('enterprise', mismatch.uscc);
    const { body } = await api.apply(mismatch, token);

    const declined = await api.waitFor(body.applicationId, token, api.status('DECLINED'));
    const decision = declined.decision as { outcome: string; reasons: { code: string; message: string }[] };
    expect(decision.outcome).toBe('DECLINE');
    // The customer is not told which cross-check caught the application; staff are.
    expect(decision.reasons.map((r) => r.code)).toContain('INFORMATION_NOT_VERIFIED');
    expect(JSON.stringify(declined)).not.toContain('REVENUE_MISMATCH');
    expect(declined).not.toHaveProperty('assessment');

    const staff = await api.call('GET', `/v1/applications/${body.applicationId}`, {
      token: await api.token('officer'),
    });
    const detail = (staff.body.decisionDetail as { reasons: { code: string; detail: string }[] }).reasons;
    expect(detail.find((r) => r.code === 'REVENUE_MISMATCH')?.detail).toMatch(/\d/);
    expect(staff.body.legalRepresentative).toMatchObject({ idNumber: expect.stringMatching(/\*{6,}/) });
  });

  it.each(['litigation', 'blacklisted'])('declines the %s scenario', async (scenario) => {
    const f = fixture(scenario);
    const token = await api.token('enterprise', f.uscc);
    const { body } = await api.apply(f, token);
    const declined = await api.waitFor(body.applicationId, token, api.status('DECLINED'));
    const codes = (declined.decision as { reasons: { code: string }[] }).reasons.map((r) => r.code);
    expect(codes).toEqual(expect.arrayContaining(f.expectedReasonCodes));
  });

  it('refers a borderline case to an officer, who approves a lower limit; the customer then accepts, signs and is paid', async () => {
    const borderline = fixture('borderline');
    const token = await api.token('enterprise', borderline.uscc);
    const officer = await api.token('officer', undefined, 'officer-wang');
    const { body } = await api.apply(borderline, token);
    const id = body.applicationId;

    await api.waitFor(id, token, api.status('IN_REVIEW'));
    const queue = await api.call<{ reviews: { applicationId: string; proposedLimit: string }[] }>(
      'GET',
      '/v1/reviews?status=PENDING',
      {
        token: officer,
      },
    );
    const review = queue.body.reviews.find((r) => r.applicationId === id);
    expect(review).toBeDefined();

    const lower = { amount: '50000.00', currency: 'CNY' };
    const decided = await api.call('POST', `/v1/reviews/${id}/decision`, {
      token: officer,
      body: { outcome: 'APPROVE', limit: lower, comment: 'Stable invoices; start small.' },
    });
    expect(decided.status).toBe(200);
    expect(decided.body.decisionDetail).toMatchObject({
      decidedBy: 'officer-wang',
      comment: 'Stable invoices; start small.',
    });

    const offered = await api.waitFor(id, token, api.status('OFFERED'));
    expect(offered.offer).toMatchObject({ limit: lower });
    await api.call('POST', `/v1/applications/${id}/offer/accept`, { token });
    await api.waitFor(id, token, api.status('AWAITING_SIGNATURE'));
    await api.call('POST', `/v1/applications/${id}/contract/sign`, { token });
    const disbursed = await api.waitFor(id, token, api.status('DISBURSED'));
    expect(disbursed.disbursement).toMatchObject({ amount: lower });

    // A term loan repays in equal instalments: the schedule's principal sums to the loan exactly,
    // and the disbursement was booked as one balanced journal entry.
    const schedule = await api.call<{
      repaymentMethod: string;
      rows: { principal: string; dueDate: string }[];
    }>('GET', `/v1/loans/${disbursed.loanId}/schedule`, { token });
    expect(schedule.body.repaymentMethod).toBe('EQUAL_INSTALMENT');
    expect(schedule.body.rows).toHaveLength(12);
    const total = schedule.body.rows.reduce((sum, row) => sum.add(Money.parse(row.principal)), Money.zero());
    expect(total.toString()).toBe(lower.amount);
    const loan = await api.call<{ maturityDate: string }>('GET', `/v1/loans/${disbursed.loanId}`, { token });
    expect(loan.body.maturityDate).toBe(schedule.body.rows.at(-1)?.dueDate);
    const journal = await new DynamoLoanStore(api.runtime.table).journal(String(disbursed.loanId));
    expect(journal).toEqual([
      expect.objectContaining({
        kind: 'DISBURSEMENT',
        lines: [
          { account: 'LOAN_PRINCIPAL', side: 'DEBIT', amount: lower.amount },
          { account: 'CUSTOMER_SETTLEMENT', side: 'CREDIT', amount: lower.amount },
        ],
      }),
    ]);

    const again = await api.call('POST', `/v1/reviews/${id}/decision`, {
      token: officer,
      body: { outcome: 'DECLINE', comment: 'changed my mind' },
    });
    expect(again.status).toBe(409);
  });

  it('lets only one of two officers deciding at once win, and announces one decision', async () => {
    const thin = fixture('thin-data');
    const token = await api.token('enterprise', thin.uscc);
    const { body } = await api.apply(thin, token);
    await api.waitFor(body.applicationId, token, api.status('IN_REVIEW'));

    const [first, second] = await Promise.all([
      api.call('POST', `/v1/reviews/${body.applicationId}/decision`, {
        token: await api.token('officer', undefined, 'officer-a'),
        body: { outcome: 'APPROVE', comment: 'fine by me' },
      }),
      api.call('POST', `/v1/reviews/${body.applicationId}/decision`, {
        token: await api.token('officer', undefined, 'officer-b'),
        body: { outcome: 'DECLINE', comment: 'not for me' },
      }),
    ]);

    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const app = await api.waitFor(
      body.applicationId,
      token,
      (a) => a.status === 'OFFERED' || a.status === 'DECLINED',
    );
    const decided = (app.timeline as { type: string }[]).filter((e) => e.type === 'application.decided');
    expect(decided).toHaveLength(1);
  });

  it('needs a second person with the approver role for an approval above 1,000,000.00 (maker-checker)', async () => {
    const f = fixture('bureau-down');
    const token = await api.token('enterprise', f.uscc);
    const { body } = await api.apply(f, token, undefined, {
      requestedAmount: { amount: '5000000.00', currency: 'CNY' },
      termMonths: 24,
    });
    const id = body.applicationId;
    await api.waitFor(id, token, api.status('IN_REVIEW'));
    const maker = await api.token('officer', undefined, 'officer-wang');
    const decide = (tokenValue: string, decision: Record<string, unknown>) =>
      api.call('POST', `/v1/reviews/${id}/decision`, { token: tokenValue, body: decision });
    const approve = { outcome: 'APPROVE', comment: 'strong invoices' };

    const proposed = await decide(maker, { ...approve, limit: { amount: '2000000.00', currency: 'CNY' } });
    expect(proposed.status).toBe(200);
    expect(proposed.body).toMatchObject({
      status: 'IN_REVIEW',
      pendingApproval: { by: 'officer-wang', limit: '2000000.00' },
    });
    const queue = await api.call<{ reviews: { applicationId: string }[] }>(
      'GET',
      '/v1/reviews?status=AWAITING_APPROVAL',
      { token: maker },
    );
    expect(queue.body.reviews.map((r) => r.applicationId)).toContain(id);

    // Repeating the proposal is a harmless retry; confirming it oneself (at any limit) is not allowed.
    expect(
      (await decide(maker, { ...approve, limit: { amount: '2000000.00', currency: 'CNY' } })).status,
    ).toBe(200);
    expect(
      (await decide(maker, { ...approve, limit: { amount: '1500000.00', currency: 'CNY' } })).status,
    ).toBe(403);
    expect((await decide(await api.token('officer', undefined, 'officer-li'), approve)).status).toBe(403);
    const checker = await api.token('approver', undefined, 'approver-zhao');
    const above = await decide(checker, { ...approve, limit: { amount: '2500000.00', currency: 'CNY' } });
    expect(above.status).toBe(422);

    const confirmed = await decide(checker, { ...approve, comment: 'confirmed' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.decisionDetail).toMatchObject({
      outcome: 'APPROVE',
      limit: '2000000.00',
      decidedBy: 'approver-zhao',
      approvedBy: ['officer-wang', 'approver-zhao'],
    });
    const offered = await api.waitFor(id, token, api.status('OFFERED'));
    expect(offered.offer).toMatchObject({ limit: { amount: '2000000.00', currency: 'CNY' } });
  });

  it('lets an officer decline a referred case, which ends the workflow', async () => {
    const young = fixture('young-company');
    const token = await api.token('enterprise', young.uscc);
    const { body } = await api.apply(young, token);
    await api.waitFor(body.applicationId, token, api.status('IN_REVIEW'));
    const declined = await api.call('POST', `/v1/reviews/${body.applicationId}/decision`, {
      token: await api.token('approver'),
      body: { outcome: 'DECLINE', comment: 'Too young for this amount.' },
    });
    expect(declined.status).toBe(200);
    expect(declined.body.status).toBe('DECLINED');
    await until(() =>
      api.runtime.workflow.execution(body.applicationId)?.status === 'SUCCEEDED' ? true : undefined,
    );
  });

  it('expires an offer nobody accepts once its time has passed on the clock', async () => {
    const large = fixture('healthy-large');
    const token = await api.token('enterprise', large.uscc);
    const { body } = await api.apply(large, token);
    await api.waitFor(body.applicationId, token, api.status('OFFERED'));

    await api.call('POST', '/local/clock', { body: { advance: 'P8D' } });

    const expired = await api.waitFor(body.applicationId, token, api.status('EXPIRED'));
    expect((expired.timeline as { type: string }[]).at(-1)?.type).toBe('application.expired');
    const late = await api.call('POST', `/v1/applications/${body.applicationId}/offer/accept`, { token });
    expect(late.status).toBe(409);
  });

  it('visits every active loan in the nightly job, once for each business date the clock passes', async () => {
    const { loanId } = await disburseFor('heavy-borrower');

    const { body: clock } = await api.call<{ now: string }>('POST', '/local/clock', {
      body: { advance: 'P1D' },
    });

    // The schedule runs at 01:00 in Shanghai (UTC+8): the latest run's business date.
    const shanghai = new Date(Date.parse(clock.now) + 8 * 3600_000 - 3600_000);
    const expected = shanghai.toISOString().slice(0, 10);
    const loans = new DynamoLoanStore(api.runtime.table);
    const active = [];
    for (let shard = 0; shard < loans.activeLoanShards; shard++)
      active.push(...(await loans.activeLoans(shard)).loans);
    expect(active.map((l) => l.loanId)).toContain(loanId);
    expect(new Set(active.map((l) => l.lastMonitoredOn))).toEqual(new Set([expected]));
  });

  it('delivers application.decided and loan.disbursed to the partner, verifiable with a stock Standard Webhooks library', async () => {
    const healthy = fixture('healthy');
    const { applicationId } = await disburseFor('healthy');
    const delivered = (type: string) =>
      until(() =>
        partner.deliveries.find((d) => {
          const event = JSON.parse(d.body) as { type: string; data: { applicationId?: string } };
          return event.type === type && event.data.applicationId === applicationId;
        }),
      );
    const decided = await delivered('application.decided');
    const disbursed = await delivered('loan.disbursed');
    const verifier = new Webhook(PARTNER_SECRET);
    for (const delivery of [decided, disbursed]) {
      const verified = verifier.verify(delivery.body, {
        'webhook-id': String(delivery.headers['webhook-id']),
        'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
        'webhook-signature': String(delivery.headers['webhook-signature']),
      }) as { type: string; data: Record<string, unknown> };
      expect(verified.data.uscc).toBe(healthy.uscc);
      expect(JSON.stringify(verified)).not.toContain(healthy.legalRepresentative.idNumber);
      expect(JSON.stringify(verified)).not.toContain(healthy.legalRepresentative.mobile);
    }
    expect(() =>
      verifier.verify(`${disbursed.body} `, {
        'webhook-id': String(disbursed.headers['webhook-id']),
        'webhook-timestamp': String(disbursed.headers['webhook-timestamp']),
        'webhook-signature': String(disbursed.headers['webhook-signature']),
      }),
    ).toThrow();
  });
});
