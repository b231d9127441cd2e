import * as z from 'zod';
import { addMonths } from '../business-date.js';
import { isValidUscc } from '../identifiers.js';
import { Money } from '../money.js';
import {
  amountsIn,
  type RelatedPartyFlows,
  recentSpike,
  relatedPartyFlows,
  SPIKE_MONTHS,
  sumAmounts,
  trailingMonths,
} from './features.js';
import type {
  Applicant,
  BankFlowRecord,
  CollectedData,
  IdentityResult,
  InternalChecks,
  MonthlyAmount,
  RegistryRecord,
  Signal,
} from './types.js';

const basisPoints = z.int().min(0).max(100_000);

/**
 * Know-your-customer and fake-information checks. Customer messages stay generic on
 * purpose: telling an applicant which cross-check failed teaches the next fraudster which
 * number to adjust. The `detail` carries the numbers for staff. Thresholds are versioned
 * data, validated when the module loads like the access policy; ratios are held in basis
 * points so every comparison is exact in fen.
 */
export const identityPolicySchema = z.object({
  version: z.string().regex(/^identity-\d{4}\.\d{2}$/),
  /**
   * Twelve months of tax-declared sales, issued invoices and bank inflows describe the same
   * turnover from three sides; honest SMEs differ by timing, cash sales and VAT (13% at
   * most), well under 1.5x. A wider gap is the classic sign of inflated tax returns or
   * round-tripped bank flows. 15000 = 1.5x. Bank inflows count without the money that came
   * from related parties, which is not trade.
   */
  maxRevenueSourceRatioBasisPoints: basisPoints.min(10_000),
  /**
   * Round-tripping (资金循环): money sent to shareholders or affiliates and paid back in as
   * "sales receipts" inflates turnover without any trade. Owners lending to and taking back
   * from their company is normal at a few percent of inflows; when what went both ways with
   * the same related parties reaches this share of all inflows, the turnover cannot be
   * taken at face value. 3000 = 30% of the 12-month bank inflows.
   */
  roundTripDeclineShareBasisPoints: basisPoints,
  /**
   * Window dressing before an application: the last three months' average sales at least
   * this multiple of both the nine months before and (when the history reaches back) the
   * same three months a year earlier, so a seasonal peak or steady growth does not trip it.
   * 15000 = 1.5x. A real large order is possible: an officer looks.
   */
  revenueSpikeReferRatioBasisPoints: basisPoints.min(10_000),
  /**
   * Invoices cancelled or reversed by red-letter invoices: ordinary businesses stay within a
   * few percent; a high share is how fake invoices issued to pad sales are unwound later.
   * 1000 = 10%.
   */
  redLetterReferShareBasisPoints: basisPoints,
  /** Registered address changes within 24 months that make a note for staff (shell companies move often). */
  addressChangesNoted: z.int().positive(),
  /**
   * Velocity: one person or phone behind many enterprises applying at once is how loan
   * fraud rings (and agents farming shell companies) look. A legal representative of two
   * or three SMEs is common in family businesses, so the limits refer rather than decline.
   */
  velocity: z.object({
    windowDays: z.int().positive(),
    maxOtherEnterprisesPerIdNumber: z.int().min(0),
    maxOtherEnterprisesPerMobile: z.int().min(0),
    maxEarlierApplicationsOfEnterprise: z.int().min(0),
  }),
});

export type IdentityPolicy = z.infer<typeof identityPolicySchema>;

export const IDENTITY_POLICY: IdentityPolicy = identityPolicySchema.parse({
  version: 'identity-2026.12',
  maxRevenueSourceRatioBasisPoints: 15_000,
  roundTripDeclineShareBasisPoints: 3_000,
  revenueSpikeReferRatioBasisPoints: 15_000,
  redLetterReferShareBasisPoints: 1_000,
  addressChangesNoted: 3,
  velocity: {
    windowDays: 90,
    maxOtherEnterprisesPerIdNumber: 2,
    maxOtherEnterprisesPerMobile: 2,
    maxEarlierApplicationsOfEnterprise: 3,
  },
});

const NOT_VERIFIED = 'We could not verify the information provided.';
const NEEDS_CHECKING = 'We need a little more time to check your application.';

/**
 * Reason codes that would tell an applicant (or a partner platform) which internal check
 * caught them: the bank's own blacklist, the revenue cross-check, the velocity rules. Outside
 * the bank they appear under a generic code; staff see the real one.
 */
const UNDISCLOSED_REASON_CODES: Record<string, string> = {
  BANK_BLACKLIST: 'UNABLE_TO_OFFER',
  REVENUE_MISMATCH: 'INFORMATION_NOT_VERIFIED',
  ROUND_TRIPPING: 'INFORMATION_NOT_VERIFIED',
  REVENUE_SPIKE: 'ADDITIONAL_REVIEW',
  HIGH_RED_LETTER_RATIO: 'ADDITIONAL_REVIEW',
  FREQUENT_ADDRESS_CHANGES: 'ADDITIONAL_REVIEW',
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

export function verifyIdentity(
  applicant: Applicant,
  data: CollectedData,
  asOf: string,
  policy: IdentityPolicy = IDENTITY_POLICY,
): IdentityResult {
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
      customerMessage: NEEDS_CHECKING,
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

  signals.push(...fakeInformationSignals(data, asOf, policy));

  if (data.litigation.status === 'ANSWERED' && data.litigation.data.dishonestJudgmentDebtor) {
    signals.push(
      decline('BLACKLISTED', UNABLE_TO_OFFER, 'listed as a dishonest judgment debtor (失信被执行人)'),
    );
  }

  if (data.internal) signals.push(...internalSignals(data.internal, policy));

  return {
    policyVersion: policy.version,
    passed: signals.every((signal) => signal.severity === 'INFO'),
    signals,
  };
}

/** The bank's blacklist declines; velocity beyond the policy's limits refers to an officer. */
function internalSignals({ blacklistHits, velocity }: InternalChecks, policy: IdentityPolicy): Signal[] {
  const limits = policy.velocity;
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
    customerMessage: NEEDS_CHECKING,
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

/** The fake-information checks over the snapshot's tax, invoice, bank and registry records. */
function fakeInformationSignals(data: CollectedData, asOf: string, policy: IdentityPolicy): Signal[] {
  const months = trailingMonths(asOf, 12);
  const bank = data.bankFlows.status === 'ANSWERED' ? data.bankFlows.data : null;
  const related = bank?.relatedPartyTransfers ? relatedPartyFlows(bank.relatedPartyTransfers, months) : null;
  const registry = data.registry.status === 'ANSWERED' ? data.registry.data : null;
  return [
    revenueMismatch(data, months, related, policy),
    roundTripping(bank, months, related, registry, policy),
    revenueSpike(data, asOf, policy),
    redLetterRatio(data, policy),
    addressChanges(registry, asOf, policy),
  ].filter((signal): signal is Signal => signal !== null);
}

/**
 * Compares the 12-month totals of the sources that answered (at least two are needed). A
 * source that reports nothing while another reports turnover is a mismatch too. The bank's
 * side leaves out what came in from related parties when the bank reports it: a
 * shareholder's money is not a customer's payment.
 */
function revenueMismatch(
  data: CollectedData,
  months: readonly string[],
  related: RelatedPartyFlows | null,
  policy: IdentityPolicy,
): Signal | null {
  const totals: { name: string; amount: Money; note?: string }[] = [];
  if (data.tax.status === 'ANSWERED') {
    totals.push({ name: 'tax sales', amount: sumAmounts(amountsIn(data.tax.data.monthlySales, months)) });
  }
  if (data.invoices.status === 'ANSWERED') {
    totals.push({
      name: 'invoices issued',
      amount: sumAmounts(amountsIn(data.invoices.data.monthlyIssued, months)),
    });
  }
  if (data.bankFlows.status === 'ANSWERED') {
    const inflows = sumAmounts(amountsIn(data.bankFlows.data.monthlyInflow, months));
    totals.push(
      related && !related.inflow.isZero()
        ? {
            name: 'bank inflows from trade',
            amount: Money.max(Money.zero(), inflows.subtract(related.inflow)),
            note: `${inflows.toString()} less ${related.inflow.toString()} from related parties`,
          }
        : { name: 'bank inflows', amount: inflows },
    );
  }
  const [first, second, ...rest] = totals.map(({ amount }) => amount);
  if (!first || !second) return null;
  const highest = Money.max(first, second, ...rest);
  const lowest = Money.min(first, second, ...rest);
  if (highest.isZero()) return null;
  const ratioBasisPoints = BigInt(policy.maxRevenueSourceRatioBasisPoints);
  if (highest.minor * 10_000n <= lowest.minor * ratioBasisPoints) return null;
  const listed = totals
    .map(({ name, amount, note }) => `${name} ${amount.toString()}${note ? ` (${note})` : ''}`)
    .join(', ');
  return decline(
    'REVENUE_MISMATCH',
    NOT_VERIFIED,
    `12-month totals disagree beyond ${policy.maxRevenueSourceRatioBasisPoints / 10_000}x: ${listed}`,
  );
}
/**
 * Round-tripping: what went both ways with the same related parties over 12 months, against
 * all bank inflows. The staff detail names the largest circles and whether the counterparty
 * is a registered shareholder.
 */
function roundTripping(
  bank: BankFlowRecord | null,
  months: readonly string[],
  related: RelatedPartyFlows | null,
  registry: RegistryRecord | null,
  policy: IdentityPolicy,
): Signal | null {
  if (!bank || !related || related.roundTrip.isZero()) return null;
  const inflows = sumAmounts(amountsIn(bank.monthlyInflow, months));
  if (related.roundTrip.minor * 10_000n < inflows.minor * BigInt(policy.roundTripDeclineShareBasisPoints)) {
    return null;
  }
  const shareholders = new Map((registry?.shareholders ?? []).map((holder) => [holder.name, holder.share]));
  const circles = related.counterparties
    .slice(0, 3)
    .map(({ counterparty, relation, inflow, outflow }) => {
      const holding = shareholders.get(counterparty);
      const registered = holding === undefined ? '' : `, registry shareholder ${percent(holding)}`;
      return `${counterparty} (${relation}${registered}): in ${inflow.toString()}, out ${outflow.toString()}`;
    })
    .join('; ');
  return decline(
    'ROUND_TRIPPING',
    NOT_VERIFIED,
    `${related.roundTrip.toString()} of the 12-month bank inflows of ${inflows.toString()} (${share(related.roundTrip, inflows)}) came from related parties and went back to them; policy declines from ${policy.roundTripDeclineShareBasisPoints / 100}%: ${circles}`,
  );
}

/** A jump in the last three months' tax sales, invoices or bank inflows against both baselines. */
function revenueSpike(data: CollectedData, asOf: string, policy: IdentityPolicy): Signal | null {
  const series: [string, readonly MonthlyAmount[]][] = [];
  if (data.tax.status === 'ANSWERED') series.push(['tax sales', data.tax.data.monthlySales]);
  if (data.invoices.status === 'ANSWERED') series.push(['invoices issued', data.invoices.data.monthlyIssued]);
  if (data.bankFlows.status === 'ANSWERED') series.push(['bank inflows', data.bankFlows.data.monthlyInflow]);
  const threshold = BigInt(policy.revenueSpikeReferRatioBasisPoints);
  const spiked = series.flatMap(([name, monthly]) => {
    const spike = recentSpike(monthly, asOf);
    if (spike.recentMonths < SPIKE_MONTHS || spike.baselineMonths < 6 || spike.recent.isZero()) return [];
    // recent/3 ≥ k·baseline/n, and recent/3 ≥ k·yearBefore/3, in whole fen and basis points.
    const aboveBaseline =
      spike.recent.minor * BigInt(spike.baselineMonths) * 10_000n >=
      threshold * spike.baseline.minor * BigInt(SPIKE_MONTHS);
    const aboveYearBefore =
      spike.yearBefore === null || spike.recent.minor * 10_000n >= threshold * spike.yearBefore.minor;
    if (!aboveBaseline || !aboveYearBefore) return [];
    const yearBefore = spike.yearBefore
      ? `, ${spike.yearBefore.toString()} in the same months a year before`
      : '';
    return [
      `${name} ${spike.recent.toString()} in the last ${SPIKE_MONTHS} months against ${spike.baseline.toString()} in the ${spike.baselineMonths} before${yearBefore}`,
    ];
  });
  if (spiked.length === 0) return null;
  return {
    code: 'REVENUE_SPIKE',
    severity: 'REFER',
    customerMessage: NEEDS_CHECKING,
    detail: `turnover jumped just before the application (${policy.revenueSpikeReferRatioBasisPoints / 10_000}x or more, monthly averages): ${spiked.join('; ')}`,
  };
}

function redLetterRatio(data: CollectedData, policy: IdentityPolicy): Signal | null {
  if (data.invoices.status !== 'ANSWERED') return null;
  const { redLetterRatio: ratio } = data.invoices.data;
  if (ratio * 10_000 < policy.redLetterReferShareBasisPoints) return null;
  return {
    code: 'HIGH_RED_LETTER_RATIO',
    severity: 'REFER',
    customerMessage: NEEDS_CHECKING,
    detail: `${percent(ratio)} of issued invoices were cancelled or reversed by red-letter invoices; policy refers from ${policy.redLetterReferShareBasisPoints / 100}%`,
  };
}

/** A note for staff only (INFO never changes the outcome): frequent moves are common among shell companies. */
function addressChanges(
  registry: RegistryRecord | null,
  asOf: string,
  policy: IdentityPolicy,
): Signal | null {
  if (!registry?.addressChanges) return null;
  const since = addMonths(asOf, -24);
  const recent = registry.addressChanges.filter(({ changedOn }) => changedOn > since && changedOn <= asOf);
  if (recent.length < policy.addressChangesNoted) return null;
  return {
    code: 'FREQUENT_ADDRESS_CHANGES',
    severity: 'INFO',
    customerMessage: NEEDS_CHECKING,
    detail: `registered address changed ${recent.length} times in 24 months (${recent.map(({ changedOn }) => changedOn).join(', ')})`,
  };
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 1_000) / 10}%`;
}

function share(part: Money, whole: Money): string {
  return whole.isZero() ? 'n/a' : percent(Number(part.minor) / Number(whole.minor));
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
