import type { Product } from './decisioning/types.js';
import type { MoneyJson } from './money.js';
import type { JournalEntry, RepaymentMethod, RepaymentSchedule } from './servicing/index.js';

/**
 * What the apply-to-disburse workflow books. Servicing (draw-downs, schedules, accrual,
 * repayments, the ledger) builds on these records; amounts are decimal strings in CNY.
 */
export interface CreditLineRecord {
  creditLineId: string;
  applicationId: string;
  uscc: string;
  status: 'ACTIVE' | 'FROZEN' | 'EXPIRED' | 'CLOSED';
  limit: MoneyJson;
  used: MoneyJson;
  available: MoneyJson;
  annualRate: string;
  openedAt: string;
  expiresOn: string;
}

export interface LoanRecord {
  loanId: string;
  applicationId: string;
  creditLineId?: string;
  uscc: string;
  product: Product;
  status: 'ACTIVE' | 'SETTLED' | 'WRITTEN_OFF';
  principal: MoneyJson;
  outstandingPrincipal: MoneyJson;
  annualRate: string;
  termMonths: number;
  disbursedAt: string;
  maturityDate: string;
  transferId: string;
  repaymentMethod: RepaymentMethod;
  /** Day of the month instalments fall due. */
  dueDay: number;
  /** The contract schedule computed at disbursement (exact amounts as decimal strings). */
  schedule: ScheduleRowJson[];
  lastMonitoredOn?: string;
}

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

/** A schedule as the table and the API hold it: amounts as exact decimal strings. */
export function scheduleJson(schedule: RepaymentSchedule): ScheduleRowJson[] {
  return schedule.rows.map((row) => ({
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

/** A journal entry as stored: one item per entry, lines with exact amounts. */
export function journalJson(entry: JournalEntry) {
  return {
    loanId: entry.loanId,
    businessDate: entry.businessDate,
    kind: entry.kind,
    reference: entry.reference,
    lines: entry.lines.map((line) => ({
      account: line.account,
      side: line.side,
      amount: line.amount.toString(),
    })),
  };
}
