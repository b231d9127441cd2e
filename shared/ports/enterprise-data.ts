import type { SourceName, SourceRecords } from '../domain/decisioning/types.js';

/**
 * One external data source per call. Resolves `null` when the source has no record of the
 * enterprise; rejects when the source failed (the caller bounds the wait with `signal`).
 */
export interface EnterpriseDataProvider {
  fetch<S extends SourceName>(source: S, uscc: string, signal: AbortSignal): Promise<SourceRecords[S] | null>;
}
