import type { ApplicationRecord } from '../domain/application.js';
import { businessDate } from '../domain/business-date.js';
import { IDENTITY_POLICY, type PartnerDataOutcome } from '../domain/decisioning/index.js';
import {
  type CollectedData,
  type InternalChecks,
  SOURCE_NAMES,
  type SourceName,
  type SourceOutcome,
  type SourceRecords,
} from '../domain/decisioning/types.js';
import type { EnterpriseDataProvider } from '../ports/enterprise-data.js';
import type { PartnerDataStore } from '../ports/stores.js';
import type { Dependencies } from './dependencies.js';
import { loadApplication } from './load-application.js';
import { applicantKeys } from './manage-blacklist.js';

/** No source may hold up a decision longer than this; a late source counts as FAILED. */
export const SOURCE_TIMEOUT_MS = Number(process.env.SOURCE_TIMEOUT_MS ?? 2500);

/**
 * Runs one bounded read and records its outcome: ANSWERED, MISSING (`null`), or FAILED with
 * the reason. The race bounds the wait even if a read ignored the signal.
 */
/** A source that failed, as the stage's handler logs and counts it (no personal data: the reason is the vendor's or ours). */
export interface SourceFailure {
  source: SourceName | 'partner';
  /** The error's class (`TimeoutError` for a late source); a `TypeError` and the like is a bug, not a vendor. */
  errorType: string;
  reason: string;
}
type OnFailure = (failure: Omit<SourceFailure, 'source'>) => void;

async function boundedOutcome<T>(
  timeoutMs: number,
  read: (signal: AbortSignal) => Promise<T | null>,
  onFailure?: OnFailure,
): Promise<SourceOutcome<T>> {
  const signal = AbortSignal.timeout(timeoutMs);
  const deadline = new Promise<never>((_, reject) =>
    signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
  );
  try {
    const data = await Promise.race([read(signal), deadline]);
    return data === null ? { status: 'MISSING' } : { status: 'ANSWERED', data };
  } catch (error) {
    const reason = signal.aborted
      ? `no answer within ${timeoutMs} ms`
      : error instanceof Error
        ? error.message
        : 'failed';
    onFailure?.({
      errorType: signal.aborted ? 'TimeoutError' : error instanceof Error ? error.name : typeof error,
      reason,
    });
    return { status: 'FAILED', error: reason };
  }
}

function fetchSource<S extends SourceName>(
  provider: EnterpriseDataProvider,
  source: S,
  uscc: string,
  timeoutMs: number,
  onFailure?: (failure: SourceFailure) => void,
): Promise<SourceOutcome<SourceRecords[S]>> {
  return boundedOutcome(
    timeoutMs,
    (signal) => provider.fetch(source, uscc, signal),
    onFailure && ((failure) => onFailure({ source, ...failure })),
  );
}

/** Queries every source in parallel, each bounded by `timeoutMs`, and records each one's outcome. */
export async function collectSources(
  provider: EnterpriseDataProvider,
  uscc: string,
  collectedAt: string,
  timeoutMs = SOURCE_TIMEOUT_MS,
  onFailure?: (failure: SourceFailure) => void,
): Promise<CollectedData> {
  const outcomes = await Promise.all(
    SOURCE_NAMES.map(
      async (source) => [source, await fetchSource(provider, source, uscc, timeoutMs, onFailure)] as const,
    ),
  );
  return { ...Object.fromEntries(outcomes), collectedAt } as CollectedData;
}

/**
 * The partner platforms' latest pushes about the enterprise, bounded like a source. Most
 * enterprises have none (MISSING); a failed or late read is recorded (FAILED) and the decision
 * goes on without it, since partner data never decides.
 */
export function collectPartnerData(
  store: PartnerDataStore,
  uscc: string,
  timeoutMs: number,
  onFailure?: (failure: SourceFailure) => void,
): Promise<PartnerDataOutcome> {
  return boundedOutcome(
    timeoutMs,
    async (signal) => {
      const records = await store.latestFor(uscc, signal);
      return records.length === 0 ? null : records;
    },
    onFailure && ((failure) => onFailure({ source: 'partner', ...failure })),
  );
}

/**
 * CollectData stage.
 * 1. Moves the application to ASSESSING (a retried stage finds it there already).
 * 2. Queries every source in parallel, each bounded by SOURCE_TIMEOUT_MS, recording for each
 *    whether it answered, had no record, or failed.
 *    At the same time it reads the bank's own records (blacklist, velocity) and the partner
 *    platforms' pushes, equally bounded; a failed partner read is recorded, never blocking.
 * 3. Stores the snapshot the later stages (and any re-run of the decision) read.
 * Returns each source's status and, for the handler to log and count, every failure with the
 * error's class: a vendor's failure and a bug in an adapter both make a FAILED source, and only
 * the class tells them apart.
 */
export async function collectData(
  deps: Pick<Dependencies, 'applications' | 'blacklist' | 'enterpriseData' | 'partnerData' | 'clock'>,
  applicationId: string,
  timeoutMs = SOURCE_TIMEOUT_MS,
): Promise<{
  sources: Record<SourceName, SourceOutcome<unknown>['status']>;
  partner: PartnerDataOutcome['status'] | undefined;
  failures: SourceFailure[];
}> {
  const app = await loadApplication(deps.applications, applicationId);
  const now = deps.clock.now();
  if (app.status === 'SUBMITTED') {
    await deps.applications.transition({
      applicationId,
      from: 'SUBMITTED',
      to: 'ASSESSING',
      at: now.toISOString(),
    });
  }
  const failures: SourceFailure[] = [];
  const failed = (failure: SourceFailure) => void failures.push(failure);
  const [sources, internal, partner] = await Promise.all([
    collectSources(deps.enterpriseData, app.applicant.uscc, businessDate(now), timeoutMs, failed),
    internalChecks(deps, app, now),
    collectPartnerData(deps.partnerData, app.applicant.uscc, timeoutMs, failed),
  ]);
  // A stage re-run (a retry, a local restart) keeps the first snapshot: the decision made on
  // it must stay reproducible from it.
  const data = await deps.applications.saveSnapshot(applicationId, { ...sources, internal, partner });
  return {
    failures,
    partner: data.partner?.status,
    sources: Object.fromEntries(SOURCE_NAMES.map((source) => [source, data[source].status])) as Record<
      SourceName,
      SourceOutcome<unknown>['status']
    >,
  };
}

/** The bank's own records: its blacklist, and who else applied with the same person or phone lately. */
async function internalChecks(
  deps: Pick<Dependencies, 'applications' | 'blacklist'>,
  app: ApplicationRecord,
  now: Date,
): Promise<InternalChecks> {
  const { windowDays } = IDENTITY_POLICY.velocity;
  const { idNumberDigest, mobileDigest } = app.contact;
  const [hits, velocity] = await Promise.all([
    deps.blacklist.matching(applicantKeys(app.applicant.uscc, idNumberDigest, mobileDigest)),
    deps.applications.velocity({
      applicationId: app.id,
      uscc: app.applicant.uscc,
      idNumberDigest,
      mobileDigest,
      since: new Date(now.getTime() - windowDays * 86_400_000).toISOString(),
      createdAt: app.createdAt,
    }),
  ]);
  return {
    blacklistHits: hits.map(({ kind, entryId, reason }) => ({ kind, entryId, reason })),
    velocity: { windowDays, ...velocity },
  };
}
