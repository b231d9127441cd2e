import { randomUUID } from 'node:crypto';
import type { ApplicationRecord } from '../domain/application.js';
import { businessDate } from '../domain/business-date.js';
import type { Product } from '../domain/decisioning/types.js';
import { ConflictError, ForbiddenError } from '../domain/errors.js';
import {
  maskMobile,
  maskResidentId,
  parseMobile,
  parseResidentId,
  parseUscc,
} from '../domain/identifiers.js';
import { Money } from '../domain/money.js';
import { type IdempotencyRecord, IdempotencyRecordExistsError } from '../ports/stores.js';
import { type Dependencies, newEvent } from './dependencies.js';
import { idempotencyClaim, replayOf, requestDigest } from './idempotency.js';
import { personalDataDigester } from './personal-data.js';
import type { Principal } from './principal.js';

export interface ApplicationRequest {
  enterprise: { uscc: string; name: string };
  legalRepresentative: { name: string; idNumber: string; mobile: string };
  product: Product;
  requestedAmount: { amount: string; currency: 'CNY' };
  termMonths: number;
  initialDrawdown?: { amount: string; currency: 'CNY' };
  purpose: string;
  consent: { dataUse: boolean; version: string };
}

export interface SubmittedApplication {
  applicationId: string;
  status: string;
  createdAt: string;
}

const IDEMPOTENCY_SCOPE = 'applications';

/**
 * Submits an application.
 * 1. Checks the caller acts for the enterprise and the identifiers' check digits.
 * 2. If the Idempotency-Key was used before: same body -> the first answer (and makes sure the
 *    workflow started); different body -> IdempotencyKeyReusedError.
 * 3. Writes the application, its `application.submitted` event and the idempotency record in
 *    one transaction; keeps no ID or mobile number in clear, only masks and keyed digests.
 * 4. Starts the workflow execution named after the application (a repeat start is a no-op).
 */
export async function submitApplication(
  deps: Pick<Dependencies, 'applications' | 'workflow' | 'clock' | 'secrets'>,
  input: { principal: Principal; idempotencyKey: string; request: ApplicationRequest },
): Promise<{ result: SubmittedApplication; replayed: boolean }> {
  const { principal, idempotencyKey, request } = input;
  const uscc = parseUscc(request.enterprise.uscc, 'enterprise.uscc');
  if (principal.role === 'enterprise' && principal.uscc !== uscc) {
    throw new ForbiddenError('you may apply only for the enterprise your account belongs to');
  }
  const now = deps.clock.now();
  const { birthDate } = parseResidentId(
    request.legalRepresentative.idNumber,
    'legalRepresentative.idNumber',
    businessDate(now),
  );
  const mobile = parseMobile(request.legalRepresentative.mobile, 'legalRepresentative.mobile');
  const amount = Money.fromJson(request.requestedAmount, 'requestedAmount.amount');
  const digest = requestDigest(request);

  const replay = await replayed(deps, principal.subject, idempotencyKey, digest);
  if (replay) return replay;

  const personalDigest = await personalDataDigester(deps.secrets);
  const at = now.toISOString();
  const app: ApplicationRecord = {
    id: randomUUID(),
    status: 'SUBMITTED',
    createdAt: at,
    updatedAt: at,
    submittedBy: principal.subject,
    applicant: {
      uscc,
      enterpriseName: request.enterprise.name,
      legalRepresentative: { name: request.legalRepresentative.name, birthDate },
      product: request.product,
      requestedAmount: amount.toString(),
      termMonths: request.termMonths,
    },
    contact: {
      idNumberMasked: maskResidentId(request.legalRepresentative.idNumber),
      idNumberDigest: personalDigest(request.legalRepresentative.idNumber),
      mobileMasked: maskMobile(mobile),
      mobileDigest: personalDigest(mobile),
    },
    ...(request.initialDrawdown
      ? { initialDrawdown: Money.fromJson(request.initialDrawdown, 'initialDrawdown.amount').toString() }
      : {}),
    purpose: request.purpose,
    consent: { dataUse: true, version: request.consent.version, consentedAt: at },
    assessment: {},
  };
  const result: SubmittedApplication = { applicationId: app.id, status: app.status, createdAt: at };
  const record: IdempotencyRecord = {
    requestDigest: digest,
    statusCode: 202,
    response: { ...result },
    resourceId: app.id,
  };
  try {
    await deps.applications.create(
      app,
      newEvent('application.submitted', now, { applicationId: app.id, uscc }, { product: request.product }),
      idempotencyClaim(IDEMPOTENCY_SCOPE, principal.subject, idempotencyKey, record, now),
    );
  } catch (error) {
    // A concurrent request with the same key won the race: answer as its retry would be answered.
    if (error instanceof IdempotencyRecordExistsError) {
      const winner = await replayed(deps, principal.subject, idempotencyKey, digest);
      if (winner) return winner;
      throw new ConflictError(
        'a request with this Idempotency-Key is still being processed; retry in a moment',
        {
          cause: error,
        },
      );
    }
    throw error;
  }
  await deps.workflow.start(app.id, { applicationId: app.id });
  return { result, replayed: false };
}

async function replayed(
  deps: Pick<Dependencies, 'applications' | 'workflow'>,
  subject: string,
  key: string,
  digest: string,
): Promise<{ result: SubmittedApplication; replayed: true } | undefined> {
  const existing = replayOf(
    await deps.applications.findIdempotency(IDEMPOTENCY_SCOPE, subject, key),
    digest,
    'application',
  );
  if (!existing) return undefined;
  // The first attempt may have stored the application and died before starting the workflow.
  await deps.workflow.start(existing.resourceId, { applicationId: existing.resourceId });
  return { result: existing.response as unknown as SubmittedApplication, replayed: true };
}
