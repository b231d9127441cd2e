import { publicReasonCode } from './decisioning/identity.js';
import type { PartnerAssessment } from './decisioning/partner.js';
import type {
  Applicant,
  Decision,
  Features,
  IdentityResult,
  Pricing,
  Reason,
  ScoreResult,
  ScreeningResult,
} from './decisioning/types.js';
import { ConflictError } from './errors.js';
import type { MoneyJson } from './money.js';

export const APPLICATION_STATUSES = [
  'SUBMITTED',
  'ASSESSING',
  'IN_REVIEW',
  'OFFERED',
  'OFFER_ACCEPTED',
  'AWAITING_SIGNATURE',
  'CONTRACT_SIGNED',
  'DISBURSING',
  'DISBURSED',
  'DECLINED',
  'EXPIRED',
  'FAILED',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/**
 * The legal moves of an application. A status is changed only along these edges, and the
 * store makes the change conditional on the status it read, so two actors cannot both win.
 */
const TRANSITIONS: Record<ApplicationStatus, readonly ApplicationStatus[]> = {
  SUBMITTED: ['ASSESSING', 'FAILED'],
  ASSESSING: ['OFFERED', 'IN_REVIEW', 'DECLINED', 'FAILED'],
  IN_REVIEW: ['OFFERED', 'DECLINED', 'EXPIRED', 'FAILED'],
  OFFERED: ['OFFER_ACCEPTED', 'EXPIRED', 'FAILED'],
  // A step the customer completed just as its wait timed out is void: the application expires.
  OFFER_ACCEPTED: ['AWAITING_SIGNATURE', 'EXPIRED', 'FAILED'],
  AWAITING_SIGNATURE: ['CONTRACT_SIGNED', 'EXPIRED', 'FAILED'],
  CONTRACT_SIGNED: ['DISBURSING', 'EXPIRED', 'FAILED'],
  DISBURSING: ['DISBURSED', 'FAILED'],
  DISBURSED: [],
  DECLINED: [],
  EXPIRED: [],
  FAILED: [],
};

export function assertTransition(from: ApplicationStatus, to: ApplicationStatus): void {
  if (from !== to && !TRANSITIONS[from].includes(to)) {
    throw new ConflictError(`an application that is ${from} cannot become ${to}`);
  }
}

export type WaitKind = 'REVIEW' | 'OFFER' | 'SIGNATURE';

/** A workflow paused on a callback. The token resumes it and is never shown through the API. */
export interface PendingTask {
  kind: WaitKind;
  token: string;
  expiresAt: string;
}

export interface LegalRepresentativeContact {
  idNumberMasked: string;
  /** HMAC of the ID number: lets velocity rules match repeat applicants without keeping the number. */
  idNumberDigest: string;
  mobileMasked: string;
  mobileDigest: string;
}

/**
 * The version of the data-use consent text the mobile app shows today. An application must
 * carry consent to this text: consent to an older one does not cover what the bank collects now
 * (PIPL: consent to the purposes as stated). Change it together with the text.
 */
export const CONSENT_VERSION = 'data-use-2026.11';

export interface Consent {
  dataUse: true;
  version: string;
  consentedAt: string;
}

export interface Offer {
  limit: MoneyJson;
  annualRate: string;
  termMonths: number;
  expiresAt: string;
  acceptedAt?: string;
}

export interface Contract {
  contractId: string;
  createdAt: string;
  expiresAt: string;
  signedAt?: string;
}

export interface RecordedDecision extends Decision {
  decidedAt: string;
  /** "system" for automatic decisions, else the staff member's subject. */
  decidedBy: string;
  /** For a reviewed approval: who approved, the proposing officer first when two were needed. */
  approvedBy?: string[];
  comment?: string;
}

/** A large approval proposed by one officer, waiting for a second person to confirm it. */
export interface PendingApproval {
  by: string;
  at: string;
  limit: string;
  comment: string;
}

export interface Assessment {
  identity?: IdentityResult;
  features?: Features;
  screening?: ScreeningResult;
  score?: ScoreResult;
  pricing?: Pricing;
  /** Partner platform data as staff see it (never part of the decision); absent before partner data existed. */
  partner?: PartnerAssessment;
  /** The automatic outcome, kept when an officer later decides a referred case. */
  systemDecision?: RecordedDecision;
}

export interface ApplicationRecord {
  id: string;
  status: ApplicationStatus;
  createdAt: string;
  updatedAt: string;
  /** Subject of the user who applied. */
  submittedBy: string;
  applicant: Applicant;
  /** REVOLVING_LINE: the first draw when the line opens; absent means the amount requested. */
  initialDrawdown?: string;
  contact: LegalRepresentativeContact;
  purpose: string;
  consent: Consent;
  assessment: Assessment;
  decision?: RecordedDecision;
  offer?: Offer;
  contract?: Contract;
  disbursement?: { transferId: string; amount: MoneyJson; disbursedAt: string };
  creditLineId?: string;
  loanId?: string;
  pendingTask?: PendingTask;
  pendingApproval?: PendingApproval;
  failure?: { stage: string; error: string; at: string };
  expiry?: { stage: WaitKind; at: string };
}

export interface TimelineEntry {
  type: string;
  at: string;
}

function customerReasons(reasons: Reason[]): { code: string; message: string }[] {
  return reasons.map((r) => ({ code: publicReasonCode(r.code), message: r.customerMessage }));
}

/** What the enterprise sees: customer-safe reasons, no scores, no signals, no contact digests. */
export function customerView(app: ApplicationRecord, timeline: TimelineEntry[]) {
  return {
    applicationId: app.id,
    status: app.status,
    createdAt: app.createdAt,
    updatedAt: app.updatedAt,
    enterprise: { uscc: app.applicant.uscc, name: app.applicant.enterpriseName },
    product: app.applicant.product,
    requestedAmount: { amount: app.applicant.requestedAmount, currency: 'CNY' as const },
    initialDrawdown: app.initialDrawdown
      ? { amount: app.initialDrawdown, currency: 'CNY' as const }
      : undefined,
    termMonths: app.applicant.termMonths,
    purpose: app.purpose,
    timeline,
    decision: app.decision && {
      outcome: app.decision.outcome,
      decidedAt: app.decision.decidedAt,
      limit: app.decision.limit ? { amount: app.decision.limit, currency: 'CNY' as const } : undefined,
      annualRate: app.decision.annualRate,
      termMonths: app.decision.termMonths,
      reasons: customerReasons(app.decision.reasons),
    },
    offer: app.offer,
    contract: app.contract,
    disbursement: app.disbursement,
    creditLineId: app.creditLineId,
    loanId: app.loanId,
  };
}

/** What staff see: everything the customer sees plus the full explanation of the assessment. */
export function staffView(app: ApplicationRecord, timeline: TimelineEntry[]) {
  return {
    ...customerView(app, timeline),
    legalRepresentative: {
      name: app.applicant.legalRepresentative.name,
      idNumber: app.contact.idNumberMasked,
      mobile: app.contact.mobileMasked,
    },
    submittedBy: app.submittedBy,
    assessment: app.assessment,
    decisionDetail: app.decision,
    pendingApproval: app.pendingApproval,
    failure: app.failure,
    expiry: app.expiry,
  };
}
