import { Money } from '../../../shared/domain/money.js';
import { AnnualRate } from '../../../shared/domain/rate.js';
import type { LoanInput, ScheduleRow } from '../../../shared/domain/servicing/index.js';

export const money = (amount: string): Money => Money.parse(amount);
export const rate = (fraction: string): AnnualRate => AnnualRate.parse(fraction);

/** A schedule row as strings, in the column order of the spreadsheets the expected figures come from. */
export function rowText(row: ScheduleRow): string[] {
  return [
    String(row.period),
    row.startDate,
    row.dueDate,
    String(row.days),
    row.openingPrincipal.toString(),
    row.principal.toString(),
    row.interest.toString(),
    row.total.toString(),
    row.closingPrincipal.toString(),
  ];
}

export function sum(amounts: readonly Money[]): Money {
  return amounts.reduce((total, amount) => total.add(amount), Money.zero());
}

/** The worked example of docs/servicing.md: 120,000.00 at 6% over 12 equal instalments, drawn 15 Jan 2025, due on the 15th. */
export const input = (overrides: Partial<LoanInput> = {}): LoanInput => ({
  principal: money('120000.00'),
  annualRate: rate('0.06'),
  termMonths: 12,
  disbursementDate: '2025-01-15',
  dueDay: 15,
  method: 'EQUAL_INSTALMENT',
  ...overrides,
});
