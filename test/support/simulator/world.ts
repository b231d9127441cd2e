import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoApplicationStore } from '../../../shared/adapters/dynamodb/application-store.js';
import { DynamoAuditLog } from '../../../shared/adapters/dynamodb/audit-log.js';
import { DynamoEventOutbox } from '../../../shared/adapters/dynamodb/event-items.js';
import { DynamoLoanStore } from '../../../shared/adapters/dynamodb/loan-store.js';
import { createTableInput, keys, type TableContext } from '../../../shared/adapters/dynamodb/table.js';
import { ControllableClock } from '../../../shared/adapters/local/controllable-clock.js';
import { SimulatedCoreBanking } from '../../../shared/adapters/simulated/core-banking.js';
import type { ApplicationRecord } from '../../../shared/domain/application.js';
import { OutcomeUnknownError } from '../../../shared/domain/errors.js';
import { Money } from '../../../shared/domain/money.js';
import { toProblem } from '../../../shared/http/problem.js';
import type { Actor } from '../../../shared/services/audit-trail.js';
import type { Dependencies } from '../../../shared/services/dependencies.js';
import type { Principal } from '../../../shared/services/principal.js';
import { type OpRun, type SeedScope, scope } from './context.js';
import { CrashError, FAULT_PROFILES, FaultPlan, type FaultProfile, isInjected } from './faults.js';
import { FaultyCoreBanking, gatedTable, type SimEnv, SimQueue } from './ports.js';
import { Rng } from './random.js';
import { Scheduler } from './scheduler.js';

export const USCC = '91350102MA31K7Q230';
export const enterprise: Principal = { subject: 'enterprise-sim', role: 'enterprise', uscc: USCC };
/** The approver who writes loans off; one request id for all, since the simulator's runs must replay exactly. */
export const approver: Actor = { subject: 'approver-sim', role: 'approver', correlationId: 'sim-request' };
export const money = (amount: string) => ({ amount, currency: 'CNY' as const });

export type SimDeps = Pick<
  Dependencies,
  | 'applications'
  | 'loans'
  | 'coreBanking'
  | 'clock'
  | 'disbursementQueue'
  | 'webhookQueue'
  | 'workflow'
  | 'outbox'
  | 'audit'
>;

export type Outcome<T> =
  | { status: 'ok'; value: T }
  | { status: 'crash'; why: string }
  /** `allowed`: a 4xx, or a 503 after a core-banking fault; for a job, a 409 or what an injected fault caused. */
  | { status: 'error'; error: unknown; http: number; allowed: boolean };

/** What a seed decided about its world before anything ran. */
export interface WorldShape {
  profile: FaultProfile;
  sticky: number;
  start: string;
  limit: string;
  firstDraw: string;
  /** The settlement account's opening balance; undefined: unlimited funds, no balance kept. */
  openingBalance?: string;
  setupDraws: number;
}

export function shapeOf(seed: number): WorldShape {
  const rng = Rng.of(seed, 'world');
  const profile = rng.weighted({ calm: 2, normal: 5, stormy: 3 });
  const sticky = rng.pick([0, 0.5, 0.85]);
  // A day between Jan 2026 and mid-2027, some time between 08:00 and 18:59 in Shanghai.
  const start = new Date(
    Date.UTC(2026, 0, 1 + rng.int(540), 0, rng.int(11 * 60)) + rng.int(60) * 1000,
  ).toISOString();
  const limit = rng.pick(['100000.00', '250000.00', '500000.00']);
  const firstDraw = Money.parse(limit)
    .multiplyRatio(BigInt(rng.between(5, 40)), 100n)
    .toString();
  const openingBalance = rng.chance(0.6)
    ? Money.ofMinor(BigInt(rng.between(0, 8_000_000)) * 100n).toString()
    : undefined;
  return { profile, sticky, start, limit, firstDraw, openingBalance, setupDraws: rng.between(0, 2) };
}

/**
 * One seed's world: its own table on DynamoDB Local, clock, core banking, queues and fault plan,
 * and the record of what happened (trace, answers, violations). The services run unchanged on
 * top of it, through ports that take turns at the seed's scheduler.
 */
export class World {
  readonly shape: WorldShape;
  readonly seedScope: SeedScope;
  readonly trace: string[] = [];
  readonly violations: string[] = [];
  readonly faults: FaultPlan;
  readonly scheduler: Scheduler;
  readonly clock: ControllableClock;
  readonly env: SimEnv;
  /** The services' dependencies: gated and faulted. */
  readonly deps: SimDeps;
  /** The simulator's own view: gated (it takes turns) but never faulted. */
  readonly harness: { loans: DynamoLoanStore; outbox: DynamoEventOutbox; core: SimulatedCoreBanking };
  readonly disbursementQueue: SimQueue;
  /** The table through the gate, never faulted: the simulator's own reads and writes. */
  readonly quiet: TableContext;
  readonly startMs: number;
  creditLineId = '';
  /** The loans booked when the world was set up (the clients also act on those their draw-downs become). */
  readonly loanIds: string[] = [];
  readonly #aliases = new Map<string, string>();
  /** The table's stream (event items in commit order), how far the relay has been handed it, and what it was handed. */
  readonly stream: Record<string, unknown>[] = [];
  streamPosition = 0;
  readonly streamed: Record<string, unknown>[] = [];
  /** Settlement-balance changes the simulator made (deposits and withdrawals), in fen. */
  balanceChanges = 0n;
  ops = 0;
  /** Outcomes by operation ("repay ok", "repay 409", "draw crash") and auto-debits by outcome. */
  readonly outcomes: Record<string, number> = {};

  constructor(
    readonly seed: number,
    readonly table: TableContext,
    /** Replaces some of the services' ports (a planted bug, to show the invariants catch it). */
    plant?: (deps: SimDeps) => Partial<SimDeps>,
  ) {
    this.shape = shapeOf(seed);
    this.seedScope = { seed, nextId: 0 };
    this.startMs = Date.parse(this.shape.start);
    this.clock = new ControllableClock(() => this.startMs);
    const log = (line: string) => this.log(line);
    this.faults = new FaultPlan(Rng.of(seed, 'faults'), FAULT_PROFILES[this.shape.profile], log);
    this.scheduler = new Scheduler(Rng.of(seed, 'interleaving'), this.shape.sticky);
    this.env = {
      scheduler: this.scheduler,
      faults: this.faults,
      clock: this.clock,
      trace: log,
      committed: (items) => this.stream.push(...items),
    };
    const services = gatedTable(table, this.env, true);
    const quiet = gatedTable(table, this.env, false);
    this.quiet = quiet;
    const core = new SimulatedCoreBanking(quiet, this.clock);
    this.disbursementQueue = new SimQueue(this.env, 'disbursement queue');
    this.deps = {
      applications: new DynamoApplicationStore(services),
      loans: new DynamoLoanStore(services),
      coreBanking: new FaultyCoreBanking(core, this.env),
      clock: this.clock,
      disbursementQueue: this.disbursementQueue,
      webhookQueue: new SimQueue(this.env, 'webhook queue', false),
      workflow: {
        start: async () => {},
        sendTaskSuccess: async () => true,
        sendTaskFailure: async () => true,
      },
      outbox: new DynamoEventOutbox(services),
      audit: new DynamoAuditLog(services),
    };
    if (plant) this.deps = { ...this.deps, ...plant(this.deps) };
    this.harness = { loans: new DynamoLoanStore(quiet), outbox: new DynamoEventOutbox(quiet), core };
  }

  static tableName(seed: number, run: string) {
    return `sim-${run}-${seed}`;
  }

  async createTable(): Promise<void> {
    // No DynamoDB stream: the gate hands committed event items to the simulated stream itself, and
    // DynamoDB Local keeps a deleted table's stream records, which slows every later seed down.
    const { StreamSpecification: _, ...input } = createTableInput(this.table.tableName);
    await this.table.client.send(new CreateTableCommand(input));
  }

  async dropTable(): Promise<void> {
    await this.table.client.send(new DeleteTableCommand({ TableName: this.table.tableName }));
  }

  /** A short stable name for a loan in the trace. */
  alias(loanId: string): string {
    let name = this.#aliases.get(loanId);
    if (!name) {
      name = `L${this.#aliases.size}`;
      this.#aliases.set(loanId, name);
    }
    return name;
  }

  get aliases(): ReadonlyMap<string, string> {
    return this.#aliases;
  }

  count(what: string, n = 1): void {
    this.outcomes[what] = (this.outcomes[what] ?? 0) + n;
  }

  log(line: string): void {
    const local = new Date(this.clock.now().getTime() + 8 * 3600_000).toISOString();
    this.trace.push(`${local.slice(5, 10)} ${local.slice(11, 19)} ${line}`);
  }

  violation(text: string): void {
    this.violations.push(text);
    this.log(`  VIOLATION ${text}`);
  }

  /**
   * Runs `body` to the end with the scheduler giving turns: the calls of everything started inside
   * (clients, their operations, anything those leave running) take turns until all have finished.
   */
  async phase(body: () => Promise<void>): Promise<void> {
    const done = scope.run({ seed: this.seedScope }, body);
    await this.scheduler.drive(done);
    await done;
  }

  /** Runs `body` as the simulator itself inside the current operation: never faulted. */
  harnessed<T>(body: () => Promise<T>): Promise<T> {
    const store = scope.getStore();
    return scope.run({ seed: this.seedScope, ...store, harness: true }, body);
  }

  /**
   * Moves the clock on by `ms`. A short step (a minute at most) happens at once, whatever is in
   * flight; a longer one (think time, a night) waits until no operation is running and holds new
   * ones back meanwhile: in real time a request lasts milliseconds, so none straddles an hour.
   * (One still running when the clock has passed its Lambda timeout is killed at its next call.)
   */
  async advance(ms: number): Promise<void> {
    if (ms <= 60_000) {
      this.clock.advance(ms);
      return;
    }
    while (this.#jump) await this.#jump.done;
    let release = () => {};
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#jump = { done };
    while (this.#running > 0)
      await new Promise<void>((resolve) => {
        this.#idle.push(resolve);
      });
    this.clock.advance(ms);
    this.#jump = undefined;
    release();
  }

  /** Moves the clock on to `at` (if later), as `advance` does. */
  advanceTo(at: number): Promise<void> {
    return this.advance(Math.max(0, at - this.clock.now().getTime()));
  }

  #running = 0;
  #jump: { done: Promise<void> } | undefined;
  #idle: (() => void)[] = [];

  /**
   * Runs one operation (a request, or a job step) as its own process: faults land on it, a crash
   * ends it, and its outcome is judged the way the HTTP layer and the job runner would see it.
   */
  async run<T>(
    client: number,
    kind: OpRun['kind'],
    label: string,
    body: (op: OpRun) => Promise<T>,
    describe: (value: T) => string = () => 'ok',
  ): Promise<Outcome<T>> {
    while (this.#jump) await this.#jump.done;
    this.#running++;
    try {
      return await this.#run(client, kind, label, body, describe);
    } finally {
      if (--this.#running === 0) for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  async #run<T>(
    client: number,
    kind: OpRun['kind'],
    label: string,
    body: (op: OpRun) => Promise<T>,
    describe: (value: T) => string,
  ): Promise<Outcome<T>> {
    const op: OpRun = {
      id: ++this.ops,
      client,
      label,
      kind,
      startedAt: this.clock.now().getTime(),
      coreFault: false,
      injected: new Set(),
    };
    this.log(`#${op.id} c${client} ${label}`);
    return scope.run({ seed: this.seedScope, op }, async () => {
      let outcome: Outcome<T>;
      try {
        const value = await body(op);
        outcome = op.dead ? { status: 'crash', why: op.dead } : { status: 'ok', value };
      } catch (error) {
        outcome = op.dead ? { status: 'crash', why: op.dead } : this.#judge(op, error);
      }
      this.log(`#${op.id} → ${this.#describe(outcome, describe)}`);
      const result =
        outcome.status !== 'error'
          ? outcome.status
          : outcome.http >= 500 && outcome.allowed
            ? `${outcome.http} (injected fault)`
            : outcome.http;
      this.count(`${label.split(' ')[0]} ${result}`);
      return outcome;
    });
  }

  #judge<T>(op: OpRun, error: unknown): Outcome<T> {
    const problem = toProblem(error);
    if (error instanceof CrashError) return { status: 'crash', why: error.message };
    if (op.kind === 'job') {
      // A job step (a nightly job, a queue or stream consumer) has no client to answer: its runner
      // retries a failure. Contention (409) and what an injected fault caused are expected; any
      // other failure (a validation error, a 500) is a bug that stalls the job for everyone.
      const allowed = isInjected(error, op) || (problem.known && problem.status === 409);
      if (!allowed) this.violation(`#${op.id} ${op.label} failed: ${message(error, !problem.known)}`);
      return { status: 'error', error, http: problem.status, allowed };
    }
    if (problem.known && problem.status < 500)
      return { status: 'error', error, http: problem.status, allowed: true };
    if (error instanceof OutcomeUnknownError) {
      const allowed = op.coreFault;
      if (!allowed)
        this.violation(`#${op.id} ${op.label} answered 503 with no core-banking fault: ${message(error)}`);
      return { status: 'error', error, http: 503, allowed };
    }
    this.violation(`#${op.id} ${op.label} failed with a 500: ${message(error, true)}`);
    return { status: 'error', error, http: problem.status, allowed: false };
  }

  #describe<T>(outcome: Outcome<T>, describe: (value: T) => string): string {
    switch (outcome.status) {
      case 'ok':
        return describe(outcome.value);
      case 'crash':
        return `CRASH (${outcome.why})`;
      case 'error':
        return `${outcome.http}${outcome.allowed ? '' : ' NOT ALLOWED'} ${message(outcome.error)}`;
    }
  }

  /** The application the workflow has brought to DISBURSING, as activate() expects it. */
  async applicationItem(id: string): Promise<void> {
    const at = this.clock.now().toISOString();
    const app: ApplicationRecord = {
      id,
      status: 'DISBURSING',
      createdAt: at,
      updatedAt: at,
      submittedBy: enterprise.subject,
      applicant: {
        uscc: USCC,
        enterpriseName: '福州闽江源商贸有限公司',
        legalRepresentative: { name: '林志远', birthDate: '1979-03-12' },
        product: 'REVOLVING_LINE',
        requestedAmount: this.shape.firstDraw,
        termMonths: 12,
      },
      contact: {
        idNumberMasked: '3501**********1357',
        idNumberDigest: 'd',
        mobileMasked: '139****0001',
        mobileDigest: 'd',
      },
      purpose: 'working capital',
      consent: { dataUse: true, version: 'data-use-2026.11', consentedAt: at },
      assessment: {},
      offer: {
        limit: money(this.shape.limit),
        annualRate: '0.0520',
        termMonths: 12,
        expiresAt: new Date(this.clock.now().getTime() + 7 * 86_400_000).toISOString(),
      },
    };
    await this.harnessed(() =>
      this.quiet.client.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: { ...keys.application(id), entity: 'APPLICATION', ...app },
        }),
      ),
    );
  }
}

export function message(error: unknown, stack = false): string {
  if (!(error instanceof Error)) return String(error);
  const text = `${error.name}: ${error.message}`;
  return stack ? `${text}\n${error.stack?.split('\n').slice(1, 6).join('\n') ?? ''}` : text;
}
