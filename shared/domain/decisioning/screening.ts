import { z } from 'zod';
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
  })
  .refine((policy) => policy.referMonthsEstablished <= policy.minMonthsEstablished, {
    message: 'referMonthsEstablished must not exceed minMonthsEstablished',
  })
  .refine((policy) => policy.referCasesAsDefendant <= policy.declineCasesAsDefendant, {
    message: 'referCasesAsDefendant must not exceed declineCasesAsDefendant',
  });

export type AccessPolicy = z.infer<typeof accessPolicySchema>;

export const ACCESS_POLICY: AccessPolicy = accessPolicySchema.parse({
  version: 'access-2026.11',
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
