import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Money } from '../../shared/domain/money.js';
import { addDays, PAYOFF_HORIZON_DAYS } from '../../shared/domain/servicing/index.js';
import { fixture, startTestRuntime } from '../support/local-api.js';
import { PARTNER_SECRET, startPartner } from '../support/partner.js';

let api: Awaited<ReturnType<typeof startTestRuntime>>;
let partner: Awaited<ReturnType<typeof startPartner>>;

beforeAll(async () => {
  partner = await startPartner();
  api = await startTestRuntime({ partnerWebhook: { url: partner.url, secret: PARTNER_SECRET } });
});

afterAll(async () => {
  await api?.runtime.stop();
  partner?.server.close();
});

type Body = Record<string, unknown>;
const amountOf = (money: unknown) => Money.parse((money as { amount: string }).amount);

async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean, deadlineMs = 10_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > end) throw new Error(`condition not met; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('servicing over HTTP', () => {
  it('draws twice, accrues daily, repays early, goes overdue on a missed payment, and settles with the payoff', async () => {
    const healthy = fixture('healthy');
    const token = await api.token('enterprise', healthy.uscc);
    const get = async (path: string) => {
      const response = await api.call<Body>('GET', path, { token });
      expect(response.status, `${path}: ${JSON.stringify(response.body)}`).toBe(200);
      return response.body;
    };
    const post = (path: string, body: unknown, key: string) =>
      api.call<Body>('POST', path, { token, body, headers: { 'idempotency-key': key } });
    // Moves the clock to 02:00 in Shanghai, `days` days ahead: past the 00:30 accrual and the
    // 01:00 post-loan run, whatever the time of day the test runs at.
    const advanceDays = async (days: number) => {
      const { body } = await api.call<{ now: string }>('GET', '/local/clock');
      const now = Date.parse(body.now);
      const shanghaiMidnight = Math.floor((now + 8 * 3_600_000) / 86_400_000) * 86_400_000 - 8 * 3_600_000;
      const target = shanghaiMidnight + days * 86_400_000 + 2 * 3_600_000;
      const seconds = Math.ceil((target - now) / 1000);
      await api.call('POST', '/local/clock', { body: { advance: `PT${seconds}S` } });
    };

    // A line of up to 1,000,000.00 whose first draw is 200,000.00.
    const submitted = await api.apply(healthy, token, undefined, {
      requestedAmount: { amount: '1000000.00', currency: 'CNY' },
      initialDrawdown: { amount: '200000.00', currency: 'CNY' },
    });
    const id = submitted.body.applicationId;
    await api.waitFor(id, token, api.status('OFFERED'));
    await api.call('POST', `/v1/applications/${id}/offer/accept`, { token });
    await api.waitFor(id, token, api.status('AWAITING_SIGNATURE'));
    await api.call('POST', `/v1/applications/${id}/contract/sign`, { token });
    const disbursed = await api.waitFor(id, token, api.status('DISBURSED'));
    const linePath = `/v1/credit-lines/${String(disbursed.creditLineId)}`;
    const limit = amountOf((await get(linePath)).limit);

    // Two draw-downs, each paid out by the disbursement worker and booked as a loan.
    const drawn: Body[] = [];
    for (const [key, body] of [
      [
        'draw-one-0001',
        {
          amount: { amount: '50000.00', currency: 'CNY' },
          termMonths: 3,
          repaymentMethod: 'DAILY_REVOLVING',
        },
      ],
      [
        'draw-two-0002',
        {
          amount: { amount: '30000.00', currency: 'CNY' },
          termMonths: 3,
          repaymentMethod: 'EQUAL_INSTALMENT',
        },
      ],
    ] as const) {
      const requested = await post(`${linePath}/drawdowns`, body, key);
      expect(requested.status, JSON.stringify(requested.body)).toBe(202);
      const location = requested.headers.get('location') ?? '';
      drawn.push(
        await poll(
          () => get(location),
          (d) => d.status === 'DISBURSED',
        ),
      );
    }
    const [revolving, instalments] = drawn.map((d) => `/v1/loans/${String(d.loanId)}`);
    if (!revolving || !instalments) throw new Error('two loans expected');
    expect(amountOf((await get(linePath)).available).toString()).toBe(
      limit.subtract(Money.parse('280000.00')).toString(),
    );
    // Asking for more than is left is refused, naming the field, and reserves nothing.
    const tooMuch = await post(
      `${linePath}/drawdowns`,
      {
        amount: { amount: limit.toString(), currency: 'CNY' },
        termMonths: 3,
        repaymentMethod: 'DAILY_REVOLVING',
      },
      'draw-three-0003',
    );
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.errors).toEqual([expect.objectContaining({ field: 'amount.amount' })]);

    // A day later the nightly run has booked a day of interest: 50,000.00 × rate / 360.
    await advanceDays(1);
    const afterADay = await get(revolving);
    const balances = afterADay.balances as Record<string, string>;
    const rateBp = Math.round(Number(afterADay.annualRate) * 10_000);
    expect(balances.accruedInterest).toBe(
      Money.ofMinor((5_000_000n * BigInt(rateBp) + 1_800_000n) / 3_600_000n).toString(),
    );

    // Early repayment: the principal repaid is available on the line again.
    const before = amountOf((await get(linePath)).available);
    const repaid = await post(
      `${revolving}/repayments`,
      { amount: { amount: '20000.00', currency: 'CNY' } },
      'repay-one-0001',
    );
    expect(repaid.status).toBe(201);
    const principalBack = Money.parse(String((repaid.body.allocation as Body).currentPrincipal));
    expect(amountOf((await get(linePath)).available).toString()).toBe(before.add(principalBack).toString());

    // The settlement account runs dry: the first instalment's auto-debit fails and it falls overdue.
    await api.call('POST', '/local/accounts', { body: { uscc: healthy.uscc, balance: '0.00' } });
    await advanceDays(47);
    const overdue = await get(instalments);
    expect(overdue.status).toBe('OVERDUE');
    expect(Money.parse(String((overdue.balances as Body).penaltyInterest)).isZero()).toBe(false);

    // Funds arrive; paying exactly the payoff settles the loan, and the ledger owes nothing.
    await api.call('POST', '/local/accounts', { body: { uscc: healthy.uscc, balance: '1000000.00' } });
    const payoff = await get(`${instalments}/payoff`);
    const overpay = await post(
      `${instalments}/repayments`,
      { amount: { amount: amountOf(payoff.amount).add(Money.parse('0.01')).toString(), currency: 'CNY' } },
      'repay-over-0002',
    );
    expect(overpay.status).toBe(422);
    const settled = await post(`${instalments}/repayments`, { amount: payoff.amount }, 'repay-all-0003');
    expect(settled.status).toBe(201);
    expect(settled.body.loanStatus).toBe('SETTLED');
    expect((await get(`${instalments}/journal`)).owed).toBe('0.00');

    // Statements agree with the ledger to the fen.
    const journal = await get(`${revolving}/journal`);
    const opened = String((await get(`/v1/loans/${String(disbursed.loanId)}`)).disbursedOn);
    const statement = await get(`${revolving}/statement?from=${opened}`);
    expect((statement.closingBalance as Record<string, string>).total).toBe(journal.owed);
    const lineStatement = await get(`${linePath}/statement?from=${opened}`);
    expect(lineStatement.drawn).toBe('280000.00');

    // A payoff is quoted up to the maturity date plus 366 days; any later (or earlier) date is
    // refused at once, naming the field, before any interest is computed.
    const { maturityDate } = await get(revolving);
    const latest = addDays(String(maturityDate), PAYOFF_HORIZON_DAYS);
    const today = String((await get(`${revolving}/payoff`)).date);
    const atBound = await get(`${revolving}/payoff?date=${latest}`);
    expect(atBound.date).toBe(latest);
    expect(amountOf(atBound.amount).compare(amountOf((await get(`${revolving}/payoff`)).amount))).toBe(1);
    for (const date of [addDays(latest, 1), '9999-12-31', addDays(today, -1)]) {
      const refused = await api.call<Body>('GET', `${revolving}/payoff?date=${date}`, { token });
      expect(refused.status, `${date}: ${JSON.stringify(refused.body)}`).toBe(422);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'query.date' })]);
    }

    // Partners heard each step.
    await poll(
      async () => partner.deliveries.map((delivery) => (JSON.parse(delivery.body) as { type: string }).type),
      (types) =>
        ['drawdown.disbursed', 'repayment.received', 'instalment.due', 'loan.overdue', 'loan.settled'].every(
          (t) => types.includes(t),
        ),
    );
  });
});
