import { systemClock } from '../ports/clock.js';
import type { Dependencies } from '../services/dependencies.js';
import { SqsQueue } from './aws/sqs-queue.js';
import { StepFunctionsWorkflow } from './aws/step-functions-workflow.js';
import { traced } from './aws/traced.js';
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

/**
 * The composition root. Each handler names, at module scope, the dependencies its use case
 * needs, from the factories below:
 *
 *     const deps = wire({ applications, loans, clock });
 *
 * and esbuild bundles only those factories and the adapters they build: a one-route handler
 * never carries the SQS, Step Functions or Secrets Manager clients, nor the simulated providers.
 * The use case's `Pick<Dependencies, …>` parameter makes a missing one a compile error.
 *
 * The local runtime (and a test) calls `provideDependencies` with its in-process workflow,
 * queues and clock; a provided dependency wins over the factory, in every handler. In AWS
 * nothing is provided and each dependency is built on first use, once per container.
 */
export type Factories = { [K in keyof Dependencies]: () => Dependencies[K] };

/** Reads one environment variable, so a missing setting names itself at cold start. */
function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is required`);
  return value;
}

let table: TableContext | undefined;
function tableContext(): TableContext {
  table ??= {
    client: traced(createDocumentClient(process.env.DYNAMODB_ENDPOINT)),
    tableName: env('TABLE_NAME'),
  };
  return table;
}

// How each dependency is built in AWS. One export each, so that an unused one is left out of a bundle.
export const applications: Factories['applications'] = () => new DynamoApplicationStore(tableContext());
export const loans: Factories['loans'] = () => new DynamoLoanStore(tableContext());
export const disbursements: Factories['disbursements'] = () => new DynamoDisbursementStore(tableContext());
export const blacklist: Factories['blacklist'] = () => new DynamoBlacklistStore(tableContext());
export const workflow: Factories['workflow'] = () => new StepFunctionsWorkflow(env('STATE_MACHINE_ARN'));
export const webhookQueue: Factories['webhookQueue'] = () => new SqsQueue(env('WEBHOOK_QUEUE_URL'));
export const disbursementQueue: Factories['disbursementQueue'] = () =>
  new SqsQueue(env('DISBURSEMENT_QUEUE_URL'));
// Until the bank connects its core system and data vendors, the deployed stack runs the
// simulated ones (docs/decisions/0003-simulated-providers.md).
export const coreBanking: Factories['coreBanking'] = () =>
  new SimulatedCoreBanking(tableContext(), systemClock);
export const enterpriseData: Factories['enterpriseData'] = () =>
  process.env.DATA_PROVIDER === 'http'
    ? HttpEnterpriseDataProvider.fromEnvironment()
    : new SimulatedEnterpriseDataProvider({ asOf: () => systemClock.now() });
export const secrets: Factories['secrets'] = () => new EnvironmentSecrets();
export const clock: Factories['clock'] = () => systemClock;
export const partnerData: Factories['partnerData'] = () => new DynamoPartnerDataStore(tableContext());
export const scoreSamples: Factories['scoreSamples'] = () => new DynamoScoreSampleStore(tableContext());
export const outbox: Factories['outbox'] = () => new DynamoEventOutbox(tableContext());
export const audit: Factories['audit'] = () => new DynamoAuditLog(tableContext());

let provided: Partial<Dependencies> = {};
const built: Partial<Dependencies> = {};

/** Replaces dependencies in every handler, already wired or not (the local runtime, tests). */
export function provideDependencies(overrides: Partial<Dependencies>): void {
  provided = { ...provided, ...overrides };
  for (const key of Object.keys(built) as (keyof Dependencies)[]) delete built[key];
}

/** The dependencies a handler names, each the provided one or built on first use. */
export function wire<K extends keyof Dependencies>(factories: Pick<Factories, K>): Pick<Dependencies, K> {
  const deps = {} as Pick<Dependencies, K>;
  for (const key of Object.keys(factories) as K[]) {
    Object.defineProperty(deps, key, {
      enumerable: true,
      get: () => {
        const existing = provided[key] ?? built[key];
        if (existing) return existing;
        const value = (factories[key] as () => Dependencies[K])();
        built[key] = value;
        return value;
      },
    });
  }
  return deps;
}
