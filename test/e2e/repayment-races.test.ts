import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Money } from '../../shared/domain/money.js';
import { fixture, startTestRuntime } from '../support/local-api.js';

let api: Awaited<ReturnType<typeof startTestRuntime>>;

beforeAll(async () => {
  api = await startTestRuntime();
});

afterAll(async () => {
  await api?.runtime.stop();
});

type Body = Record<string, unknown>;

/** A revolving line whose first draw (a loan of `first`) was paid out today: its payoff is `first`. */
async function disbursedLoan(scenario: string, first: string) {
  const enterprise = fixture(scenario);
  const token = await api.token('enterprise', enterprise.uscc);
  const submitted = await api.apply(enterprise, token, undefined, {
    requestedAmount: { amount: '1000000.00', currency: 'CNY' },
    initialDrawdown: { amount: first, currency: 'CNY' },
  });
  const id = submitted.body.applicationId;
  await api.waitFor(id, token, api.status('OFFERED'));
  await api.call('POST', `/v1/applications/${id}/offer/accept`, { token });
  await api.waitFor(id, token, api.status('AWAITING_SIGNATURE'));
  await api.call('POST', `/v1/applications/${id}/contract/sign`, { token });
  const disbursed = await api.waitFor(id, token, api.status('DISBURSED'));
  return { token, loanId: String(disbursed.loanId) };
}

describe('repayments raced over HTTP', () => {
  it('answers ten parallel repayments of 9,000.00 on a payoff of 40,000.00 201, 409 or 422, debits only what it books, and never exceeds the payoff', async () => {
    const { token, loanId } = await disbursedLoan('healthy', '40000.00');
    const repay = (key: string, amount: string) =>
      api.call<Body>('POST', `/v1/loans/${loanId}/repayments`, {
        token,
        body: { amount: { amount, currency: 'CNY' } },
        headers: { 'idempotency-key': key },
      });
    const payoff = await api.call<Body>('GET', `/v1/loans/${loanId}/payoff`, { token });
    expect((payoff.body.amount as { amount: string }).amount).toBe('40000.00');

    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, k) => repay(`race-key-${k}`, '9000.00')),
    );
    const statuses = answers.map((a) => a.status);
    for (const status of statuses) expect([201, 409, 422]).toContain(status);
    const booked = statuses.filter((s) => s === 201).length;
    expect(booked).toBeGreaterThan(0);
    expect(booked).toBeLessThanOrEqual(4);
    // Core banking holds exactly one debit per 201, and the ledger the rest of the payoff.
    expect(await api.runtime.coreBanking.debits()).toHaveLength(booked);
    const journal = await api.call<Body>('GET', `/v1/loans/${loanId}/journal`, { token });
    expect(journal.body.owed).toBe(
      Money.parse('40000.00')
        .subtract(Money.ofMinor(900_000n * BigInt(booked)))
        .toString(),
    );

    // The same key ten times at once: one debit, one booking, every answer 201 (or 409 while busy).
    const before = (await api.runtime.coreBanking.debits()).length;
    const twins = await Promise.all(Array.from({ length: 10 }, () => repay('twin-key-0001', '100.00')));
    for (const twin of twins) expect([201, 409]).toContain(twin.status);
    const ids = new Set(twins.filter((t) => t.status === 201).map((t) => t.body.repaymentId));
    expect(ids.size).toBe(1);
    expect(await api.runtime.coreBanking.debits()).toHaveLength(before + 1);
  });

  it('lets one of five parallel write-offs win and answers the others 409', async () => {
    const { loanId } = await disbursedLoan('healthy', '20000.00');
    const approver = await api.token('approver');
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        api.call<Body>('POST', `/v1/loans/${loanId}/write-off`, {
          token: approver,
          body: { reason: 'fraud confirmed' },
        }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409]);
  });
});
