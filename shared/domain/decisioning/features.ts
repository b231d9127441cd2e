import { addMonths } from '../business-date.js';
import { ValidationError } from '../errors.js';
import { ageOn } from '../identifiers.js';
import { Money } from '../money.js';
import type {
  Applicant,
  CollectedData,
  CreditFacility,
  Features,
  MonthlyAmount,
  RelatedPartyTransfer,
  SourceOutcome,
} from './types.js';

/**
 * The enterprise profile the later stages read: one number per feature, null where the
 * source did not answer or the history is too short for the feature to mean anything.
 * Features are not money: revenue is reported in whole yuan, and the exact amounts travel
 * separately in `Features.amounts`.
 *
 * features-3 adds what the richer records tell (concentration, consistency, related-party
 * money, balances, other lenders, overdue history). The scorecard reads only the features
 * it was trained on, which keep their features-2 definitions; the new ones feed the fraud
 * signals, the access rules, the tax cap of the limit, and staff's reading of the case. A
 * snapshot taken before the richer records existed gives null for each of them.
 */
export const FEATURES_VERSION = 'features-3';

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
  | 'legalRepresentativeAge'
  // features-3
  | 'taxPaid12m'
  | 'taxPaidToSales'
  | 'purchaseToSalesRatio'
  | 'redLetterRatio'
  | 'topCustomerShare'
  | 'top5CustomerShare'
  | 'invoiceToTradeInflowRatio'
  | 'relatedPartyInflowShare'
  | 'relatedPartyFlowShare'
  | 'roundTripShare'
  | 'salesSpikeRatio'
  | 'averageBalance12m'
  | 'balanceVolatility'
  | 'returnedPayments12m'
  | 'lenderCount'
  | 'creditLineUtilisation'
  | 'inquiriesLast6Months'
  | 'worstDaysPastDue12m'
  | 'worstDaysPastDue24m'
  | 'overdueMonths24m'
  | 'addressChanges24m';

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
  const last24 = trailingMonths(asOf, 24);
  const sales12 = tax ? amountsIn(tax.monthlySales, last12) : null;
  const salesPrevious12 = tax ? amountsIn(tax.monthlySales, previous12) : null;
  const revenue = sales12 ? sumAmounts(sales12) : null;
  const revenuePrevious = salesPrevious12 ? sumAmounts(salesPrevious12) : null;
  const invoiced = invoices ? sumAmounts(amountsIn(invoices.monthlyIssued, last12)) : null;
  const inflows = bankFlows ? sumAmounts(amountsIn(bankFlows.monthlyInflow, last12)) : null;
  const outflows = bankFlows ? sumAmounts(amountsIn(bankFlows.monthlyOutflow, last12)) : null;
  const debt = bureau ? Money.parse(bureau.outstandingDebt, 'CNY', 'bureau.outstandingDebt') : null;

  const taxPaid = tax?.monthlyTaxPaid ? sumAmounts(amountsIn(tax.monthlyTaxPaid, last12)) : null;
  const purchases = invoices?.monthlyReceived
    ? sumAmounts(amountsIn(invoices.monthlyReceived, last12))
    : null;
  const customers = invoices?.topCustomers;
  const related = bankFlows?.relatedPartyTransfers
    ? relatedPartyFlows(bankFlows.relatedPartyTransfers, last12)
    : null;
  const balances = bankFlows?.monthlyBalance ? amountsIn(bankFlows.monthlyBalance, last12) : null;
  const spike = sales12 && tax ? recentSpike(tax.monthlySales, asOf) : null;
  const lines = bureau?.facilities?.filter((facility) => facility.type === 'CREDIT_LINE');
  const lineLimits = lines ? sumOf(lines.map((line) => line.limit)) : null;
  const overdue24 = bureau?.overdueHistory?.filter(({ month }) => last24.includes(month));

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

    taxPaid12m: taxPaid ? wholeYuan(taxPaid) : null,
    taxPaidToSales: taxPaid && revenue ? ratio(taxPaid, revenue) : null,
    purchaseToSalesRatio: purchases && invoiced ? ratio(purchases, invoiced) : null,
    redLetterRatio: invoices ? round4(invoices.redLetterRatio) : null,
    topCustomerShare: customers?.[0] ? round4(customers[0].share) : null,
    top5CustomerShare: customers?.[0]
      ? round4(customers.slice(0, 5).reduce((total, customer) => total + customer.share, 0))
      : null,
    // Money from the enterprise's own people is not trade: the invoices should match what is left.
    invoiceToTradeInflowRatio:
      invoiced && inflows && related ? ratio(invoiced, inflows.subtract(related.inflow)) : null,
    relatedPartyInflowShare: related && inflows ? ratio(related.inflow, inflows) : null,
    relatedPartyFlowShare:
      related && inflows && outflows
        ? ratio(related.inflow.add(related.outflow), inflows.add(outflows))
        : null,
    roundTripShare: related && inflows ? ratio(related.roundTrip, inflows) : null,
    salesSpikeRatio:
      spike && spike.baselineMonths >= MIN_MONTHS_FOR_VOLATILITY && spike.recentMonths === SPIKE_MONTHS
        ? averageRatio(spike.recent, spike.recentMonths, spike.baseline, spike.baselineMonths)
        : null,
    averageBalance12m:
      balances && balances.length > 0
        ? Math.trunc(Number(sumAmounts(balances).minor) / balances.length / 100)
        : null,
    balanceVolatility:
      balances && balances.length >= MIN_MONTHS_FOR_VOLATILITY ? coefficientOfVariation(balances) : null,
    returnedPayments12m: bankFlows?.monthlyReturnedPayments
      ? bankFlows.monthlyReturnedPayments
          .filter(({ month }) => last12.includes(month))
          .reduce((total, { count }) => total + count, 0)
      : null,
    lenderCount: bureau?.facilities
      ? new Set(bureau.facilities.map((facility) => facility.institution)).size
      : null,
    creditLineUtilisation:
      lines && lineLimits ? ratio(sumOf(lines.map((line) => line.balance)), lineLimits) : null,
    inquiriesLast6Months: bureau?.inquiriesLast6Months ?? null,
    worstDaysPastDue12m: overdue24
      ? Math.max(0, ...overdue24.filter(({ month }) => last12.includes(month)).map((m) => m.worstDaysPastDue))
      : null,
    worstDaysPastDue24m: overdue24 ? Math.max(0, ...overdue24.map((m) => m.worstDaysPastDue)) : null,
    overdueMonths24m: overdue24 ? new Set(overdue24.map(({ month }) => month)).size : null,
    addressChanges24m: registry?.addressChanges
      ? registry.addressChanges.filter(
          ({ changedOn }) => changedOn > addMonths(asOf, -24) && changedOn <= asOf,
        ).length
      : null,
  };
  return {
    version: FEATURES_VERSION,
    asOf,
    values,
    amounts: {
      verifiedRevenue12m: revenue?.toString() ?? null,
      outstandingDebt: debt?.toString() ?? null,
      taxPaid12m: taxPaid?.toString() ?? null,
      undrawnCreditLines: lines ? undrawn(lines).toString() : null,
    },
    categories: {
      taxGrade: tax?.grade ?? null,
      // The GB/T 4754 section: the letter that starts the industry code (F = wholesale and retail).
      industry: registry?.industryCode.charAt(0) ?? null,
    },
  };
}

/** Money that came in from related parties, went out to them, and what went both ways with the same party. */
export interface RelatedPartyFlows {
  inflow: Money;
  outflow: Money;
  /**
   * Σ over counterparties of the smaller of what came from and went to each one: money that
   * went round the circle. A shareholder's loan that is still in the business is not in it.
   */
  roundTrip: Money;
  /** The counterparties with the most round-tripped money first. */
  counterparties: { counterparty: string; relation: string; inflow: Money; outflow: Money }[];
}

export function relatedPartyFlows(
  transfers: readonly RelatedPartyTransfer[],
  months: readonly string[],
): RelatedPartyFlows {
  const wanted = new Set(months);
  const byParty = new Map<
    string,
    { counterparty: string; relation: string; inflow: Money; outflow: Money }
  >();
  for (const transfer of transfers) {
    if (!wanted.has(transfer.month)) continue;
    const party = byParty.get(transfer.counterparty) ?? {
      counterparty: transfer.counterparty,
      relation: transfer.relation,
      inflow: Money.zero(),
      outflow: Money.zero(),
    };
    party.inflow = party.inflow.add(
      Money.parse(transfer.inflow, 'CNY', `inflow from ${transfer.counterparty}`),
    );
    party.outflow = party.outflow.add(
      Money.parse(transfer.outflow, 'CNY', `outflow to ${transfer.counterparty}`),
    );
    byParty.set(transfer.counterparty, party);
  }
  const parties = [...byParty.values()];
  const circled = (party: { inflow: Money; outflow: Money }) => Money.min(party.inflow, party.outflow);
  return {
    inflow: parties.reduce((total, party) => total.add(party.inflow), Money.zero()),
    outflow: parties.reduce((total, party) => total.add(party.outflow), Money.zero()),
    roundTrip: parties.reduce((total, party) => total.add(circled(party)), Money.zero()),
    counterparties: parties.sort((a, b) => circled(b).compare(circled(a))),
  };
}

/** The months just before applying that a revenue spike is looked for in. */
export const SPIKE_MONTHS = 3;

/**
 * The last three months against what came before: the nine months before them (the
 * trailing baseline), and the same three months a year earlier (the seasonal baseline,
 * null unless all three are in the series). Sums in fen with the month counts, so a caller
 * can compare averages exactly.
 */
export interface RecentSpike {
  recent: Money;
  recentMonths: number;
  baseline: Money;
  baselineMonths: number;
  yearBefore: Money | null;
}

export function recentSpike(series: readonly MonthlyAmount[], asOf: string): RecentSpike {
  const recent = amountsIn(series, trailingMonths(asOf, SPIKE_MONTHS));
  const baseline = amountsIn(series, trailingMonths(asOf, 12 - SPIKE_MONTHS, SPIKE_MONTHS));
  const yearBefore = amountsIn(series, trailingMonths(asOf, SPIKE_MONTHS, 12));
  return {
    recent: sumAmounts(recent),
    recentMonths: recent.length,
    baseline: sumAmounts(baseline),
    baselineMonths: baseline.length,
    yearBefore: yearBefore.length === SPIKE_MONTHS ? sumAmounts(yearBefore) : null,
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
export function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

export function ratio(numerator: Money, denominator: Money): number | null {
  if (denominator.isZero()) return null;
  return round4(Number(numerator.minor) / Number(denominator.minor));
}

export function growth(current: Money, previous: Money): number | null {
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

/** (a / aMonths) / (b / bMonths), four decimals; null when b is zero. */
function averageRatio(a: Money, aMonths: number, b: Money, bMonths: number): number | null {
  if (b.isZero() || aMonths === 0) return null;
  return round4((Number(a.minor) * bMonths) / (Number(b.minor) * aMonths));
}

function sumOf(amounts: readonly string[]): Money {
  return amounts.reduce(
    (total, amount) => total.add(Money.parse(amount, 'CNY', 'facility amount')),
    Money.zero(),
  );
}

/** What the credit lines elsewhere would still let the enterprise draw. */
function undrawn(lines: readonly CreditFacility[]): Money {
  return lines.reduce(
    (total, line) =>
      total.add(
        Money.max(
          Money.zero(),
          Money.parse(line.limit, 'CNY', 'facility limit').subtract(
            Money.parse(line.balance, 'CNY', 'facility balance'),
          ),
        ),
      ),
    Money.zero(),
  );
}
