import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { businessDate } from '../../shared/domain/business-date.js';
import type { LoanRecord } from '../../shared/domain/loan.js';
import { Money } from '../../shared/domain/money.js';
import {
  accrueThrough,
  addDays,
  bringToDate,
  daysBetween,
  loanStateJson,
  type Owed,
  owed,
  owedOn,
  PAYOFF_HORIZON_DAYS,
  type RepaymentMethod,
} from '../../shared/domain/servicing/index.js';
import type { Dependencies } from '../../shared/services/dependencies.js';
import { loanState, openLoanRecord } from '../../shared/services/loan-servicing.js';
import { quotePayoff } from '../../shared/services/repay-loan.js';
import { load1, machine, round } from './machine.js';

/**
 * The cost of one payoff quote (issue 8): today, and at the furthest date allowed (maturity +
 * PAYOFF_HORIZON_DAYS), for loans of a few shapes, each in one run three ways:
 * - `reference`: the day-by-day path quotes used before (bringToDate: accrueDay for every date),
 *   the baseline;
 * - `owedOn`: the domain quote, a run at a time (projectThrough);
 * - `quotePayoff`: the whole service on a loan record held in memory (parse the stored state,
 *   check the window, owedOn, shape the answer), i.e. a request's CPU without its one read.
 * Every case first checks that owedOn and the reference agree to the fen.
 */

/** 10:00 in Shanghai on 16 Nov 2026; loans were drawn on 15 Oct 2026 and are accrued through yesterday. */
const NOW = new Date('2026-11-16T02:00:00.000Z');
const TODAY = businessDate(NOW);
const USCC = '91350102MA31K7Q230';
const enterprise = { subject: 'bench', role: 'enterprise' as const, uscc: USCC };

const SHAPES: readonly { method: RepaymentMethod; termMonths: number }[] = [
  { method: 'DAILY_REVOLVING', termMonths: 12 },
  { method: 'EQUAL_INSTALMENT', termMonths: 36 },
  { method: 'EQUAL_PRINCIPAL', termMonths: 36 },
  { method: 'EQUAL_INSTALMENT', termMonths: 360 },
];

/** A loan drawn a month ago and never repaid since, accrued through yesterday. */
function benchLoan(method: RepaymentMethod, termMonths: number): LoanRecord {
  const { loan } = openLoanRecord({
    loanId: `LN-bench-${method}-${termMonths}`,
    applicationId: '00000000-0000-4000-8000-000000000001',
    uscc: USCC,
    product: 'TERM_LOAN',
    amount: Money.parse('300000.00'),
    annualRate: '0.0585',
    termMonths,
    repaymentMethod: method,
    dueDay: 15,
    transferId: 'TRF-bench',
    disbursedAt: '2026-10-15T02:00:00.000Z',
  });
  const { state } = accrueThrough(loanState(loan), addDays(TODAY, -1));
  return { ...loan, servicing: loanStateJson(state) };
}

/** Microseconds per call: a few warm-up calls, then calls until at least `ms` have passed. */
function perCall(call: () => unknown, ms = 600, warmup = 3): { calls: number; microseconds: number } {
  for (let i = 0; i < warmup; i++) call();
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    call();
    calls++;
    elapsed = performance.now() - start;
  }
  return { calls, microseconds: round((elapsed * 1000) / calls) };
}

const text = (amounts: Owed) => Object.values(amounts).map(String);

export async function benchPayoff() {
  const loadBefore = load1();
  const cases = [];
  for (const { method, termMonths } of SHAPES) {
    const loan = benchLoan(method, termMonths);
    const deps: Pick<Dependencies, 'loans' | 'clock'> = {
      loans: { getLoan: async () => loan } as unknown as Dependencies['loans'],
      clock: { now: () => NOW },
    };
    const state = loanState(loan);
    const latest = addDays(loan.maturityDate, PAYOFF_HORIZON_DAYS);
    const dates = { today: TODAY, maturityPlusHorizon: latest };
    const measured: Record<string, unknown> = {};
    for (const [name, date] of Object.entries(dates)) {
      const fast = owedOn(state, date);
      const reference = owed(bringToDate(state, date).state);
      if (!isDeepStrictEqual(text(fast), text(reference)))
        throw new Error(`${method} ${termMonths}: owedOn differs from the day-by-day reference on ${date}`);
      const baseline = perCall(() => bringToDate(state, date));
      const domain = perCall(() => owedOn(state, date));
      // The service is async; time a batch of sequential awaits instead.
      let serviceCalls = 0;
      const serviceStart = performance.now();
      while (performance.now() - serviceStart < 600) {
        await quotePayoff(deps, enterprise, loan.loanId, date);
        serviceCalls++;
      }
      const serviceMicros = round(((performance.now() - serviceStart) * 1000) / serviceCalls);
      measured[name] = {
        date,
        daysAccrued: daysBetween(state.accruedThrough, addDays(date, -1)),
        payoff: Object.values(fast)
          .reduce((sum, amount) => sum.add(amount), Money.zero())
          .toString(),
        referenceMicroseconds: baseline.microseconds,
        owedOnMicroseconds: domain.microseconds,
        quotePayoffMicroseconds: serviceMicros,
        referenceOverOwedOn: round(baseline.microseconds / domain.microseconds),
      };
    }
    const today = measured.today as { owedOnMicroseconds: number; referenceMicroseconds: number };
    const far = measured.maturityPlusHorizon as { owedOnMicroseconds: number; referenceMicroseconds: number };
    // The service refuses this date; the domain's cost for it shows the work no longer depends on the days.
    const beyond = perCall(() => owedOn(state, '9999-12-31'));
    cases.push({
      method,
      termMonths,
      scheduleRows: state.schedule.rows.length,
      maturityDate: loan.maturityDate,
      ...measured,
      owedOnAtBoundOverToday: round(far.owedOnMicroseconds / today.owedOnMicroseconds),
      referenceAtBoundOverToday: round(far.referenceMicroseconds / today.referenceMicroseconds),
      owedOnFor9999_12_31Microseconds: beyond.microseconds,
    });
  }
  return {
    measuredAt: new Date().toISOString(),
    machine: machine(),
    loadAverage1m: { before: loadBefore, after: load1() },
    today: TODAY,
    horizonDays: PAYOFF_HORIZON_DAYS,
    cases,
    note:
      'One payoff quote per call, in process, on one core: 300,000.00 at 5.85% drawn 15 Oct 2026, never repaid (instalments fall overdue, penalty interest accrues), accrued through the day before today. ' +
      'reference = bringToDate (accrueDay for every date up to the day before, the quote path before issue 8), owedOn = the run-at-a-time domain quote, quotePayoff = the service on a record in memory (state parsing included, no I/O). ' +
      'Every case checks owedOn against the reference to the fen before timing.',
  };
}
