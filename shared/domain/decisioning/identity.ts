import { isValidUscc } from '../identifiers.js';
import { Money } from '../money.js';
import { amountsIn, sumAmounts, trailingMonths } from './features.js';
import type { Applicant, CollectedData, IdentityResult, InternalChecks, Signal } from './types.js';

/**
 * Know-your-customer and fake-information checks. Customer messages stay generic on
 * purpose: telling an applicant which cross-check failed teaches the next fraudster which
 * number to adjust. The `detail` carries the numbers for staff.
 */
export const IDENTITY_POLICY = {
  version: 'identity-2026.11',
  /**
   * Twelve months of tax-declared sales, issued invoices and bank inflows describe the same
   * turnover from three sides; honest SMEs differ by timing, cash sales and VAT (13% at
   * most), well under 1.5x. A wider gap is the classic sign of inflated tax returns or
   * round-tripped bank flows. Held in basis points so the comparison is exact: 15000 = 1.5x.
   */
  maxRevenueSourceRatioBasisPoints: 15_000,
  /**
   * Velocity: one person or phone behind many enterprises applying at once is how loan
   * fraud rings (and agents farming shell companies) look. A legal representative of two
   * or three SMEs is common in family businesses, so the limits refer rather than decline.
   */
  velocity: {
    windowDays: 90,
    maxOtherEnterprisesPerIdNumber: 2,
    maxOtherEnterprisesPerMobile: 2,
    maxEarlierApplicationsOfEnterprise: 3,
  },
} as const;

const NOT_VERIFIED = 'We could not verify the information provided.';

/**
 * Reason codes that would tell an applicant (or a partner platform) which internal check
 * caught them: the bank's own blacklist, the revenue cross-check, the velocity rules. Outside
 * the bank they appear under a generic code; staff see the real one.
 */
const UNDISCLOSED_REASON_CODES: Record<string, string> = {
  BANK_BLACKLIST: 'UNABLE_TO_OFFER',
  REVENUE_MISMATCH: 'INFORMATION_NOT_VERIFIED',
  VELOCITY_SHARED_REPRESENTATIVE: 'ADDITIONAL_REVIEW',
  VELOCITY_SHARED_MOBILE: 'ADDITIONAL_REVIEW',
  VELOCITY_REPEAT_APPLICATIONS: 'ADDITIONAL_REVIEW',
};

/** The code a reason is shown under to customers and partners. */
export function publicReasonCode(code: string): string {
  return UNDISCLOSED_REASON_CODES[code] ?? code;
}
const CHECK_DETAILS =
  'The enterprise details provided do not match official records. Please check them and apply again.';
const UNABLE_TO_OFFER = 'We are unable to offer credit at this time.';

export function verifyIdentity(applicant: Applicant, data: CollectedData, asOf: string): IdentityResult {
  const signals: Signal[] = [];
  if (!isValidUscc(applicant.uscc)) {
    signals.push(
      decline('ID_INVALID_USCC', CHECK_DETAILS, `uscc ${applicant.uscc} fails GB 32100-2015 validation`),
    );
  }

  const registry = data.registry;
  if (registry.status === 'MISSING') {
    signals.push(
      decline('ID_NOT_REGISTERED', CHECK_DETAILS, `registry has no enterprise with uscc ${applicant.uscc}`),
    );
  } else if (registry.status === 'FAILED') {
    signals.push({
      code: 'ID_REGISTRY_UNAVAILABLE',
      severity: 'REFER',
      customerMessage: 'We need a little more time to check your application.',
      detail: `registry lookup failed: ${registry.error}`,
    });
  } else {
    const record = registry.data;
    if (record.uscc !== applicant.uscc) {
      signals.push(decline('ID_USCC_MISMATCH', CHECK_DETAILS, `registry returned uscc ${record.uscc}`));
    }
    if (normaliseName(record.name) !== normaliseName(applicant.enterpriseName)) {
      signals.push(
        decline(
          'ID_NAME_MISMATCH',
          CHECK_DETAILS,
          `declared "${applicant.enterpriseName}", registry "${record.name}"`,
        ),
      );
    }
    if (normaliseName(record.legalRepresentativeName) !== normaliseName(applicant.legalRepresentative.name)) {
      signals.push(
        decline(
          'ID_LEGAL_REP_MISMATCH',
          CHECK_DETAILS,
          `declared legal representative "${applicant.legalRepresentative.name}", registry "${record.legalRepresentativeName}"`,
        ),
      );
    }
    if (record.status !== 'ACTIVE') {
      signals.push(decline('ID_NOT_ACTIVE', UNABLE_TO_OFFER, `registry status ${record.status}`));
    }
  }

  const mismatch = revenueMismatch(data, asOf);
  if (mismatch) signals.push(mismatch);

  if (data.litigation.status === 'ANSWERED' && data.litigation.data.dishonestJudgmentDebtor) {
    signals.push(
      decline('BLACKLISTED', UNABLE_TO_OFFER, 'listed as a dishonest judgment debtor (失信被执行人)'),
    );
  }

  if (data.internal) signals.push(...internalSignals(data.internal));

  return {
    policyVersion: IDENTITY_POLICY.version,
    passed: signals.every((signal) => signal.severity === 'INFO'),
    signals,
  };
}

/** The bank's blacklist declines; velocity beyond the policy's limits refers to an officer. */
function internalSignals({ blacklistHits, velocity }: InternalChecks): Signal[] {
  const limits = IDENTITY_POLICY.velocity;
  const signals = blacklistHits.map((hit) =>
    decline(
      'BANK_BLACKLIST',
      UNABLE_TO_OFFER,
      `on the bank's blacklist as ${hit.kind} (entry ${hit.entryId}): ${hit.reason}`,
    ),
  );
  const refer = (code: string, detail: string): Signal => ({
    code,
    severity: 'REFER',
    customerMessage: 'We need a little more time to check your application.',
    detail,
  });
  if (velocity.otherEnterprisesSharingIdNumber > limits.maxOtherEnterprisesPerIdNumber) {
    signals.push(
      refer(
        'VELOCITY_SHARED_REPRESENTATIVE',
        `the legal representative's ID number is on applications of ${velocity.otherEnterprisesSharingIdNumber} other enterprises in ${velocity.windowDays} days`,
      ),
    );
  }
  if (velocity.otherEnterprisesSharingMobile > limits.maxOtherEnterprisesPerMobile) {
    signals.push(
      refer(
        'VELOCITY_SHARED_MOBILE',
        `the mobile number is on applications of ${velocity.otherEnterprisesSharingMobile} other enterprises in ${velocity.windowDays} days`,
      ),
    );
  }
  if (velocity.earlierApplicationsOfEnterprise > limits.maxEarlierApplicationsOfEnterprise) {
    signals.push(
      refer(
        'VELOCITY_REPEAT_APPLICATIONS',
        `${velocity.earlierApplicationsOfEnterprise} earlier applications of this enterprise in ${velocity.windowDays} days`,
      ),
    );
  }
  return signals;
}

/**
 * Compares the 12-month totals of the sources that answered (at least two are needed). A
 * source that reports nothing while another reports turnover is a mismatch too.
 */
function revenueMismatch(data: CollectedData, asOf: string): Signal | null {
  const months = trailingMonths(asOf, 12);
  const totals: [string, Money][] = [];
  if (data.tax.status === 'ANSWERED') {
    totals.push(['tax sales', sumAmounts(amountsIn(data.tax.data.monthlySales, months))]);
  }
  if (data.invoices.status === 'ANSWERED') {
    totals.push(['invoices issued', sumAmounts(amountsIn(data.invoices.data.monthlyIssued, months))]);
  }
  if (data.bankFlows.status === 'ANSWERED') {
    totals.push(['bank inflows', sumAmounts(amountsIn(data.bankFlows.data.monthlyInflow, months))]);
  }
  const [first, second, ...rest] = totals.map(([, amount]) => amount);
  if (!first || !second) return null;
  const highest = Money.max(first, second, ...rest);
  const lowest = Money.min(first, second, ...rest);
  if (highest.isZero()) return null;
  const ratioBasisPoints = BigInt(IDENTITY_POLICY.maxRevenueSourceRatioBasisPoints);
  if (highest.minor * 10_000n <= lowest.minor * ratioBasisPoints) return null;
  const listed = totals.map(([name, amount]) => `${name} ${amount.toString()}`).join(', ');
  return decline(
    'REVENUE_MISMATCH',
    NOT_VERIFIED,
    `12-month totals disagree beyond ${IDENTITY_POLICY.maxRevenueSourceRatioBasisPoints / 10_000}x: ${listed}`,
  );
}

/**
 * Registry names are compared after Unicode NFKC (full-width brackets "（）" become "()",
 * as users type either), without spaces, and with the interpunct of minority-language
 * names (买买提·艾力) written one way, since keyboards offer several look-alike dots.
 */
function normaliseName(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[.•・‧]/g, '·')
    .toUpperCase();
}

function decline(code: string, customerMessage: string, detail: string): Signal {
  return { code, severity: 'DECLINE', customerMessage, detail };
}
