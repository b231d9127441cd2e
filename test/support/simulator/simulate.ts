import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableContext } from '../../../shared/adapters/dynamodb/table.js';
import { businessDate } from '../../../shared/domain/business-date.js';
import { Money } from '../../../shared/domain/money.js';
import { activate } from '../../../shared/services/activate.js';
import { disburseDrawdown, requestDrawdown } from '../../../shared/services/draw-down.js';
import { reconcile, SETTLE_AFTER_MS } from '../../../shared/services/reconcile.js';
import { type Answers, deliver, runClient, scripts, summary } from './clients.js';
import { installDeterministicIds } from './context.js';
import type { FaultKind } from './faults.js';
import { checkInvariants } from './invariants.js';
import { Rng } from './random.js';
import { enterprise, money, type SimDeps, shapeOf, World, type WorldShape } from './world.js';

export interface SeedResult {
  seed: number;
  shape: WorldShape;
  clients: number;
  /** Operations run (requests, job steps, deliveries), retries included. */
  operations: number;
  /** Port calls given a turn, and the digest of their order: equal for two runs of one seed. */
  calls: number;
  digest: string;
  faults: Partial<Record<FaultKind, number>>;
  outcomes: Record<string, number>;
  violations: string[];
  trace: string[];
  ms: number;
}

export interface RunOptions {
  /** DynamoDB Local's endpoint. */
  endpoint: string;
  /** A word that keeps this run's table names apart from another's on the same DynamoDB Local. */
  run?: string;
  /** Multiplies each client's number of operations. */
  scale?: number;
  /** Keeps the seed's table (to look at it) instead of deleting it. */
  keepTable?: boolean;
  /** A document client to share between seeds (one per endpoint by default). */
  client?: TableContext['client'];
  /** Replaces some of the services' ports: a planted bug the invariants must catch. */
  plant?: (deps: SimDeps) => Partial<SimDeps>;
}

const clients = new Map<string, TableContext['client']>();

/**
 * The project's document client, but one that gives up on an answer DynamoDB Local never sends
 * (the SDK then retries) instead of waiting for ever: a long run must not hang on one lost response.
 */
function documentClient(endpoint: string): TableContext['client'] {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint,
      region: process.env.AWS_REGION ?? 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      requestHandler: { requestTimeout: 20_000 },
    }),
    { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } },
  );
}

/** A seed that runs longer than this (wall time) is reported as failed and left behind. */
const SEED_TIMEOUT_MS = 5 * 60_000;

/**
 * One seed, start to end: a fresh table, the world it fixes (a credit line with loans, a balance),
 * its clients running concurrently with faults injected, then (faults off) reconciliation and the
 * delivery of whatever it queued, and the invariants.
 */
export async function runSeed(seed: number, options: RunOptions): Promise<SeedResult> {
  installDeterministicIds();
  const started = performance.now();
  let client = options.client ?? clients.get(options.endpoint);
  if (!client) {
    client = documentClient(options.endpoint);
    clients.set(options.endpoint, client);
  }
  const table = { client, tableName: World.tableName(seed, options.run ?? 'x') };
  const world = new World(seed, table, options.plant);
  await world.createTable();
  const answers: Answers = { repayments: [], drawdowns: [], bodies: new Map(), refused: [] };
  let clientCount = 0;
  try {
    await setup(world);
    const plans = scripts(world, Rng.of(seed, 'schedule'), options.scale);
    clientCount = plans.length;
    world.log(
      `seed ${seed}: ${world.shape.profile}, sticky ${world.shape.sticky}, limit ${world.shape.limit}, balance ${world.shape.openingBalance ?? 'unlimited'}, ${plans.length} clients`,
    );
    await world.phase(async () => {
      await Promise.all(plans.map((plan, c) => runClient(world, c + 1, plan, answers)));
    });
    await settle(world);
    for (const violation of await checkInvariants(world, answers)) world.violation(violation);
  } catch (error) {
    world.violation(`the simulator itself failed: ${error instanceof Error ? error.stack : String(error)}`);
  } finally {
    if (!options.keepTable) await world.dropTable().catch(() => {});
  }
  const legend = [...world.aliases].map(([id, alias]) => `${alias}=${id}`).join(' ');
  return {
    seed,
    shape: world.shape,
    clients: clientCount,
    operations: world.ops,
    calls: world.scheduler.calls,
    digest: world.scheduler.digest.toString(16).padStart(8, '0'),
    faults: world.faults.counts,
    outcomes: world.outcomes,
    violations: world.violations,
    trace: [`loans: ${legend}`, ...world.trace],
    ms: Math.round(performance.now() - started),
  };
}

/** The credit line (via activate, as the workflow books it) and some draw-downs, without faults. */
async function setup(world: World): Promise<void> {
  world.faults.enabled = false;
  const applicationId = `APP-sim-${world.seed}`;
  await world.phase(async () => {
    const outcome = await world.run(0, 'job', 'setup', async () => {
      if (world.shape.openingBalance !== undefined)
        await world.harnessed(() =>
          world.harness.core.setBalance(
            enterprise.uscc ?? '',
            Money.parse(world.shape.openingBalance ?? '0'),
          ),
        );
      await world.applicationItem(applicationId);
      const { loanId, creditLineId } = await activate(world.deps, {
        applicationId,
        invocationId: `activate-${applicationId}`,
        disbursement: {
          transferId: `TRF-${applicationId}`,
          amount: money(world.shape.firstDraw),
          disbursedAt: world.clock.now().toISOString(),
        },
      });
      if (!creditLineId) throw new Error('activate booked no credit line');
      world.creditLineId = creditLineId;
      world.loanIds.push(loanId);
      world.alias(loanId);
      const rng = Rng.of(world.seed, 'setup');
      for (let i = 0; i < world.shape.setupDraws; i++) {
        const { drawdown } = await requestDrawdown(world.deps, {
          principal: enterprise,
          creditLineId,
          idempotencyKey: `setup-${i}`,
          request: {
            amount: money(
              Money.parse(world.shape.limit)
                .multiplyRatio(BigInt(rng.between(3, 15)), 100n)
                .toString(),
            ),
            termMonths: rng.between(2, 9),
            repaymentMethod: rng.pick([
              'EQUAL_INSTALMENT',
              'EQUAL_PRINCIPAL',
              'INTEREST_FIRST',
              'DAILY_REVOLVING',
            ]),
            // The first instalment falls due 15 to 20 days on, so a seed that jumps ahead meets it.
            dueDay: Math.min(
              28,
              Number(businessDate(new Date(world.startMs + rng.between(15, 20) * 86_400_000)).slice(8)),
            ),
          },
        });
        await disburseDrawdown(world.deps, drawdown);
        world.loanIds.push(drawdown.loanId);
        world.alias(drawdown.loanId);
      }
    });
    if (outcome.status !== 'ok') throw new Error(`setup failed: ${JSON.stringify(outcome)}`);
  });
  world.faults.enabled = true;
}

/**
 * The end of a seed: no more faults; once nothing is younger than reconciliation's settle time,
 * reconcile over the whole seed and deliver what it queued; then once more, which must find
 * nothing left to repair.
 */
async function settle(world: World): Promise<void> {
  world.faults.enabled = false;
  const window = () => ({
    from: new Date(world.startMs - 86_400_000).toISOString(),
    to: new Date(world.clock.now().getTime() - SETTLE_AFTER_MS).toISOString(),
  });
  const step = async <T>(label: string, job: () => Promise<T>, describe: (value: T) => string) => {
    const outcome = await world.run(0, 'job', label, job, describe);
    if (outcome.status !== 'ok') world.violation(`${label} failed without any fault injected`);
    return outcome.status === 'ok' ? outcome.value : undefined;
  };
  const deliverAll = async () => {
    for (let round = 0; world.disbursementQueue.messages.length > 0; round++) {
      if (round >= 5) {
        world.violation(
          `the disbursement queue still holds ${world.disbursementQueue.messages.length} messages`,
        );
        return;
      }
      await deliver(world, 0, true);
    }
  };
  await world.phase(async () => {
    await world.advance(SETTLE_AFTER_MS + 60_000);
    await step('final reconciliation', () => reconcile(world.deps, { window: window() }), summary);
    await deliverAll();
    await world.advance(SETTLE_AFTER_MS + 60_000);
    const again = await step(
      'second reconciliation',
      () => reconcile(world.deps, { window: window() }),
      summary,
    );
    const repaired = Object.entries(again?.counts ?? {}).filter(([action]) => action !== 'EVENT_REPUBLISHED');
    if (repaired.length > 0)
      world.violation(
        `a second reconciliation still found ${JSON.stringify(Object.fromEntries(repaired))}: ${again?.items
          .filter((i) => i.action !== 'EVENT_REPUBLISHED')
          .map((i) => `${i.action} ${i.reference}: ${i.detail}`)
          .join('; ')}`,
      );
    await deliverAll();
  });
}

export interface RunSummary {
  seeds: number;
  operations: number;
  calls: number;
  faults: Partial<Record<FaultKind, number>>;
  outcomes: Record<string, number>;
  failed: SeedResult[];
  violations: number;
  ms: number;
}

/** Runs `seeds` with `concurrency` seeds at a time; `onResult` sees each as it finishes. */
export async function runSeeds(
  seeds: readonly number[],
  options: RunOptions & { concurrency?: number; onResult?: (result: SeedResult) => void },
): Promise<RunSummary> {
  const started = performance.now();
  const summary: RunSummary = {
    seeds: 0,
    operations: 0,
    calls: 0,
    faults: {},
    outcomes: {},
    failed: [],
    violations: 0,
    ms: 0,
  };
  let next = 0;
  const lane = async () => {
    while (next < seeds.length) {
      const seed = seeds[next++] as number;
      const result = await watched(seed, options);
      summary.seeds++;
      summary.operations += result.operations;
      summary.calls += result.calls;
      for (const [kind, n] of Object.entries(result.faults) as [FaultKind, number][])
        summary.faults[kind] = (summary.faults[kind] ?? 0) + n;
      for (const [what, n] of Object.entries(result.outcomes))
        summary.outcomes[what] = (summary.outcomes[what] ?? 0) + n;
      if (result.violations.length > 0) {
        summary.failed.push(result);
        summary.violations += result.violations.length;
      }
      options.onResult?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, lane));
  summary.ms = Math.round(performance.now() - started);
  return summary;
}

async function watched(seed: number, options: RunOptions): Promise<SeedResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<SeedResult>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          seed,
          shape: shapeOf(seed),
          clients: 0,
          operations: 0,
          calls: 0,
          digest: '',
          faults: {},
          outcomes: {},
          violations: [`the seed did not finish within ${SEED_TIMEOUT_MS / 1000} s (wall time)`],
          trace: [],
          ms: SEED_TIMEOUT_MS,
        }),
      SEED_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([runSeed(seed, options), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A failed seed as an assertion message: what broke, how to run it again, and its trace. */
export function report(result: SeedResult, traceLines = 400): string {
  const trace = result.trace.length > traceLines ? [...result.trace.slice(0, traceLines), '…'] : result.trace;
  return [
    `seed ${result.seed} (${result.shape.profile}, ${result.clients} clients, ${result.operations} operations, faults ${JSON.stringify(result.faults)}):`,
    ...result.violations.map((v) => `  ✗ ${v}`),
    `reproduce: SIM_SEED=${result.seed} npx vitest run test/integration/simulation.test.ts  (or npm run simulate -- --seed ${result.seed} --trace)`,
    'trace:',
    ...trace.map((line) => `  ${line}`),
  ].join('\n');
}
