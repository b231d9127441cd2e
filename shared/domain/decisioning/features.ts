import { ValidationError } from '../errors.js';
import { ageOn } from '../identifiers.js';
import { Money } from '../money.js';
import type { Applicant, CollectedData, Features, MonthlyAmount, SourceOutcome } from './types.js';

/**
 * The enterprise profile the later stages read: one number per feature, null where the
 * source did not answer or the history is too short for the feature to mean anything.
 * Features are not money: revenue is reported in whole yuan, and the exact amounts travel
 * separately in `Features.amounts`.
 */
export const FEATURES_VERSION = 'features-2';

export type FeatureName =
  | 'monthsSinceEstablishment'
  | 'verifiedRevenue12m'
  | 'revenueGrowth'
  | 'revenueVolatility'
  | 'taxToInvoiceRatio'
  | 'invoiceToBankRatio'
  | 'debtToRevenue'
  | 'inquiriesLast3Months'
  | 'overdueAccounts'
  | 'casesAsDefendant'
  | 'legalRepresentativeAge';

/**
 * A coefficient of variation over fewer months says more about the calendar than about the
 * business (one December can be half of the year), so volatility needs half a year of sales.
 */
const MIN_MONTHS_FOR_VOLATILITY = 6;

export function buildFeatures(applicant: Applicant, data: CollectedData, asOf: string): Features {
  const registry = answered(data.registry);
  const tax = answered(data.tax);
  const invoices = answered(data.invoices);
  const bankFlows = answered(data.bankFlows);
  const litigation = answered(data.litigation);
  const bureau = answered(data.bureau);

  const last12 = trailingMonths(asOf, 12);
  const previous12 = trailingMonths(asOf, 12, 12);
  const sales12 = tax ? amountsIn(tax.monthlySales, last12) : null;
  const salesPrevious12 = tax ? amountsIn(tax.monthlySales, previous12) : null;
  const revenue = sales12 ? sumAmounts(sales12) : null;
  const revenuePrevious = salesPrevious12 ? sumAmounts(salesPrevious12) : null;
  const invoiced = invoices ? sumAmounts(amountsIn(invoices.monthlyIssued, last12)) : null;
  const inflows = bankFlows ? sumAmounts(amountsIn(bankFlows.monthlyInflow, last12)) : null;
  const debt = bureau ? Money.parse(bureau.outstandingDebt, 'CNY', 'bureau.outstandingDebt') : null;

  const values: Record<FeatureName, number | null> = {
    monthsSinceEstablishment: registry ? wholeMonthsBetween(registry.establishedOn, asOf) : null,
    verifiedRevenue12m: revenue ? wholeYuan(revenue) : null,
    // Growth compares two full years only: a partial year against a full one measures age, not growth.
    revenueGrowth:
      revenue && revenuePrevious && sales12?.length === 12 && salesPrevious12?.length === 12
        ? growth(revenue, revenuePrevious)
        : null,
    revenueVolatility:
      sales12 && sales12.length >= MIN_MONTHS_FOR_VOLATILITY ? coefficientOfVariation(sales12) : null,
    taxToInvoiceRatio: revenue && invoiced ? ratio(revenue, invoiced) : null,
    invoiceToBankRatio: invoiced && inflows ? ratio(invoiced, inflows) : null,
    debtToRevenue: debt && revenue ? ratio(debt, revenue) : null,
    inquiriesLast3Months: bureau ? bureau.inquiriesLast3Months : null,
    overdueAccounts: bureau ? bureau.overdueAccounts : null,
    casesAsDefendant: litigation ? litigation.casesAsDefendant : null,
    legalRepresentativeAge: ageOn(applicant.legalRepresentative.birthDate, asOf),
  };
  return {
    version: FEATURES_VERSION,
    values,
    amounts: { verifiedRevenue12m: revenue?.toString() ?? null, outstandingDebt: debt?.toString() ?? null },
    categories: {
      taxGrade: tax?.grade ?? null,
      // The GB/T 4754 section: the letter that starts the industry code (F = wholesale and retail).
      industry: registry?.industryCode.charAt(0) ?? null,
    },
  };
}

/** Sums monthly amounts exactly, in fen. */
export function sumAmounts(amounts: readonly MonthlyAmount[]): Money {
  return amounts.reduce(
    (total, { month, amount }) => total.add(Money.parse(amount, 'CNY', `amount of ${month}`)),
    Money.zero(),
  );
}

/**
 * The `count` calendar months before the month of `asOf` ("YYYY-MM", oldest first), after
 * skipping the `skip` most recent ones. The month of `asOf` itself is left out because it
 * is not over yet: its tax return is not filed and its sales are partial.
 */
export function trailingMonths(asOf: string, count: number, skip = 0): string[] {
  const { year, month } = parseDate(asOf, 'asOf');
  const current = year * 12 + (month - 1);
  return Array.from({ length: count }, (_, index) => {
    const monthIndex = current - skip - count + index;
    return `${Math.floor(monthIndex / 12)}-${String((monthIndex % 12) + 1).padStart(2, '0')}`;
  });
}

/** The entries of `series` that fall in `months`. */
export function amountsIn(series: readonly MonthlyAmount[], months: readonly string[]): MonthlyAmount[] {
  const wanted = new Set(months);
  return series.filter(({ month }) => wanted.has(month));
}

/** Whole months from `from` to `to`: a month counts once its day-of-month is reached (31 Jan -> 28 Feb is 0). */
export function wholeMonthsBetween(from: string, to: string): number {
  const start = parseDate(from, 'from');
  const end = parseDate(to, 'to');
  return (end.year - start.year) * 12 + (end.month - start.month) - (end.day < start.day ? 1 : 0);
}

function answered<T>(outcome: SourceOutcome<T>): T | null {
  return outcome.status === 'ANSWERED' ? outcome.data : null;
}

function parseDate(date: string, field: string): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.exec(date);
  if (!match) throw new ValidationError(`${field} must be a date YYYY-MM-DD, got ${date}`, field);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

function wholeYuan(amount: Money): number {
  return Number(amount.minor / 100n);
}

/** Ratios keep four decimals: finer digits are noise for binning and make stored profiles harder to read. */
function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function ratio(numerator: Money, denominator: Money): number | null {
  if (denominator.isZero()) return null;
  return round4(Number(numerator.minor) / Number(denominator.minor));
}

function growth(current: Money, previous: Money): number | null {
  if (previous.isZero()) return null;
  return round4(Number(current.subtract(previous).minor) / Number(previous.minor));
}

/** Population standard deviation over the mean of the monthly sales; null when the mean is zero. */
function coefficientOfVariation(series: readonly MonthlyAmount[]): number | null {
  const values = series.map(({ month, amount }) =>
    Number(Money.parse(amount, 'CNY', `amount of ${month}`).minor),
  );
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  if (mean === 0) return null;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
  return round4(Math.sqrt(variance) / mean);
}
