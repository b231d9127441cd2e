/**
 * The data and results of the apply-to-decide pipeline. Each workflow stage is one pure
 * function over these types (identity.ts, screening.ts, features.ts, scoring.ts, pricing.ts,
 * decision.ts); the services load their inputs from the table and store their outputs.
 * Money fields are decimal strings in CNY ("123456.78"); months are "YYYY-MM"; dates "YYYY-MM-DD".
 */

import type { PartnerDataOutcome } from './partner.js';

export type Product = 'REVOLVING_LINE' | 'TERM_LOAN';

export interface MonthlyAmount {
  month: string;
  amount: string;
}

/** Business registry (national enterprise credit information publicity system). */
export interface RegistryRecord {
  uscc: string;
  name: string;
  legalRepresentativeName: string;
  establishedOn: string;
  status: 'ACTIVE' | 'ABNORMAL' | 'REVOKED' | 'CANCELLED';
  registeredCapital: string;
  /** GB/T 4754 industry code, e.g. "F5191" wholesale. */
  industryCode: string;
  /** Registered shareholders. Absent in snapshots taken before features-3 and from vendors that do not report them. */
  shareholders?: Shareholder[];
  /** Changes of the registered address, oldest first. Absent like `shareholders`. */
  addressChanges?: AddressChange[];
}

export interface Shareholder {
  name: string;
  /** Share of the registered capital, 0..1. */
  share: number;
  /** A natural person (自然人股东) rather than a company. */
  naturalPerson: boolean;
}

export interface AddressChange {
  /** The date the registry recorded the new address, "YYYY-MM-DD". */
  changedOn: string;
}

export interface TaxRecord {
  /** Tax credit grade (纳税信用等级). */
  grade: 'A' | 'B' | 'M' | 'C' | 'D';
  /** Monthly taxable sales, oldest first, up to 24 months before the application. */
  monthlySales: MonthlyAmount[];
  arrears: string;
  /** Tax actually paid each month (VAT, surcharges, income tax), oldest first. Absent in older snapshots. */
  monthlyTaxPaid?: MonthlyAmount[];
}

export interface InvoiceRecord {
  /** Invoices issued each month (sales), as issued: reversals are reported in `redLetterRatio`, not netted here. */
  monthlyIssued: MonthlyAmount[];
  /** Share of issued invoices later cancelled or reversed by red-letter invoices, 0..1. */
  redLetterRatio: number;
  /** Invoices received each month (purchases). Absent in older snapshots. */
  monthlyReceived?: MonthlyAmount[];
  /**
   * The largest buyers by share of the invoices issued in the last 12 months, largest first
   * (at most 10). Absent in older snapshots.
   */
  topCustomers?: CounterpartyShare[];
}

export interface CounterpartyShare {
  name: string;
  /** 0..1 of the amount invoiced. */
  share: number;
}

export interface BankFlowRecord {
  monthlyInflow: MonthlyAmount[];
  monthlyOutflow: MonthlyAmount[];
  /** Month-end balance of the accounts. Absent in older snapshots, like every field below. */
  monthlyBalance?: MonthlyAmount[];
  /** Payments returned or bounced for insufficient funds (退票), per month; months without any may be left out. */
  monthlyReturnedPayments?: MonthlyCount[];
  /**
   * Transfers with related parties (shareholders, the legal representative, affiliated
   * companies), per counterparty and month: how much came in from them and went out to them.
   * These are part of `monthlyInflow` and `monthlyOutflow`, not in addition to them.
   */
  relatedPartyTransfers?: RelatedPartyTransfer[];
}

export interface MonthlyCount {
  month: string;
  count: number;
}

export type RelatedPartyRelation = 'SHAREHOLDER' | 'LEGAL_REPRESENTATIVE' | 'AFFILIATE' | 'OTHER_RELATED';

export interface RelatedPartyTransfer {
  month: string;
  counterparty: string;
  relation: RelatedPartyRelation;
  inflow: string;
  outflow: string;
}

export interface LitigationRecord {
  casesAsDefendant: number;
  amountAsDefendant: string;
  /** Listed as a dishonest judgment debtor (失信被执行人), the courts' blacklist. */
  dishonestJudgmentDebtor: boolean;
}

export interface BureauRecord {
  /** Outstanding loans and used credit lines at other institutions: the sum of the facilities' balances. */
  outstandingDebt: string;
  /** Accounts overdue today. */
  overdueAccounts: number;
  inquiriesLast3Months: number;
  /** Includes the last 3 months. Absent in older snapshots, like every field below. */
  inquiriesLast6Months?: number;
  /** Loans and credit lines at other institutions, one entry per facility. */
  facilities?: CreditFacility[];
  /** The months of the last 24 in which any account was overdue, with the worst days past due that month. */
  overdueHistory?: MonthlyOverdue[];
}

export interface CreditFacility {
  /** The lending institution as the bureau names it. */
  institution: string;
  type: 'LOAN' | 'CREDIT_LINE';
  /** The line's limit, or the loan's original amount. */
  limit: string;
  /** Owed today. */
  balance: string;
}

export interface MonthlyOverdue {
  month: string;
  /** The most days past due of any account in that month (1 or more). */
  worstDaysPastDue: number;
}

export interface SourceRecords {
  registry: RegistryRecord;
  tax: TaxRecord;
  invoices: InvoiceRecord;
  bankFlows: BankFlowRecord;
  litigation: LitigationRecord;
  bureau: BureauRecord;
}

export type SourceName = keyof SourceRecords;
export const SOURCE_NAMES: readonly SourceName[] = [
  'registry',
  'tax',
  'invoices',
  'bankFlows',
  'litigation',
  'bureau',
];

export type SourceOutcome<T> =
  | { status: 'ANSWERED'; data: T }
  | { status: 'MISSING' }
  | { status: 'FAILED'; error: string };

/** What the bank's blacklist can name: an enterprise, a person (by ID number), or a mobile number. */
export type BlacklistKind = 'ENTERPRISE' | 'PERSON' | 'MOBILE';

/**
 * What the bank's own records said about the applicant when the data was collected. Kept
 * with the snapshot, so replaying a decision sees the lists as they were, not as they are.
 */
export interface InternalChecks {
  /** Active blacklist entries matching the enterprise, its legal representative's ID or mobile. */
  blacklistHits: { kind: BlacklistKind; entryId: string; reason: string }[];
  velocity: {
    windowDays: number;
    /** Other enterprises whose applications named the same legal representative's ID number. */
    otherEnterprisesSharingIdNumber: number;
    /** Other enterprises whose applications gave the same mobile number. */
    otherEnterprisesSharingMobile: number;
    /** Earlier applications of this enterprise within the window. */
    earlierApplicationsOfEnterprise: number;
  };
}

export type CollectedData = { [S in SourceName]: SourceOutcome<SourceRecords[S]> } & {
  collectedAt: string;
  /** Absent in snapshots taken before internal checks existed. */
  internal?: InternalChecks;
  /** Partner platform pushes (partner.ts); absent in snapshots taken before partner data existed. */
  partner?: PartnerDataOutcome;
};

/** What the applicant declared, without personal identifiers in clear. */
export interface Applicant {
  uscc: string;
  enterpriseName: string;
  legalRepresentative: {
    name: string;
    /** Derived from the resident ID number (GB 11643-1999). */
    birthDate: string;
  };
  product: Product;
  requestedAmount: string;
  termMonths: number;
}

/** A reason a customer may read, and the fuller explanation staff see. */
export interface Reason {
  code: string;
  customerMessage: string;
  detail: string;
}

export interface Signal extends Reason {
  severity: 'DECLINE' | 'REFER' | 'INFO';
}

export interface IdentityResult {
  policyVersion: string;
  passed: boolean;
  signals: Signal[];
}

export interface ScreeningResult {
  policyVersion: string;
  passed: boolean;
  /** Rules that failed, each with its reason; a failed rule with severity REFER sends the case to an officer. */
  failedRules: Signal[];
}

export interface Features {
  version: string;
  /** The business date the features describe (the snapshot's `collectedAt`); absent before features-3. */
  asOf?: string;
  values: Record<string, number | null>;
  /**
   * The money-valued features as exact decimal strings (CNY), summed in fen from the same
   * records and window as `values`, so the stages that compute money (pricing) never turn a
   * float back into money. Null where the source did not answer.
   */
  amounts?: MoneyFeatures;
  /** Categorical features (the tax credit grade, the GB/T 4754 industry section); absent before features-2. */
  categories?: Record<string, string | null>;
}

export interface MoneyFeatures {
  verifiedRevenue12m: string | null;
  outstandingDebt: string | null;
  /** Tax paid over the same 12 months; absent before features-3, null when the tax record does not report it. */
  taxPaid12m?: string | null;
  /** Limits of credit lines at other institutions not drawn today; absent before features-3. */
  undrawnCreditLines?: string | null;
}

export interface ScoreResult {
  modelVersion: string;
  score: number;
  /** Probability of default as a decimal string with 4 decimals, e.g. "0.0312". */
  probabilityOfDefault: string;
  /** Adverse reasons, strongest first. */
  reasons: Reason[];
}

export interface Pricing {
  policyVersion: string;
  lprVersion: string;
  /** Annual rate as a fraction with 4 decimals, e.g. "0.0585". */
  annualRate: string;
  limit: string;
  termMonths: number;
  /** How the rate was built, for staff; absent before pricing-2026.12. */
  rate?: RateBreakdown;
  /** Every cap the limit is the smallest of, and which one bound; absent before pricing-2026.12. */
  limitCaps?: LimitBreakdown;
}

export interface RateBreakdown {
  lprBasisPoints: number;
  expectedLossBasisPoints: number;
  costAndMarginBasisPoints: number;
  /** The sum, after the policy floor and cap. */
  rateBasisPoints: number;
}

export type LimitCap = 'PRODUCT_CAP' | 'REVENUE_SHARE' | 'TAX_MULTIPLE' | 'REQUESTED' | 'DEBT_CAPACITY';

export interface LimitBreakdown {
  productCap: string;
  revenueShare: string;
  /** Null when there is no tax-paid record to apply it to (older snapshots, a vendor that does not report it). */
  taxMultiple: string | null;
  requested: string;
  debtCapacity: string;
  /** The smallest cap (the first in this order on a tie); the limit is it rounded down to the policy step. */
  binding: LimitCap;
}

export type Outcome = 'APPROVE' | 'DECLINE' | 'REFER';

export interface Decision {
  outcome: Outcome;
  reasons: Reason[];
  /** Present when the outcome is APPROVE or REFER (what an officer would approve). */
  limit?: string;
  annualRate?: string;
  termMonths?: number;
  /** Every version the decision ran under, so it can be explained and re-run years later. */
  versions: DecisionVersions;
}

export interface DecisionVersions {
  identityPolicy: string;
  accessPolicy: string;
  features: string;
  model: string;
  lpr: string;
  pricingPolicy: string;
  decisionPolicy: string;
}
