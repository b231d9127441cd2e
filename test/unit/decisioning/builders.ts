import type { SimulatedEnterpriseDataProvider } from '../../../shared/adapters/simulated/enterprise-data-provider.js';
import { assess, trailingMonths } from '../../../shared/domain/decisioning/index.js';
import type {
  Applicant,
  CollectedData,
  MonthlyAmount,
  SourceName,
  SourceOutcome,
  SourceRecords,
} from '../../../shared/domain/decisioning/types.js';
import { collectSources } from '../../../shared/services/collect-data.js';

/** The business date every unit test decides on: the last 12 months are 2025-11..2026-10. */
export const AS_OF = '2026-11-15';
export const USCC = '91350102MA31K7Q230';

/** `count` months before AS_OF, oldest first, each with the same amount. */
export function flat(amount: string, count = 24): MonthlyAmount[] {
  return trailingMonths(AS_OF, count).map((month) => ({ month, amount }));
}

/** Twelve months of `previous` followed by twelve of `last`. */
export function twoYears(previous: string, last: string): MonthlyAmount[] {
  return [...flat(previous, 24).slice(0, 12), ...flat(last, 12)];
}

export function applicant(overrides: Partial<Applicant> = {}): Applicant {
  return {
    uscc: USCC,
    enterpriseName: '福州闽江源商贸有限公司',
    legalRepresentative: { name: '林志远', birthDate: '1979-03-12' },
    product: 'REVOLVING_LINE',
    requestedAmount: '2000000.00',
    termMonths: 12,
    ...overrides,
  };
}

export type SourceOverrides = { [S in SourceName]?: SourceOutcome<SourceRecords[S]> };

/**
 * A healthy enterprise's data, every source answered: 500,000.00 of sales every month
 * (6,000,000.00 a year) on which 17,500.00 of tax is paid (3.5%), invoices 490,000.00 issued
 * and 400,000.00 received a month, bank inflows 520,000.00 and outflows 470,000.00 a month
 * with month-end balances alternating 250,000.00 and 350,000.00, 10,400.00 a month in from
 * the legal representative and 5,200.00 back to him, 600,000.00 owed elsewhere on a line of
 * 500,000.00 (400,000.00 drawn) and a loan, one 12-day overdue month in 2025-03, one address
 * change, established 86 months before AS_OF.
 */
export function collected(overrides: SourceOverrides = {}): CollectedData {
  return {
    registry: answer({
      uscc: USCC,
      name: '福州闽江源商贸有限公司',
      legalRepresentativeName: '林志远',
      establishedOn: '2019-09-15',
      status: 'ACTIVE',
      registeredCapital: '1000000.00',
      industryCode: 'F5191',
      shareholders: [
        { name: '林志远', share: 0.8, naturalPerson: true },
        { name: '闽江源控股有限公司', share: 0.2, naturalPerson: false },
      ],
      addressChanges: [{ changedOn: '2021-03-01' }, { changedOn: '2025-06-01' }],
    }),
    tax: answer({
      grade: 'A',
      monthlySales: flat('500000.00'),
      arrears: '0.00',
      monthlyTaxPaid: flat('17500.00'),
    }),
    invoices: answer({
      monthlyIssued: flat('490000.00'),
      redLetterRatio: 0.01,
      monthlyReceived: flat('400000.00'),
      topCustomers: [
        { name: '永辉商业有限公司', share: 0.2 },
        { name: '华润商业有限公司', share: 0.15 },
        { name: '物美商业有限公司', share: 0.1 },
        { name: '联华商业有限公司', share: 0.05 },
        { name: '红旗商业有限公司', share: 0.05 },
      ],
    }),
    bankFlows: answer({
      monthlyInflow: flat('520000.00'),
      monthlyOutflow: flat('470000.00'),
      monthlyBalance: flat('0.00').map(({ month }, index) => ({
        month,
        amount: index % 2 === 0 ? '250000.00' : '350000.00',
      })),
      monthlyReturnedPayments: [
        { month: '2025-02', count: 2 },
        { month: '2026-03', count: 1 },
      ],
      relatedPartyTransfers: trailingMonths(AS_OF, 12).map((month) => ({
        month,
        counterparty: '林志远',
        relation: 'LEGAL_REPRESENTATIVE' as const,
        inflow: '10400.00',
        outflow: '5200.00',
      })),
    }),
    litigation: answer({ casesAsDefendant: 0, amountAsDefendant: '0.00', dishonestJudgmentDebtor: false }),
    bureau: answer({
      outstandingDebt: '600000.00',
      overdueAccounts: 0,
      inquiriesLast3Months: 1,
      inquiriesLast6Months: 2,
      facilities: [
        { institution: '招商银行', type: 'CREDIT_LINE', limit: '500000.00', balance: '400000.00' },
        { institution: '兴业银行', type: 'LOAN', limit: '250000.00', balance: '200000.00' },
      ],
      overdueHistory: [{ month: '2025-03', worstDaysPastDue: 12 }],
    }),
    collectedAt: AS_OF,
    ...overrides,
  };
}

/**
 * The same data as a snapshot stored before the richer records existed (features-2 and
 * earlier): every field added since is left out, as the table holds such snapshots.
 */
export function asOlderSnapshot(data: CollectedData): CollectedData {
  const strip = <T extends object>(outcome: SourceOutcome<T>, fields: string[]): SourceOutcome<T> => {
    if (outcome.status !== 'ANSWERED') return outcome;
    const copy = Object.fromEntries(
      Object.entries(outcome.data).filter(([field]) => !fields.includes(field)),
    );
    return { status: 'ANSWERED', data: copy as T };
  };
  return {
    ...data,
    registry: strip(data.registry, ['shareholders', 'addressChanges']),
    tax: strip(data.tax, ['monthlyTaxPaid']),
    invoices: strip(data.invoices, ['monthlyReceived', 'topCustomers']),
    bankFlows: strip(data.bankFlows, ['monthlyBalance', 'monthlyReturnedPayments', 'relatedPartyTransfers']),
    bureau: strip(data.bureau, ['inquiriesLast6Months', 'facilities', 'overdueHistory']),
  };
}

export function answer<T>(data: T): SourceOutcome<T> {
  return { status: 'ANSWERED', data };
}

/** What the collect stage does: each source's answer, absence or failure. */
export function collectFrom(provider: SimulatedEnterpriseDataProvider, uscc: string): Promise<CollectedData> {
  return collectSources(provider, uscc, AS_OF);
}

/** VerifyIdentity -> features -> Screen -> Score -> PriceAndLimit -> Decide, as the workflow runs them. */
export function runPipeline(applicantData: Applicant, data: CollectedData) {
  return assess(applicantData, data, AS_OF);
}
