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
 * (6,000,000.00 a year), invoices 490,000.00 and bank inflows 520,000.00 a month, 600,000.00
 * owed elsewhere, established 86 months before AS_OF.
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
    }),
    tax: answer({ grade: 'A', monthlySales: flat('500000.00'), arrears: '0.00' }),
    invoices: answer({ monthlyIssued: flat('490000.00'), redLetterRatio: 0.01 }),
    bankFlows: answer({ monthlyInflow: flat('520000.00'), monthlyOutflow: flat('470000.00') }),
    litigation: answer({ casesAsDefendant: 0, amountAsDefendant: '0.00', dishonestJudgmentDebtor: false }),
    bureau: answer({ outstandingDebt: '600000.00', overdueAccounts: 0, inquiriesLast3Months: 1 }),
    collectedAt: AS_OF,
    ...overrides,
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
