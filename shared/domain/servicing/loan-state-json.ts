import { Money } from '../money.js';
import { AnnualRate } from '../rate.js';
import { type DayCount, RateMultiple } from './day-count.js';
import type { InterestBase, LoanState } from './loan-state.js';
import type { RepaymentMethod, RepaymentSchedule, ScheduleRow } from './schedule.js';

/** A schedule row as the table and the API hold it: amounts as exact decimal strings. */
export interface ScheduleRowJson {
  period: number;
  startDate: string;
  dueDate: string;
  days: number;
  openingPrincipal: string;
  principal: string;
  interest: string;
  total: string;
  closingPrincipal: string;
}

export interface ScheduleJson {
  method: RepaymentMethod;
  principal: string;
  annualRate: string;
  dayCount: DayCount;
  startDate: string;
  instalment: string | null;
  principalPerPeriod: string | null;
  totalInterest: string;
  rows: ScheduleRowJson[];
}

interface InterestBaseJson {
  amount: string;
  since: string;
}

/**
 * A loan's servicing state as stored on the loan item: every amount an exact decimal string,
 * so reading it back gives the very state that was written (`loanStateFromJson` inverts
 * `loanStateJson`). Currency is CNY throughout.
 */
export interface LoanStateJson {
  terms: {
    annualRate: string;
    dayCount: DayCount;
    penaltyMultiple: string;
    compoundOverdueInterest: boolean;
  };
  schedule: ScheduleJson;
  accruedThrough: string;
  currentPrincipal: InterestBaseJson;
  overduePrincipal: InterestBaseJson;
  overdueInterest: InterestBaseJson;
  accruedInterest: string;
  penaltyInterest: string;
}

export function scheduleRowsJson(rows: readonly ScheduleRow[]): ScheduleRowJson[] {
  return rows.map((row) => ({
    period: row.period,
    startDate: row.startDate,
    dueDate: row.dueDate,
    days: row.days,
    openingPrincipal: row.openingPrincipal.toString(),
    principal: row.principal.toString(),
    interest: row.interest.toString(),
    total: row.total.toString(),
    closingPrincipal: row.closingPrincipal.toString(),
  }));
}

export function scheduleToJson(schedule: RepaymentSchedule): ScheduleJson {
  return {
    method: schedule.method,
    principal: schedule.principal.toString(),
    annualRate: schedule.annualRate.toString(),
    dayCount: schedule.dayCount,
    startDate: schedule.startDate,
    instalment: schedule.instalment?.toString() ?? null,
    principalPerPeriod: schedule.principalPerPeriod?.toString() ?? null,
    totalInterest: schedule.totalInterest.toString(),
    rows: scheduleRowsJson(schedule.rows),
  };
}

export function scheduleFromJson(json: ScheduleJson): RepaymentSchedule {
  return {
    method: json.method,
    principal: Money.parse(json.principal),
    annualRate: AnnualRate.parse(json.annualRate),
    dayCount: json.dayCount,
    startDate: json.startDate,
    instalment: json.instalment === null ? null : Money.parse(json.instalment),
    principalPerPeriod: json.principalPerPeriod === null ? null : Money.parse(json.principalPerPeriod),
    totalInterest: Money.parse(json.totalInterest),
    rows: json.rows.map((row) => ({
      period: row.period,
      startDate: row.startDate,
      dueDate: row.dueDate,
      days: row.days,
      openingPrincipal: Money.parse(row.openingPrincipal),
      principal: Money.parse(row.principal),
      interest: Money.parse(row.interest),
      total: Money.parse(row.total),
      closingPrincipal: Money.parse(row.closingPrincipal),
    })),
  };
}

const baseJson = (base: InterestBase): InterestBaseJson => ({
  amount: base.amount.toString(),
  since: base.since,
});
const baseFromJson = (json: InterestBaseJson): InterestBase => ({
  amount: Money.parse(json.amount),
  since: json.since,
});

export function loanStateJson(state: LoanState): LoanStateJson {
  return {
    terms: {
      annualRate: state.terms.annualRate.toString(),
      dayCount: state.terms.dayCount,
      penaltyMultiple: state.terms.penaltyMultiple.toString(),
      compoundOverdueInterest: state.terms.compoundOverdueInterest,
    },
    schedule: scheduleToJson(state.schedule),
    accruedThrough: state.accruedThrough,
    currentPrincipal: baseJson(state.currentPrincipal),
    overduePrincipal: baseJson(state.overduePrincipal),
    overdueInterest: baseJson(state.overdueInterest),
    accruedInterest: state.accruedInterest.toString(),
    penaltyInterest: state.penaltyInterest.toString(),
  };
}

export function loanStateFromJson(json: LoanStateJson): LoanState {
  return {
    terms: {
      annualRate: AnnualRate.parse(json.terms.annualRate),
      dayCount: json.terms.dayCount,
      penaltyMultiple: RateMultiple.parse(json.terms.penaltyMultiple),
      compoundOverdueInterest: json.terms.compoundOverdueInterest,
    },
    schedule: scheduleFromJson(json.schedule),
    accruedThrough: json.accruedThrough,
    currentPrincipal: baseFromJson(json.currentPrincipal),
    overduePrincipal: baseFromJson(json.overduePrincipal),
    overdueInterest: baseFromJson(json.overdueInterest),
    accruedInterest: Money.parse(json.accruedInterest),
    penaltyInterest: Money.parse(json.penaltyInterest),
  };
}
