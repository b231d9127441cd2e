import type { Product } from '../../shared/domain/decisioning/types.js';
import { usccCheckCharacter } from '../../shared/domain/identifiers.js';
import type { LoanRecord } from '../../shared/domain/loan.js';
import { Money } from '../../shared/domain/money.js';
import { mulberry32 } from '../../shared/domain/scorecard/random.js';
import {
  accrueThrough,
  addDays,
  amountDue,
  type RepaymentMethod,
  repay,
} from '../../shared/domain/servicing/index.js';
import { defaultDueDay, loanState, openLoanRecord, withState } from '../../shared/services/loan-servicing.js';

/**
 * The open loans the accrual benchmark seeds: a deterministic mix of methods, terms, amounts,
 * rates and disbursement dates, each brought to the end of the day before the date to accrue
 * by the servicing code itself, as if every earlier nightly run and auto-debit had happened.
 */

/** A small, seedable generator, so every run seeds the same loans. */
export const prng = mulberry32;

function pick<T>(random: () => number, weighted: readonly (readonly [T, number])[]): T {
  const total = weighted.reduce((sum, [, weight]) => sum + weight, 0);
  let draw = random() * total;
  for (const [value, weight] of weighted) {
    draw -= weight;
    if (draw < 0) return value;
  }
  return (weighted.at(-1) as readonly [T, number])[0];
}

function uuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[Math.floor(random() * 4)]}${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** A well-formed Unified Social Credit Code (GB 32100-2015) derived from a number. */
export function syntheticUscc(seed: number): string {
  const body = `91${String(110000 + (seed % 600000)).padStart(6, '0')}MA${(seed * 7919)
    .toString(36)
    .toUpperCase()
    .replace(/[IOSVZ]/g, '1')
    .padStart(7, '0')
    .slice(-7)}`;
  return body + usccCheckCharacter(body);
}

/** Terms offered per method (months), as the product catalogue would. */
const TERMS: Record<RepaymentMethod, readonly (readonly [number, number])[]> = {
  EQUAL_INSTALMENT: [
    [12, 3],
    [24, 2],
    [36, 1],
  ],
  EQUAL_PRINCIPAL: [
    [12, 2],
    [24, 2],
    [36, 1],
  ],
  INTEREST_FIRST: [
    [6, 1],
    [12, 2],
    [24, 1],
  ],
  DAILY_REVOLVING: [
    [3, 1],
    [6, 2],
    [12, 2],
  ],
};

const METHODS: readonly (readonly [RepaymentMethod, number])[] = [
  ['EQUAL_INSTALMENT', 40],
  ['EQUAL_PRINCIPAL', 20],
  ['INTEREST_FIRST', 20],
  ['DAILY_REVOLVING', 20],
];

/** Share of loans that missed their latest instalment and are in arrears (penalty interest accrues). */
const MISSED_LATEST_INSTALMENT = 0.02;
/** Loans were disbursed at most this many days before the date to accrue. */
const MAX_AGE_DAYS = 540;

export interface LoanTemplate {
  /** The loan as stored at the end of the day before `through`; only identities differ per loan. */
  loan: LoanRecord;
  missedLatestInstalment: boolean;
}

/**
 * One loan history: opened by `openLoanRecord` on its disbursement date, each instalment due
 * before `through` paid in full on its due date (the auto-debit; the latest one missed for a
 * few loans), accrued through the day before `through`, each step stored with `withState`.
 * Every loan then has exactly `through` left to accrue and is still open after it.
 */
function loanTemplate(random: () => number, index: number, through: string): LoanTemplate {
  for (;;) {
    const method = pick(random, METHODS);
    const termMonths = pick(random, TERMS[method]);
    const [low, high] = method === 'DAILY_REVOLVING' ? [10_000, 1_000_000] : [20_000, 3_000_000];
    const amount = Math.round(Math.exp(Math.log(low) + random() * Math.log(high / low)) / 1000) * 1000;
    // 3.45% (the one-year LPR) to 18.00%, in 5 bp steps.
    const basisPoints = 345 + 5 * Math.floor(random() * 332);
    const ageDays = 1 + Math.floor(random() * Math.min(MAX_AGE_DAYS, termMonths * 30));
    const disbursedOn = addDays(through, 1 - ageDays);
    const product: Product = method === 'DAILY_REVOLVING' || random() < 0.3 ? 'REVOLVING_LINE' : 'TERM_LOAN';
    const applicationId = uuid(random);
    const { loan: opened } = openLoanRecord({
      loanId: `LN-${applicationId}`,
      applicationId,
      ...(product === 'REVOLVING_LINE' ? { creditLineId: `CL-${applicationId}` } : {}),
      uscc: syntheticUscc(index + 1),
      product,
      amount: Money.ofMajor(amount),
      annualRate: (basisPoints / 10_000).toFixed(4),
      termMonths,
      repaymentMethod: method,
      dueDay: defaultDueDay(disbursedOn),
      transferId: `TR-${applicationId}`,
      disbursedAt: `${disbursedOn}T02:00:00.000Z`,
    });
    // Still open after `through` (the maturity instalment comes later), so each run accrues it.
    if (opened.maturityDate <= through) continue;
    let loan = opened;
    let state = loanState(loan);
    const due = state.schedule.rows.filter((row) => row.dueDate <= through);
    const missed = due.length > 0 && random() < MISSED_LATEST_INSTALMENT;
    for (const [k, row] of due.entries()) {
      if (missed && k === due.length - 1) {
        // Unpaid: it falls overdue at the end of its due date (during the benchmark if that is `through`).
        if (row.dueDate < through) {
          state = accrueThrough(state, row.dueDate).state;
          loan = withState(loan, state, row.dueDate);
        }
        break;
      }
      state = accrueThrough(state, addDays(row.dueDate, -1)).state;
      const collected = amountDue(state, row.dueDate).total;
      state = repay(state, row.dueDate, collected).state;
      loan = withState(loan, state, row.dueDate);
    }
    state = accrueThrough(state, addDays(through, -1)).state;
    loan = withState(loan, state, addDays(through, -1));
    return { loan, missedLatestInstalment: missed };
  }
}

/** `count` distinct loan histories; loans share them with their own ids. */
export function loanTemplates(count: number, through: string, seed = 20261115): LoanTemplate[] {
  const random = prng(seed);
  return Array.from({ length: count }, (_, index) => loanTemplate(random, index, through));
}

/** Loan `index` of the benchmark: a template's history under its own loan, application, line and enterprise. */
export function benchLoan(
  templates: readonly LoanTemplate[],
  random: () => number,
  index: number,
): { loan: LoanRecord; template: number } {
  const template = Math.floor(random() * templates.length);
  const { loan } = templates[template] as LoanTemplate;
  const applicationId = uuid(random);
  return {
    template,
    loan: {
      ...loan,
      loanId: `LN-${applicationId}`,
      applicationId,
      ...(loan.creditLineId ? { creditLineId: `CL-${applicationId}` } : {}),
      uscc: syntheticUscc(100_000 + index),
      transferId: `TR-${applicationId}`,
    },
  };
}
