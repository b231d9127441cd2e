import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { lambdaContext } from '../../../shared/adapters/local/lambda-context.js';
import { ValidationError } from '../../../shared/domain/errors.js';
import type { LoanRecord } from '../../../shared/domain/loan.js';
import {
  accrueThrough,
  addDays,
  assertInPayoffWindow,
  loanStateJson,
  openLoan,
  owed,
  PAYOFF_HORIZON_DAYS,
  payoffWindow,
  totalOwed,
} from '../../../shared/domain/servicing/index.js';
import { apiHandler } from '../../../shared/http/middleware.js';
import { toProblem } from '../../../shared/http/problem.js';
import { ROUTES } from '../../../shared/http/routes.js';
import type { Dependencies } from '../../../shared/services/dependencies.js';
import { loanState, openLoanRecord } from '../../../shared/services/loan-servicing.js';
import type { Principal } from '../../../shared/services/principal.js';
import { quotePayoff } from '../../../shared/services/repay-loan.js';
import { input, money } from './builders.js';

/** The worked example matures on 15 Jan 2026; 366 days later is 16 Jan 2027. */
const MATURITY = '2026-01-15';
const LATEST = '2027-01-16';

describe('payoffWindow', () => {
  it('runs from today to the maturity date plus PAYOFF_HORIZON_DAYS', () => {
    // Prepare: the worked example, accrued through the day before today.
    const state = accrueThrough(openLoan(input()), '2025-02-28').state;
    // Act
    const window = payoffWindow(state, '2025-03-01', MATURITY);
    // Assess
    expect(PAYOFF_HORIZON_DAYS).toBe(366);
    expect(window).toEqual({ earliest: '2025-03-01', latest: LATEST });
    expect(addDays(MATURITY, PAYOFF_HORIZON_DAYS)).toBe(LATEST);
  });

  it('starts after the last date whose interest is booked, and ends today for a loan further past maturity', () => {
    const state = accrueThrough(openLoan(input()), '2028-03-10').state;
    expect(payoffWindow(state, '2028-03-01', MATURITY)).toEqual({
      earliest: '2028-03-11',
      latest: '2028-03-11',
    });
    expect(payoffWindow(state, '2028-03-20', MATURITY)).toEqual({
      earliest: '2028-03-20',
      latest: '2028-03-20',
    });
  });

  it.each([
    { date: '2025-03-01', allowed: true, why: 'today' },
    { date: LATEST, allowed: true, why: 'exactly maturity + 366 days' },
    { date: '2027-01-17', allowed: false, why: 'a day beyond the bound' },
    { date: '9999-12-31', allowed: false, why: 'the far future' },
    { date: '2025-02-28', allowed: false, why: 'yesterday' },
    { date: '2025-02-30', allowed: false, why: 'no such date' },
  ])('$date ($why): allowed $allowed', ({ date, allowed }) => {
    const window = { earliest: '2025-03-01', latest: LATEST };
    if (allowed) expect(() => assertInPayoffWindow(window, date, 'query.date')).not.toThrow();
    else
      expect(() => assertInPayoffWindow(window, date, 'query.date')).toThrow(
        expect.objectContaining({ name: 'ValidationError', field: 'query.date' }),
      );
  });
});

/** Today in Shanghai is 1 Mar 2025 (10:00), as the stub clock tells the service. */
const NOW = new Date('2025-03-01T02:00:00.000Z');
const USCC = '91350102MA31K7Q230';
const enterprise: Principal = { subject: 'enterprise-test', role: 'enterprise', uscc: USCC };

/** The worked example as the service reads it: a loan record accrued through yesterday. */
function loanRecord(): LoanRecord {
  const { loan } = openLoanRecord({
    loanId: 'LN-worked-example',
    applicationId: '00000000-0000-4000-8000-000000000001',
    uscc: USCC,
    product: 'TERM_LOAN',
    amount: money('120000.00'),
    annualRate: '0.0600',
    termMonths: 12,
    repaymentMethod: 'EQUAL_INSTALMENT',
    dueDay: 15,
    transferId: 'TRF-1',
    disbursedAt: '2025-01-15T02:00:00.000Z',
  });
  const { state } = accrueThrough(loanState(loan), '2025-02-28');
  return { ...loan, servicing: loanStateJson(state) };
}

/** The one read quotePayoff makes, from a record in memory. */
function depsFor(loan: LoanRecord): Pick<Dependencies, 'loans' | 'clock'> {
  const loans = { getLoan: async (id: string) => (id === loan.loanId ? loan : undefined) };
  return { loans: loans as unknown as Dependencies['loans'], clock: { now: () => NOW } };
}

describe('quotePayoff bounds the date', () => {
  const loan = loanRecord();
  const deps = depsFor(loan);

  it('quotes exactly at maturity + 366 days, the same figure as accruing day by day', async () => {
    const quote = await quotePayoff(deps, enterprise, loan.loanId, LATEST);
    const reference = accrueThrough(loanState(loan), addDays(LATEST, -1)).state;
    expect(quote.date).toBe(LATEST);
    expect(quote.amount.amount).toBe(totalOwed(owed(reference)).toString());
  });

  it.each(['2027-01-17', '9999-12-31', '2025-02-28'])(
    'refuses %s as a 422 naming query.date',
    async (date) => {
      const error = await quotePayoff(deps, enterprise, loan.loanId, date).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(toProblem(error)).toMatchObject({
        status: 422,
        errors: [{ field: 'query.date', message: expect.stringContaining(`to ${LATEST}`) }],
      });
    },
  );

  it('answers problem+json through the route, as the Lambda handler does', async () => {
    const handler = apiHandler(ROUTES.getPayoff, async ({ principal, params, query }) => ({
      body: await quotePayoff(deps, principal, params.id, query.date),
    }));
    const call = (date: string) =>
      handler(
        {
          httpMethod: 'GET',
          path: `/v1/loans/${loan.loanId}/payoff`,
          headers: {},
          body: null,
          isBase64Encoded: false,
          pathParameters: { id: loan.loanId },
          queryStringParameters: { date },
          requestContext: { authorizer: { principalId: enterprise.subject, role: 'enterprise', uscc: USCC } },
        } as unknown as APIGatewayProxyEvent,
        lambdaContext('getPayoff'),
      );

    const beyond = await call('9999-12-31');
    const atBound = await call(LATEST);

    expect(beyond.statusCode).toBe(422);
    expect(beyond.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(beyond.body)).toMatchObject({
      status: 422,
      errors: [{ field: 'query.date' }],
    });
    expect(atBound.statusCode).toBe(200);
    expect(JSON.parse(atBound.body)).toMatchObject({ date: LATEST, amount: { currency: 'CNY' } });
  });
});
