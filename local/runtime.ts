import './environment.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { WORKFLOW_STAGES, type WorkflowStage } from '../infra/workflow/stages.js';
import { createDocumentClient, type TableContext } from '../shared/adapters/dynamodb/table.js';
import type { ControllableClock } from '../shared/adapters/local/controllable-clock.js';
import {
  InMemoryQueue,
  QueuePoller,
  type SqsLambdaHandler,
} from '../shared/adapters/local/in-memory-queue.js';
import { lambdaContext } from '../shared/adapters/local/lambda-context.js';
import { SimulatedCoreBanking } from '../shared/adapters/simulated/core-banking.js';
import {
  SimulatedEnterpriseDataProvider,
  type SimulatedEnterpriseDataProviderOptions,
} from '../shared/adapters/simulated/enterprise-data-provider.js';
import { provideDependencies } from '../shared/adapters/wiring.js';
import { BANK_TIME_ZONE } from '../shared/domain/business-date.js';
import { Money } from '../shared/domain/money.js';
import { parseWith } from '../shared/http/middleware.js';
import { HttpProblem } from '../shared/http/problem.js';
import { ROUTE_LIST } from '../shared/http/routes.js';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.js';
import { ensureTable } from './ensure-table.js';
import { createLocalApi, type LocalRoute } from './http-server.js';
import { keptClock } from './kept-clock.js';
import { LOCAL_PARTNER_ID, LOCAL_PARTNER_PUSH_SECRET } from './partner-push.js';
import { assertPortFree } from './ports.js';
import { LOCAL_DISBURSEMENT_QUEUE, renderApplyToDisburse } from './render-workflow.js';
import { resumeUnfinishedApplications } from './resume-executions.js';
import { type ScheduledLambdaHandler, Scheduler } from './scheduler.js';
import {
  LocalAccountRequestSchema,
  LocalClockRequestSchema,
  LocalRegistryQuerySchema,
  LocalTokenRequestSchema,
} from './schemas.js';
import { type DynamoDbStreamLambdaHandler, StreamPoller } from './stream-poller.js';
import { LOCAL_AUDIENCE, LocalTokenIssuer } from './token-issuer.js';
import { LocalWorkflow } from './workflow.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const HOST = '127.0.0.1';

export interface LocalRuntimeOptions {
  /** HTTP port; 0 picks a free one. */
  port?: number;
  /** Folder for DynamoDB Local's files and the signing key; without it everything is in memory. */
  dataDir?: string;
  /** Use a DynamoDB Local that is already running instead of starting one. */
  dynamodbEndpoint?: string;
  dynamodbPort?: number;
  tableName?: string;
  partnerWebhook?: { url: string; secret: string };
  /** Standard Webhooks secrets of the partners that may push data, by partner id; the demo partner by default. */
  partnerPushSecrets?: Record<string, string>;
  /** Latency of the simulated data sources (one for all, or per source), to make local timing realistic. */
  sourceDelayMs?: SimulatedEnterpriseDataProviderOptions['delayMs'];
  /** A fresh stack's business date (YYYY-MM-DD): the clock starts at 09:00 that day in the bank's zone. */
  clockStart?: string;
  log?: (line: string) => void;
}

export interface LocalRuntime {
  url: string;
  clock: ControllableClock;
  workflow: LocalWorkflow;
  queues: Record<'disbursement' | 'disbursementDlq' | 'webhook' | 'webhookDlq', InMemoryQueue>;
  coreBanking: SimulatedCoreBanking;
  table: TableContext;
  /** Runs the post-loan job's scheduled occurrences that are due, then resolves. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

async function loadModule<T>(modulePath: string, name = 'handler'): Promise<T> {
  const module = (await import(join(ROOT, modulePath))) as Record<string, T>;
  const value = module[name];
  if (!value) throw new Error(`${modulePath} exports no ${name}`);
  return value;
}

function parseDuration(iso: string): number {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso);
  const [, d = '0', h = '0', m = '0', s = '0'] = match ?? [];
  return ((Number(d) * 24 + Number(h)) * 60 + Number(m)) * 60_000 + Number(s) * 1000;
}

/**
 * Everything `npm start` runs, in one process: DynamoDB Local, the table, the same Lambda
 * handlers behind an API Gateway-like HTTP server, the state machine rendered from the CDK
 * definition and run by an ASL interpreter, queues with SQS semantics and their consumers,
 * the table's stream feeding the webhook relay, the nightly schedule, and a clock that can
 * be advanced.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const log = options.log ?? (() => {});
  const port = options.port ?? 3000;
  if (port !== 0) await assertPortFree(port, HOST, 'set PORT or stop the process using it');

  const dynamo: DynamoDbLocal | undefined = options.dynamodbEndpoint
    ? undefined
    : await startDynamoDbLocal({
        port: options.dynamodbPort ?? 8000,
        ...(options.dataDir ? { dbPath: join(options.dataDir, 'dynamodb') } : { inMemory: true }),
      });
  const endpoint = options.dynamodbEndpoint ?? (dynamo as DynamoDbLocal).endpoint;
  const stopped: (() => Promise<void> | void)[] = [];
  try {
    const table: TableContext = {
      client: createDocumentClient(endpoint),
      tableName: options.tableName ?? 'fast-loan',
    };
    await ensureTable(table);

    // Filled once the port is known (the token issuer's URL contains it); read per request.
    const localRoutes: LocalRoute[] = [];
    let ready = false;
    const server: Server = createLocalApi({
      loadHandler: (modulePath) => loadModule(modulePath),
      authorizer: () => loadModule('functions/auth/authorizer/handler.ts'),
      localRoutes,
      isReady: () => ready,
      log,
    });
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(port, HOST, () => resolveListen());
    });
    stopped.push(() => new Promise<void>((done) => server.close(() => done())));
    const url = `http://${HOST}:${(server.address() as AddressInfo).port}`;

    const issuer = await LocalTokenIssuer.create(
      `${url}/local`,
      options.dataDir ? join(options.dataDir, 'signing-key.json') : undefined,
    );
    // The handlers read their configuration from the environment, as in Lambda.
    Object.assign(process.env, {
      TABLE_NAME: table.tableName,
      DYNAMODB_ENDPOINT: endpoint,
      AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
      OIDC_ISSUER: issuer.issuer,
      OIDC_AUDIENCE: LOCAL_AUDIENCE,
      OIDC_JWKS_URI: `${url}/local/.well-known/jwks.json`,
      PERSONAL_DATA_DIGEST_KEY: process.env.PERSONAL_DATA_DIGEST_KEY ?? 'local-development-digest-key',
      PARTNER_WEBHOOK_URL: options.partnerWebhook?.url ?? '',
      PARTNER_WEBHOOK_SECRET: options.partnerWebhook?.secret ?? '',
      PARTNER_PUSH_SECRETS: JSON.stringify(
        options.partnerPushSecrets ?? { [LOCAL_PARTNER_ID]: LOCAL_PARTNER_PUSH_SECRET },
      ),
    });

    const clock = keptClock(options.dataDir && join(options.dataDir, 'clock.json'), options.clockStart);
    const queue = (
      name: string,
      visibilityTimeoutSeconds: number,
      deadLetterQueue?: InMemoryQueue,
      maxReceiveCount = 5,
    ) =>
      new InMemoryQueue({
        name,
        clock,
        visibilityTimeoutSeconds,
        ...(deadLetterQueue ? { redrivePolicy: { deadLetterQueue, maxReceiveCount } } : {}),
      });
    const disbursementDlq = queue(`${LOCAL_DISBURSEMENT_QUEUE}-dlq`, 30);
    const webhookDlq = queue('webhook-dlq', 30);
    const queues = {
      disbursementDlq,
      webhookDlq,
      disbursement: queue(LOCAL_DISBURSEMENT_QUEUE, 60, disbursementDlq, 5),
      webhook: queue('webhook', 30, webhookDlq, 8),
    };

    const workflow = new LocalWorkflow({
      definition: renderApplyToDisburse(),
      clock,
      invoke: async (functionName, payload) => {
        const modulePath = WORKFLOW_STAGES[functionName as WorkflowStage];
        if (!modulePath) throw new Error(`no local handler for function ${functionName}`);
        const handler = await loadModule<(event: unknown, context: unknown) => Promise<unknown>>(modulePath);
        return handler(payload, lambdaContext(functionName));
      },
      sendToQueue: (queueUrl, body) => {
        if (!queueUrl.endsWith(`/${LOCAL_DISBURSEMENT_QUEUE}`))
          throw new Error(`no local queue at ${queueUrl}`);
        queues.disbursement.send(body);
      },
      log,
    });
    stopped.push(() => workflow.stop());

    const coreBanking = new SimulatedCoreBanking(table, clock);
    const enterpriseData = new SimulatedEnterpriseDataProvider({
      asOf: () => clock.now(),
      delayMs: options.sourceDelayMs ?? 0,
    });
    provideDependencies({
      workflow,
      clock,
      coreBanking,
      webhookQueue: { send: async (body) => void queues.webhook.send(body) },
      disbursementQueue: { send: async (body) => void queues.disbursement.send(body) },
      enterpriseData,
    });

    const pollers = [
      new QueuePoller({
        queue: queues.disbursement,
        handler: await loadModule<SqsLambdaHandler>('functions/workers/disburse/handler.ts'),
        functionName: 'DisbursementWorker',
        log,
      }),
      new QueuePoller({
        queue: queues.webhook,
        handler: await loadModule<SqsLambdaHandler>('functions/workers/dispatch-webhook/handler.ts'),
        functionName: 'WebhookDispatcher',
        log,
      }),
    ];
    for (const poller of pollers) {
      poller.start();
      stopped.push(() => poller.stop());
    }

    const streams = new StreamPoller({
      client: new DynamoDBStreamsClient({
        endpoint,
        region: process.env.AWS_REGION,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
      tableName: table.tableName,
      handler: await loadModule<DynamoDbStreamLambdaHandler>('functions/streams/relay-events/handler.ts'),
      functionName: 'EventRelay',
      log,
    });
    await streams.start();
    stopped.push(() => streams.stop());

    const scheduler = new Scheduler({ clock, log });
    scheduler.schedule(
      'interest-accrual',
      { everyDayAt: '00:30', timeZone: BANK_TIME_ZONE },
      await loadModule<ScheduledLambdaHandler>('functions/scheduled/accrue-interest/handler.ts'),
    );
    scheduler.schedule(
      'post-loan-monitoring',
      { everyDayAt: '01:00', timeZone: BANK_TIME_ZONE },
      await loadModule<ScheduledLambdaHandler>('functions/scheduled/post-loan/handler.ts'),
    );
    const reconciliation = await loadModule<ScheduledLambdaHandler>(
      'functions/scheduled/reconcile/handler.ts',
    );
    scheduler.schedule('reconciliation', { everyDayAt: '02:00', timeZone: BANK_TIME_ZONE }, reconciliation);
    scheduler.start();
    stopped.push(() => scheduler.stop());

    localRoutes.push(
      {
        method: 'POST',
        path: '/local/tokens',
        handle: async (body: unknown) => {
          const request = parseWith(LocalTokenRequestSchema, body, 'body');
          if (request.role === 'enterprise' && !request.uscc) {
            throw new HttpProblem(
              400,
              'Invalid request',
              'uscc: an enterprise token needs the uscc of its enterprise',
              [{ field: 'uscc', message: 'required for the enterprise role' }],
            );
          }
          return { status: 201, body: await issuer.issue(request, new Date()) };
        },
      },
      {
        method: 'POST',
        path: '/local/clock',
        handle: async (body: unknown) => {
          const request = parseWith(LocalClockRequestSchema, body, 'body');
          clock.advance(parseDuration(request.advance));
          await scheduler.idle();
          return { status: 200, body: { now: clock.now().toISOString(), offsetMs: clock.offsetMs } };
        },
      },
      {
        method: 'GET',
        path: '/local/clock',
        handle: async () => ({
          status: 200,
          body: { now: clock.now().toISOString(), offsetMs: clock.offsetMs },
        }),
      },
      {
        method: 'POST',
        path: '/local/accounts',
        handle: async (body: unknown) => {
          const request = parseWith(LocalAccountRequestSchema, body, 'body');
          await coreBanking.setBalance(request.uscc, Money.parse(request.balance));
          return { status: 200, body: { uscc: request.uscc, balance: request.balance } };
        },
      },
      {
        // What the simulated registry holds for a USCC: a code outside the sample catalogue gets
        // a generated enterprise, whose registered name and legal representative an application
        // must state, as a real applicant states its own.
        method: 'GET',
        path: '/local/registry',
        handle: async (_body: unknown, query: Record<string, string>) => {
          const { uscc } = parseWith(LocalRegistryQuerySchema, query, 'query');
          const record = await enterpriseData.fetch('registry', uscc, new AbortController().signal);
          if (!record)
            throw new HttpProblem(404, 'Not found', `the simulated registry has no enterprise ${uscc}`);
          return { status: 200, body: record };
        },
      },
      {
        // On demand, as an operator invokes the function in AWS: the report of what it repaired.
        method: 'POST',
        path: '/local/reconciliations',
        handle: async () => ({
          status: 200,
          body: await reconciliation(
            { time: clock.now().toISOString() } as Parameters<ScheduledLambdaHandler>[0],
            lambdaContext('ReconciliationJob'),
          ),
        }),
      },
      {
        method: 'GET',
        path: '/local/.well-known/jwks.json',
        handle: async () => ({ status: 200, body: issuer.jwks() }),
      },
    );

    // Load (and, under tsx, compile) every handler now, so the first request is as fast as the rest.
    await Promise.all(
      [...ROUTE_LIST.map((route) => route.handler), ...Object.values(WORKFLOW_STAGES)].map((modulePath) =>
        loadModule(modulePath),
      ),
    );
    const resumed = await resumeUnfinishedApplications(table, workflow);
    if (resumed > 0) log(`resumed the workflows of ${resumed} unfinished applications`);
    ready = true;
    return {
      url,
      clock,
      workflow,
      queues,
      coreBanking,
      table,
      idle: () => scheduler.idle(),
      stop: async () => {
        for (const stop of stopped.reverse()) await stop();
        await dynamo?.stop();
      },
    };
  } catch (error) {
    for (const stop of stopped.reverse()) await stop();
    await dynamo?.stop();
    throw error;
  }
}
