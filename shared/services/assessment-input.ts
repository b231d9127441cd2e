import type { ApplicationRecord } from '../domain/application.js';
import type { CollectedData } from '../domain/decisioning/types.js';
import { ConflictError } from '../domain/errors.js';
import type { ApplicationStore } from '../ports/stores.js';
import { loadApplication } from './load-application.js';

/** The application and the data snapshot every assessment stage reads. */
export async function loadAssessmentInput(
  store: ApplicationStore,
  applicationId: string,
): Promise<{ app: ApplicationRecord; data: CollectedData }> {
  const [app, data] = await Promise.all([
    loadApplication(store, applicationId),
    store.getSnapshot(applicationId),
  ]);
  if (!data) throw new ConflictError(`application ${applicationId} has no collected data yet`);
  return { app, data };
}

/** A stage that ran before must have left its result; anything else is a workflow bug. */
export function required<T>(value: T | undefined, what: string, applicationId: string): T {
  if (value === undefined) throw new ConflictError(`application ${applicationId} has no ${what} yet`);
  return value;
}
