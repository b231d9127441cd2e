import type { ApplicationRecord } from '../domain/application.js';
import { NotFoundError } from '../domain/errors.js';
import type { ApplicationStore } from '../ports/stores.js';

export async function loadApplication(store: ApplicationStore, id: string): Promise<ApplicationRecord> {
  const app = await store.get(id);
  if (!app) throw new NotFoundError(`application ${id} not found`);
  return app;
}
