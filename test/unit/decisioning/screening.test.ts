import { describe, expect, it } from 'vitest';
import { buildFeatures } from '../../../shared/domain/decisioning/features.js';
import { ACCESS_POLICY, accessPolicySchema, screen } from '../../../shared/domain/decisioning/screening.js';
import type {
  Applicant,
  BureauRecord,
  CollectedData,
  InvoiceRecord,
  RegistryRecord,
  TaxRecord,
} from '../../../shared/domain/decisioning/types.js';
import {
  AS_OF,
  answer,
  applicant,
  asOlderSnapshot,
  collected,
  flat,
  type SourceOverrides,
} from './builders.js';

const registry: RegistryRecord = {
  uscc: '91350102MA31K7Q230',
  name: '福州闽江源商贸有限公司',
  legalRepresentativeName: '林志远',
  establishedOn: '2019-09-15',
  status: 'ACTIVE',
  registeredCapital: '1000000.00',
  industryCode: 'F5191',
};
const tax: TaxRecord = { grade: 'A', monthlySales: flat('500000.00'), arrears: '0.00' };

function screened(data: CollectedData, who: Applicant = applicant()) {
  return screen(who, data, buildFeatures(who, data, AS_OF), AS_OF);
}

describe('screen', () => {
  it('passes the healthy enterprise under access-2026.12', () => {
    expect(screened(collected())).toEqual({ policyVersion: 'access-2026.12', passed: true, failedRules: [] });
  });

  it('passes a snapshot stored before the richer records: the rules that need them are skipped', () => {
    expect(screened(asOlderSnapshot(collected())).failedRules).toEqual([]);
  });

  describe.each<{
    rule: string;
    overrides: SourceOverrides;
    who?: Applicant;
    expected: [string, string] | null;
  }>([
    // Months since establishment, counted to 2026-11-15.
    {
      rule: '11 months old',
      overrides: { registry: answer({ ...registry, establishedOn: '2025-12-15' }) },
      expected: ['YOUNG_COMPANY', 'DECLINE'],
    },
    {
      rule: '12 months old',
      overrides: { registry: answer({ ...registry, establishedOn: '2025-11-15' }) },
      expected: ['YOUNG_COMPANY', 'REFER'],
    },
    {
      rule: '23 months old',
      overrides: { registry: answer({ ...registry, establishedOn: '2024-12-15' }) },
      expected: ['YOUNG_COMPANY', 'REFER'],
    },
    {
      rule: '24 months old',
      overrides: { registry: answer({ ...registry, establishedOn: '2024-11-15' }) },
      expected: null,
    },
    // Tax credit grade.
    { rule: 'tax grade B', overrides: { tax: answer({ ...tax, grade: 'B' }) }, expected: null },
    { rule: 'tax grade M', overrides: { tax: answer({ ...tax, grade: 'M' }) }, expected: null },
    {
      rule: 'tax grade C',
      overrides: { tax: answer({ ...tax, grade: 'C' }) },
      expected: ['TAX_GRADE', 'REFER'],
    },
    {
      rule: 'tax grade D',
      overrides: { tax: answer({ ...tax, grade: 'D' }) },
      expected: ['TAX_GRADE', 'DECLINE'],
    },
    {
      rule: 'tax arrears of 0.01',
      overrides: { tax: answer({ ...tax, arrears: '0.01' }) },
      expected: ['TAX_ARREARS', 'REFER'],
    },
    // Legal representative's age on 2026-11-15.
    {
      rule: 'legal representative aged 17',
      overrides: {},
      who: withBirthDate('2008-11-16'),
      expected: ['LEGAL_REP_AGE', 'DECLINE'],
    },
    { rule: 'legal representative aged 18', overrides: {}, who: withBirthDate('2008-11-15'), expected: null },
    { rule: 'legal representative aged 65', overrides: {}, who: withBirthDate('1960-11-16'), expected: null },
    {
      rule: 'legal representative aged 66',
      overrides: {},
      who: withBirthDate('1960-11-15'),
      expected: ['LEGAL_REP_AGE', 'DECLINE'],
    },
    // Credit bureau and courts.
    {
      rule: 'one overdue account elsewhere',
      overrides: { bureau: answer({ outstandingDebt: '0.00', overdueAccounts: 1, inquiriesLast3Months: 0 }) },
      expected: ['OVERDUE_ELSEWHERE', 'DECLINE'],
    },
    {
      rule: 'overdue history with nothing overdue today',
      overrides: {
        bureau: answer(bureauWith({ overdueHistory: [{ month: '2026-10', worstDaysPastDue: 92 }] })),
      },
      expected: ['OVERDUE_HISTORY', 'DECLINE'],
    },
    {
      rule: '1 case as defendant',
      overrides: { litigation: answer(cases(1)) },
      expected: ['LITIGATION', 'REFER'],
    },
    {
      rule: '2 cases as defendant',
      overrides: { litigation: answer(cases(2)) },
      expected: ['LITIGATION', 'REFER'],
    },
    {
      rule: '3 cases as defendant',
      overrides: { litigation: answer(cases(3)) },
      expected: ['LITIGATION', 'DECLINE'],
    },
    // Overdue history at other lenders, 2024-11..2026-10 (24 months) and 2025-11..2026-10 (12).
    {
      rule: '95 days past due in 2026-06',
      overrides: {
        bureau: answer(bureauWith({ overdueHistory: [{ month: '2026-06', worstDaysPastDue: 95 }] })),
      },
      expected: ['OVERDUE_HISTORY', 'DECLINE'],
    },
    {
      rule: '90 days past due in 2025-11, the first month of the 12',
      overrides: {
        bureau: answer(bureauWith({ overdueHistory: [{ month: '2025-11', worstDaysPastDue: 90 }] })),
      },
      expected: ['OVERDUE_HISTORY', 'DECLINE'],
    },
    {
      rule: '89 days past due in 2026-06',
      overrides: {
        bureau: answer(bureauWith({ overdueHistory: [{ month: '2026-06', worstDaysPastDue: 89 }] })),
      },
      expected: ['OVERDUE_HISTORY', 'REFER'],
    },
    {
      rule: '120 days past due in 2025-10, more than 12 months ago',
      overrides: {
        bureau: answer(bureauWith({ overdueHistory: [{ month: '2025-10', worstDaysPastDue: 120 }] })),
      },
      expected: ['OVERDUE_HISTORY', 'REFER'],
    },
    {
      rule: '120 days past due in 2024-10, more than 24 months ago',
      overrides: {
        bureau: answer(bureauWith({ overdueHistory: [{ month: '2024-10', worstDaysPastDue: 120 }] })),
      },
      expected: null,
    },
    {
      rule: '29 days past due in 2026-06',
      overrides: {
        bureau: answer(bureauWith({ overdueHistory: [{ month: '2026-06', worstDaysPastDue: 29 }] })),
      },
      expected: null,
    },
    {
      rule: 'a few days late in 3 months',
      overrides: {
        bureau: answer(bureauWith({ overdueHistory: lateMonths(['2025-02', '2025-09', '2026-04']) })),
      },
      expected: ['OVERDUE_HISTORY', 'REFER'],
    },
    {
      rule: 'a few days late in 2 months',
      overrides: { bureau: answer(bureauWith({ overdueHistory: lateMonths(['2025-09', '2026-04']) })) },
      expected: null,
    },
    // Borrowing at many institutions, and one buyer taking most of the sales.
    { rule: 'credit at 4 institutions', overrides: { bureau: answer(lenders(4)) }, expected: null },
    {
      rule: 'credit at 5 institutions',
      overrides: { bureau: answer(lenders(5)) },
      expected: ['MULTIPLE_LENDERS', 'REFER'],
    },
    {
      rule: 'the largest buyer at 49.99%',
      overrides: { invoices: answer(topBuyer(0.4999)) },
      expected: null,
    },
    {
      rule: 'the largest buyer at 50%',
      overrides: { invoices: answer(topBuyer(0.5)) },
      expected: ['CUSTOMER_CONCENTRATION', 'REFER'],
    },
    // Data availability.
    {
      rule: 'registry missing',
      overrides: { registry: { status: 'MISSING' } },
      expected: ['REQUIRED_DATA_MISSING', 'DECLINE'],
    },
    {
      rule: 'tax missing',
      overrides: { tax: { status: 'MISSING' } },
      expected: ['REQUIRED_DATA_MISSING', 'DECLINE'],
    },
    {
      rule: 'registry failed',
      overrides: { registry: { status: 'FAILED', error: 'HTTP 503' } },
      expected: ['THIN_DATA', 'REFER'],
    },
    {
      rule: 'bureau missing',
      overrides: { bureau: { status: 'MISSING' } },
      expected: ['THIN_DATA', 'REFER'],
    },
    {
      rule: 'invoices failed',
      overrides: { invoices: { status: 'FAILED', error: 'timeout' } },
      expected: ['THIN_DATA', 'REFER'],
    },
  ])('$rule', ({ overrides, who, expected }) => {
    it(expected ? `fails ${expected[0]} with ${expected[1]}` : 'passes', () => {
      const result = screened(collected(overrides), who);
      expect(result.failedRules.map(({ code, severity }) => [code, severity])).toEqual(
        expected ? [expected] : [],
      );
      expect(result.passed).toBe(expected === null);
    });
  });

  it('reports every failed rule, with the numbers for staff', () => {
    const result = screened(
      collected({
        tax: answer({ ...tax, grade: 'C', arrears: '1200.00' }),
        litigation: answer(cases(2)),
        bureau: { status: 'FAILED', error: 'no answer within 2500 ms' },
      }),
    );
    expect(result.failedRules.map(({ code, detail }) => [code, detail])).toEqual([
      ['THIN_DATA', 'bureau failed: no answer within 2500 ms'],
      ['TAX_GRADE', 'tax credit grade C'],
      ['TAX_ARREARS', 'tax arrears 1200.00 CNY, policy maximum 0.00'],
      ['LITIGATION', '2 case(s) as defendant; refer from 1, decline from 3'],
    ]);
  });

  it('tells staff the numbers behind the new rules', () => {
    const result = screened(
      collected({
        bureau: answer(
          bureauWith({
            overdueHistory: [
              { month: '2025-03', worstDaysPastDue: 40 },
              { month: '2026-06', worstDaysPastDue: 95 },
            ],
          }),
        ),
        invoices: answer(topBuyer(0.68)),
      }),
    );
    expect(result.failedRules.map(({ code, detail }) => [code, detail])).toEqual([
      [
        'OVERDUE_HISTORY',
        'worst 95 days past due in 12 months, 95 in 24 months, overdue in 2 of the last 24 months at other lenders; policy declines from 90 days within 12 months',
      ],
      [
        'CUSTOMER_CONCENTRATION',
        'the largest buyer takes 68% of invoiced sales (top 5: 68%); policy refers from 50%',
      ],
    ]);
  });

  it('runs under a policy passed in, and the schema refuses an inconsistent one', () => {
    const stricter = accessPolicySchema.parse({
      ...ACCESS_POLICY,
      version: 'access-2027.01',
      minMonthsEstablished: 36,
    });
    const data = collected({ registry: answer({ ...registry, establishedOn: '2024-11-15' }) });
    const result = screen(applicant(), data, buildFeatures(applicant(), data, AS_OF), AS_OF, stricter);
    expect(result.policyVersion).toBe('access-2027.01');
    expect(result.failedRules.map((rule) => rule.code)).toEqual(['YOUNG_COMPANY']);
    expect(() => accessPolicySchema.parse({ ...ACCESS_POLICY, referCasesAsDefendant: 5 })).toThrow(
      'referCasesAsDefendant must not exceed declineCasesAsDefendant',
    );
    expect(() =>
      accessPolicySchema.parse({
        ...ACCESS_POLICY,
        overdueHistory: { ...ACCESS_POLICY.overdueHistory, referDaysPastDueWithin24Months: 120 },
      }),
    ).toThrow(
      'overdueHistory.referDaysPastDueWithin24Months must not exceed declineDaysPastDueWithin12Months',
    );
    expect(() =>
      accessPolicySchema.parse({ ...ACCESS_POLICY, referTopCustomerShareBasisPoints: 0.5 }),
    ).toThrow();
  });
});

const healthyData = collected();
if (healthyData.bureau.status !== 'ANSWERED' || healthyData.invoices.status !== 'ANSWERED') {
  throw new Error('the builder answers every source');
}
const healthyBureau = healthyData.bureau.data;
const healthyInvoices = healthyData.invoices.data;

function bureauWith(overrides: Partial<BureauRecord>): BureauRecord {
  return { ...healthyBureau, ...overrides };
}

function lateMonths(months: string[]) {
  return months.map((month) => ({ month, worstDaysPastDue: 5 }));
}

/** 600,000.00 owed, as lines of 200,000.00 at `count` institutions, 600,000.00 / count drawn on each. */
function lenders(count: number): BureauRecord {
  const banks = ['招商银行', '兴业银行', '中国银行', '交通银行', '浙江网商银行', '深圳前海微众银行'];
  return bureauWith({
    facilities: banks.slice(0, count).map((institution) => ({
      institution,
      type: 'CREDIT_LINE',
      limit: '200000.00',
      balance: (600_000 / count).toFixed(2),
    })),
  });
}

function topBuyer(share: number): InvoiceRecord {
  return { ...healthyInvoices, topCustomers: [{ name: '华润商业有限公司', share }] };
}

function withBirthDate(birthDate: string): Applicant {
  return applicant({ legalRepresentative: { name: '林志远', birthDate } });
}

function cases(count: number) {
  return { casesAsDefendant: count, amountAsDefendant: '100000.00', dishonestJudgmentDebtor: false };
}
