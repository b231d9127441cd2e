import { z } from 'zod';
import { systemClock } from '../ports/clock.js';
import type { Dependencies } from '../services/dependencies.js';
import { SqsQueue } from './aws/sqs-queue.js';
import { StepFunctionsWorkflow } from './aws/step-functions-workflow.js';
import { DynamoApplicationStore } from './dynamodb/application-store.js';
import { DynamoAuditLog } from './dynamodb/audit-log.js';
import { DynamoBlacklistStore } from './dynamodb/blacklist-store.js';
import { DynamoDisbursementStore } from './dynamodb/disbursement-store.js';
import { DynamoEventOutbox } from './dynamodb/event-items.js';
import { DynamoLoanStore } from './dynamodb/loan-store.js';
import { DynamoPartnerDataStore } from './dynamodb/partner-data-store.js';
import { DynamoScoreSampleStore } from './dynamodb/score-sample-store.js';
import { createDocumentClient, type TableContext } from './dynamodb/table.js';
import { HttpEnterpriseDataProvider } from './http/enterprise-data-provider.js';
import { EnvironmentSecrets } from './secrets.js';
import { SimulatedCoreBanking } from './simulated/core-banking.js';
import { SimulatedEnterpriseDataProvider } from './simulated/enterprise-data-provider.js';

/** Reads one environment variable through zod, so a missing setting names itself at cold start. */
function env(name: string): string {
  const result = z.string().min(1).safeParse(process.env[name]);
  if (!result.success) throw new Error(`environment variable ${name} is required`);
  return result.data;
}

let table: TableContext | undefined;
function tableContext(): TableContext {
  table ??= { client: createDocumentClient(process.env.DYNAMODB_ENDPOINT), tableName: env('TABLE_NAME') };
  return table;
}

/** How each dependency is built in AWS; each is built on first use, once per container. */
const factories: { [K in keyof Dependencies]: () => Dependencies[K] } = {
  applications: () => new DynamoApplicationStore(tableContext()),
  loans: () => new DynamoLoanStore(tableContext()),
  disbursements: () => new DynamoDisbursementStore(tableContext()),
  blacklist: () => new DynamoBlacklistStore(tableContext()),
  workflow: () => new StepFunctionsWorkflow(env('STATE_MACHINE_ARN')),
  webhookQueue: () => new SqsQueue(env('WEBHOOK_QUEUE_URL')),
  disbursementQueue: () => new SqsQueue(env('DISBURSEMENT_QUEUE_URL')),
  // Until the bank connects its core system and data vendors, the deployed stack runs the
  // simulated ones (docs/decisions/0003-simulated-providers.md).
  coreBanking: () => new SimulatedCoreBanking(tableContext(), systemClock),
  enterpriseData: () =>
    process.env.DATA_PROVIDER === 'http'
      ? HttpEnterpriseDataProvider.fromEnvironment()
      : new SimulatedEnterpriseDataProvider({ asOf: () => systemClock.now() }),
  secrets: () => new EnvironmentSecrets(),
  clock: () => systemClock,
  partnerData: () => new DynamoPartnerDataStore(tableContext()),
  scoreSamples: () => new DynamoScoreSampleStore(tableContext()),
  outbox: () => new DynamoEventOutbox(tableContext()),
  audit: () => new DynamoAuditLog(tableContext()),
};

let provided: Partial<Dependencies> = {};
const built: Partial<Dependencies> = {};

/**
 * The composition root every handler uses. The local runtime calls `provideDependencies` with
 * its in-process workflow, queues and clock before it loads any handler; in AWS nothing is
 * provided and the factories above apply.
 */
export function provideDependencies(overrides: Partial<Dependencies>): void {
  provided = { ...provided, ...overrides };
  for (const key of Object.keys(built) as (keyof Dependencies)[]) delete built[key];
}

export const dependencies: Dependencies = new Proxy({} as Dependencies, {
  get(_, key: keyof Dependencies) {
    const existing = provided[key] ?? built[key];
    if (existing) return existing;
    const factory = factories[key];
    if (!factory) return undefined;
    const value = factory();
    (built as Record<string, unknown>)[key] = value;
    return value;
  },
});
