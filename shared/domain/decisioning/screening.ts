import * as z from 'zod';
import { ageOn } from '../identifiers.js';
import { Money } from '../money.js';
import type { FeatureName } from './features.js';
import type { Applicant, CollectedData, Features, ScreeningResult, Signal, SourceName } from './types.js';
import { SOURCE_NAMES } from './types.js';

/**
 * Access rules (准入规则): the conditions an enterprise must meet before it is scored at
 * all. Held as versioned data so a policy change is a reviewed diff and every decision
 * records the version it ran under.
 */
const taxGrade = z.enum(['A', 'B', 'M', 'C', 'D']);
const sourceName = z.enum(SOURCE_NAMES as [SourceName, ...SourceName[]]);

export const accessPolicySchema = z
  .object({
    version: z.string().regex(/^access-\d{4}\.\d{2}$/),
    /** At least two years of trading, the usual bar for unsecured SME credit on tax data. */
    minMonthsEstablished: z.number().int().positive(),
    /** Between this and the minimum an officer looks at the case instead of a flat decline. */
    referMonthsEstablished: z.number().int().positive(),
    /** Tax credit grades under the STA's measures for tax credit management: D is the bottom grade. */
    declineTaxGrades: z.array(taxGrade),
    referTaxGrades: z.array(taxGrade),
    /** The legal representative signs and usually guarantees: an adult, not past working age. */
    legalRepresentativeAge: z.object({ min: z.number().int(), max: z.number().int() }),
    /** Any account overdue at another lender today. */
    maxOverdueAccounts: z.number().int().nonnegative(),
    /** Cases as defendant: from `referCasesAsDefendant` an officer reads them, from `declineCasesAsDefendant` the answer is no. */
    referCasesAsDefendant: z.number().int().positive(),
    declineCasesAsDefendant: z.number().int().positive(),
    /** Unpaid tax of any amount: often a dispute or a cash squeeze, worth a human look. */
    maxTaxArrears: z.string().regex(/^\d+\.\d{2}$/),
    /** Without these there is nothing to verify or to lend against; other missing sources only thin the file. */
    declineWhenMissing: z.array(sourceName),
    /**
     * Overdue history at other lenders (credit bureau, last 24 months). 90 days past due is
     * where a loan becomes non-performing under the five-category asset risk classification
     * (substandard); one that recent says the enterprise could not pay within the year. Shorter
     * or older arrears, or a habit of paying late, are for an officer to weigh.
     */
    overdueHistory: z.object({
      declineDaysPastDueWithin12Months: z.int().positive(),
      referDaysPastDueWithin24Months: z.int().positive(),
      referOverdueMonthsWithin24Months: z.int().positive(),
    }),
    /**
     * Multi-lender borrowing (多头借贷): credit at this many institutions or more is how
     * over-indebted firms look before they fail, whatever the total; an officer reads the bureau report.
     */
    referLenderCount: z.int().positive(),
    /**
     * Customer concentration: one buyer taking this share of invoiced sales or more means the
     * repayment rides on that buyer. 5000 = 50%.
     */
    referTopCustomerShareBasisPoints: z.int().min(1).max(10_000),
  })
  .refine((policy) => policy.referMonthsEstablished <= policy.minMonthsEstablished, {
    message: 'referMonthsEstablished must not exceed minMonthsEstablished',
  })
  .refine((policy) => policy.referCasesAsDefendant <= policy.declineCasesAsDefendant, {
    message: 'referCasesAsDefendant must not exceed declineCasesAsDefendant',
  })
  .refine(
    (policy) =>
      policy.overdueHistory.referDaysPastDueWithin24Months <=
      policy.overdueHistory.declineDaysPastDueWithin12Months,
    {
      message:
        'overdueHistory.referDaysPastDueWithin24Months must not exceed declineDaysPastDueWithin12Months',
    },
  );

export type AccessPolicy = z.infer<typeof accessPolicySchema>;

export const ACCESS_POLICY: AccessPolicy = accessPolicySchema.parse({
  version: 'access-2026.12',
  minMonthsEstablished: 24,
  referMonthsEstablished: 12,
  declineTaxGrades: ['D'],
  referTaxGrades: ['C'],
  legalRepresentativeAge: { min: 18, max: 65 },
  maxOverdueAccounts: 0,
  referCasesAsDefendant: 1,
  declineCasesAsDefendant: 3,
  maxTaxArrears: '0.00',
  declineWhenMissing: ['registry', 'tax'],
  overdueHistory: {
    declineDaysPastDueWithin12Months: 90,
    referDaysPastDueWithin24Months: 30,
    referOverdueMonthsWithin24Months: 3,
  },
  referLenderCount: 5,
  referTopCustomerShareBasisPoints: 5_000,
});

const UNABLE_TO_OFFER = 'We are unable to offer credit at this time.';
const NEEDS_REVIEW = 'Your application needs a review by our staff; we will be in touch shortly.';

/** Applies every access rule and reports each one that failed (not only the first), so an officer sees the whole picture. */
export function screen(
  applicant: Applicant,
  data: CollectedData,
  features: Features,
  asOf: string,
  policy: AccessPolicy = ACCESS_POLICY,
): ScreeningResult {
  const failedRules: Signal[] = [...dataAvailability(data, policy)];
  const value = (name: FeatureName): number | null => features.values[name] ?? null;

  const months = value('monthsSinceEstablishment');
  if (months !== null && months < policy.minMonthsEstablished) {
    const severity = months < policy.referMonthsEstablished ? 'DECLINE' : 'REFER';
    failedRules.push({
      code: 'YOUNG_COMPANY',
      severity,
      customerMessage: severity === 'DECLINE' ? UNABLE_TO_OFFER : NEEDS_REVIEW,
      detail: `established ${months} months ago; policy minimum ${policy.minMonthsEstablished}, decline below ${policy.referMonthsEstablished}`,
    });
  }

  if (data.tax.status === 'ANSWERED') {
    const { grade, arrears } = data.tax.data;
    if (policy.declineTaxGrades.includes(grade) || policy.referTaxGrades.includes(grade)) {
      const severity = policy.declineTaxGrades.includes(grade) ? 'DECLINE' : 'REFER';
      failedRules.push({
        code: 'TAX_GRADE',
        severity,
        customerMessage: severity === 'DECLINE' ? UNABLE_TO_OFFER : NEEDS_REVIEW,
        detail: `tax credit grade ${grade}`,
      });
    }
    if (Money.parse(arrears, 'CNY', 'tax.arrears').compare(Money.parse(policy.maxTaxArrears)) > 0) {
      failedRules.push({
        code: 'TAX_ARREARS',
        severity: 'REFER',
        customerMessage: NEEDS_REVIEW,
        detail: `tax arrears ${arrears} CNY, policy maximum ${policy.maxTaxArrears}`,
      });
    }
  }

  const age = ageOn(applicant.legalRepresentative.birthDate, asOf);
  if (age < policy.legalRepresentativeAge.min || age > policy.legalRepresentativeAge.max) {
    failedRules.push({
      code: 'LEGAL_REP_AGE',
      severity: 'DECLINE',
      customerMessage: UNABLE_TO_OFFER,
      detail: `legal representative aged ${age}; policy ${policy.legalRepresentativeAge.min}-${policy.legalRepresentativeAge.max}`,
    });
  }

  const overdue = value('overdueAccounts');
  if (overdue !== null && overdue > policy.maxOverdueAccounts) {
    failedRules.push({
      code: 'OVERDUE_ELSEWHERE',
      severity: 'DECLINE',
      customerMessage: UNABLE_TO_OFFER,
      detail: `${overdue} overdue account(s) at other lenders per the credit bureau`,
    });
  }

  const history = overdueHistoryRule(features, policy);
  if (history) failedRules.push(history);

  const lenders = value('lenderCount');
  if (lenders !== null && lenders >= policy.referLenderCount) {
    failedRules.push({
      code: 'MULTIPLE_LENDERS',
      severity: 'REFER',
      customerMessage: NEEDS_REVIEW,
      detail: `credit at ${lenders} other institutions; policy refers from ${policy.referLenderCount}`,
    });
  }

  const topCustomer = value('topCustomerShare');
  if (topCustomer !== null && topCustomer * 10_000 >= policy.referTopCustomerShareBasisPoints) {
    failedRules.push({
      code: 'CUSTOMER_CONCENTRATION',
      severity: 'REFER',
      customerMessage: NEEDS_REVIEW,
      detail: `the largest buyer takes ${percent(topCustomer)} of invoiced sales (top 5: ${percent(value('top5CustomerShare') ?? topCustomer)}); policy refers from ${policy.referTopCustomerShareBasisPoints / 100}%`,
    });
  }

  const cases = value('casesAsDefendant');
  if (cases !== null && cases >= policy.referCasesAsDefendant) {
    const severity = cases >= policy.declineCasesAsDefendant ? 'DECLINE' : 'REFER';
    failedRules.push({
      code: 'LITIGATION',
      severity,
      customerMessage: severity === 'DECLINE' ? UNABLE_TO_OFFER : NEEDS_REVIEW,
      detail: `${cases} case(s) as defendant; refer from ${policy.referCasesAsDefendant}, decline from ${policy.declineCasesAsDefendant}`,
    });
  }

  return { policyVersion: policy.version, passed: failedRules.length === 0, failedRules };
}

/** Serious arrears within a year decline; shorter, older or repeated ones refer. Skipped without a bureau history. */
function overdueHistoryRule(features: Features, policy: AccessPolicy): Signal | null {
  const worst12 = features.values.worstDaysPastDue12m ?? null;
  const worst24 = features.values.worstDaysPastDue24m ?? null;
  const months24 = features.values.overdueMonths24m ?? null;
  if (worst12 === null || worst24 === null || months24 === null) return null;
  const rule = policy.overdueHistory;
  const summary = `worst ${worst12} days past due in 12 months, ${worst24} in 24 months, overdue in ${months24} of the last 24 months at other lenders`;
  if (worst12 >= rule.declineDaysPastDueWithin12Months) {
    return {
      code: 'OVERDUE_HISTORY',
      severity: 'DECLINE',
      customerMessage: UNABLE_TO_OFFER,
      detail: `${summary}; policy declines from ${rule.declineDaysPastDueWithin12Months} days within 12 months`,
    };
  }
  if (worst24 >= rule.referDaysPastDueWithin24Months || months24 >= rule.referOverdueMonthsWithin24Months) {
    return {
      code: 'OVERDUE_HISTORY',
      severity: 'REFER',
      customerMessage: NEEDS_REVIEW,
      detail: `${summary}; policy refers from ${rule.referDaysPastDueWithin24Months} days or ${rule.referOverdueMonthsWithin24Months} months within 24 months`,
    };
  }
  return null;
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 1_000) / 10}%`;
}

function dataAvailability(data: CollectedData, policy: AccessPolicy): Signal[] {
  return SOURCE_NAMES.flatMap((source): Signal[] => {
    const outcome = data[source];
    if (outcome.status === 'ANSWERED') return [];
    if (outcome.status === 'MISSING' && policy.declineWhenMissing.includes(source)) {
      return [
        {
          code: 'REQUIRED_DATA_MISSING',
          severity: 'DECLINE',
          customerMessage: UNABLE_TO_OFFER,
          detail: `${source} has no record of the enterprise`,
        },
      ];
    }
    return [
      {
        code: 'THIN_DATA',
        severity: 'REFER',
        customerMessage: NEEDS_REVIEW,
        detail:
          outcome.status === 'MISSING'
            ? `${source} has no record of the enterprise`
            : `${source} failed: ${outcome.error}`,
      },
    ];
  });
}
