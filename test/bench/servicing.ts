import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { resourceUsage } from 'node:process';
import { setTimeout as delay } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { DynamoLoanStore, loanItem } from '../../shared/adapters/dynamodb/loan-store.js';
import {
  createDocumentClient,
  createTableInput,
  type TableContext,
} from '../../shared/adapters/dynamodb/table.js';
import { businessDate } from '../../shared/domain/business-date.js';
import { journalJson, type LoanRecord } from '../../shared/domain/loan.js';
import { Money } from '../../shared/domain/money.js';
import { AnnualRate } from '../../shared/domain/rate.js';
import {
  accrualEntries,
  accrueDay,
  addDays,
  loanStateJson,
  openLoan,
  type RepaymentMethod,
  repaymentSchedule,
} from '../../shared/domain/servicing/index.js';
import { accrueInterest } from '../../shared/services/accrue-interest.js';
import { accrueLoan, forEachOpenLoan, loanState, withState } from '../../shared/services/loan-servicing.js';
import { benchLoan, type LoanTemplate, loanTemplates, prng } from './loan-mix.js';
import { load1, machine, round } from './machine.js';

/**
 * Servicing throughput:
 * 1. In process: repayment schedules per second, daily accrual (accrueDay) loan-days per
 *    second, and the CPU work the nightly job does per loan-date without any I/O.
 * 2. The nightly accrual (`accrueInterest`) over N open loans on DynamoDB Local: one timed run
 *    for a business date where every loan has exactly one date to accrue, then the same date
 *    again (it must book nothing), then a check of a sample against the servicing code.
 */

/** The run happens at 01:30 on 16 Nov 2026 in the bank's time zone, so it accrues 15 Nov. */
const RUN_AT = new Date('2026-11-15T17:30:00.000Z');
const THROUGH = addDays(businessDate(RUN_AT), -1);
/** Distinct loan histories; loans reuse them under their own identities. */
const TEMPLATES = 2_000;
const BATCH = 25;
const SEED_PARALLELISM = 8;
const SAMPLE = 100;
/** forEachOpenLoan's default: loans accrued at a time within a page, per index shard. */
const DEFAULT_CONCURRENCY = 8;

const MiB = 2 ** 20;

/** Runs `step` repeatedly for at least `ms` (after a warm-up) and returns calls per second. */
function throughput(step: (i: number) => unknown, ms = 1_500, warmup = 200) {
  for (let i = 0; i < warmup; i++) step(i);
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let k = 0; k < 50; k++) step(calls++);
    elapsed = performance.now() - start;
  }
  return {
    calls,
    perSecond: Math.round(calls / (elapsed / 1000)),
    microseconds: round((elapsed * 1000) / calls),
  };
}

const scheduleCases: [RepaymentMethod, number][] = [
  ['EQUAL_INSTALMENT', 12],
  ['EQUAL_INSTALMENT', 24],
  ['EQUAL_INSTALMENT', 36],
  ['EQUAL_PRINCIPAL', 12],
  ['EQUAL_PRINCIPAL', 24],
  ['EQUAL_PRINCIPAL', 36],
  ['INTEREST_FIRST', 12],
  ['INTEREST_FIRST', 24],
  ['INTEREST_FIRST', 36],
  ['DAILY_REVOLVING', 12],
];

const loanInput = (method: RepaymentMethod, termMonths: number, i = 0) => ({
  // A different amount each call, so nothing could be reused between calls.
  principal: Money.ofMinor(30_000_000n + BigInt(i % 1000) * 100n),
  annualRate: AnnualRate.parse('0.0585'),
  termMonths,
  disbursementDate: '2026-01-15',
  dueDay: 15,
  method,
});

export function inProcessThroughput(templates: readonly LoanTemplate[]) {
  const schedules = scheduleCases.map(([method, termMonths]) => {
    const { perSecond, microseconds } = throughput((i) =>
      repaymentSchedule(loanInput(method, termMonths, i)),
    );
    return { method, termMonths, schedulesPerSecond: perSecond, microsecondsPerSchedule: microseconds };
  });

  // A year of end-of-day runs for one loan, nothing repaid: from the first missed due date the
  // days also accrue penalty interest on overdue principal, the heavier path.
  const accrual = (['EQUAL_INSTALMENT', 'EQUAL_PRINCIPAL', 'INTEREST_FIRST', 'DAILY_REVOLVING'] as const).map(
    (method) => {
      const termMonths = method === 'DAILY_REVOLVING' ? 12 : 36;
      const year = () => {
        let state = openLoan(loanInput(method, termMonths));
        const started = performance.now();
        for (let day = 0; day < 365; day++) state = accrueDay(state, addDays(state.accruedThrough, 1)).state;
        return performance.now() - started;
      };
      for (let k = 0; k < 5; k++) year();
      let ms = 0;
      let loanDays = 0;
      while (ms < 1_500) {
        ms += year();
        loanDays += 365;
      }
      return {
        method,
        termMonths,
        loanDaysPerSecond: Math.round(loanDays / (ms / 1000)),
        microsecondsPerLoanDay: round((ms * 1000) / loanDays),
      };
    },
  );

  // What accrueLoan computes per loan-date before its one TransactWrite: read the stored state,
  // accrue the day, the new record, the journal entry and the item, over the benchmark's loan mix.
  const job = throughput((i) => {
    const { loan } = templates[i % templates.length] as LoanTemplate;
    const step = accrueDay(loanState(loan), THROUGH);
    if (!step.accrual) throw new Error(`${loan.loanId} had nothing to accrue`);
    const updated = withState(loan, step.state, THROUGH);
    return [loanItem(updated), accrualEntries(loan.loanId, step.accrual).map(journalJson)];
  });
  return {
    schedules,
    accrueDayOverAYear: accrual,
    jobWorkPerLoanDate: {
      description:
        'loanStateFromJson + accrueDay + withState + accrualEntries + loanItem for one loan-date of the seeded mix, no I/O',
      loanDatesPerSecond: job.perSecond,
      microsecondsPerLoanDate: job.microseconds,
    },
  };
}

/** The DynamoDB Local JVM started for this run: its pid, found by its port among our children. */
function jvmPid(port: number): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const stat = procStat(Number(entry));
      if (
        stat?.ppid === process.pid &&
        args.includes('DynamoDBLocal.jar') &&
        args[args.indexOf('-port') + 1] === String(port)
      )
        return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return undefined;
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function procStat(pid: number): { ppid: number; cpuMs: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)": state ppid ... utime (14th field) stime (15th).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      ppid: Number(fields[1]),
      cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS,
    };
  } catch {
    return undefined;
  }
}

/** VmRSS and VmHWM (the peak resident set since the process started) from /proc, in MiB. */
function procMemory(pid: number | undefined): { rssMiB: number; vmHwmMiB: number } | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMiB: round(kib('VmRSS') / 1024), vmHwmMiB: round(kib('VmHWM') / 1024) };
  } catch {
    return undefined;
  }
}

/**
 * Times `work`, sampling this process's RSS and the JVM's every 100 ms, and the CPU both used:
 * CPU seconds per wall second near the core count means the run is CPU-bound.
 */
async function measured<T>(jvm: number | undefined, work: () => Promise<T>) {
  let nodePeak = process.memoryUsage().rss;
  let jvmPeak = procMemory(jvm)?.rssMiB ?? 0;
  const sample = () => {
    nodePeak = Math.max(nodePeak, process.memoryUsage().rss);
    jvmPeak = Math.max(jvmPeak, procMemory(jvm)?.rssMiB ?? 0);
  };
  const timer = setInterval(sample, 100);
  const loadBefore = load1();
  const nodeCpu = process.cpuUsage();
  const jvmCpu = jvm === undefined ? undefined : procStat(jvm)?.cpuMs;
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  clearInterval(timer);
  sample();
  const nodeCpuMs = (() => {
    const used = process.cpuUsage(nodeCpu);
    return (used.user + used.system) / 1000;
  })();
  const jvmCpuMs =
    jvm === undefined || jvmCpu === undefined ? undefined : (procStat(jvm)?.cpuMs ?? 0) - jvmCpu;
  return {
    result,
    seconds: round(ms / 1000, 2),
    node: { peakRssMiB: round(nodePeak / MiB), cpuSeconds: round(nodeCpuMs / 1000, 1) },
    dynamodbLocalJvm:
      jvmCpuMs === undefined ? undefined : { peakRssMiB: jvmPeak, cpuSeconds: round(jvmCpuMs / 1000, 1) },
    cpuCoresBusy: round((nodeCpuMs + (jvmCpuMs ?? 0)) / ms, 2),
    loadAverage1m: { before: loadBefore, after: load1() },
  };
}

/** BatchWriteItem, 25 items a request, `SEED_PARALLELISM` requests in flight, unprocessed items retried. */
async function seedLoans(table: TableContext, templates: readonly LoanTemplate[], count: number) {
  const random = prng(7);
  const loans: { loanId: string; template: number }[] = [];
  let next = 0;
  let retried = 0;
  const nextBatch = () => {
    const items: Record<string, unknown>[] = [];
    for (; items.length < BATCH && next < count; next++) {
      const { loan, template } = benchLoan(templates, random, next);
      loans.push({ loanId: loan.loanId, template });
      items.push(loanItem(loan));
    }
    return items;
  };
  const writer = async () => {
    for (let items = nextBatch(); items.length > 0; items = nextBatch()) {
      let requests = items.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 0) {
          retried += requests.length;
          if (attempt > 10) throw new Error(`${requests.length} items still unprocessed after 10 retries`);
          await delay(Math.min(1_000, 25 * 2 ** attempt));
        }
        const { UnprocessedItems } = await table.client.send(
          new BatchWriteCommand({ RequestItems: { [table.tableName]: requests } }),
        );
        requests = (UnprocessedItems?.[table.tableName] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: SEED_PARALLELISM }, writer));
  return { loans, retriedItems: retried };
}

/** The table's item count (DynamoDB Local computes it on request; DynamoDB itself updates it every few hours). */
async function itemCount(table: TableContext): Promise<number> {
  const { Table } = await table.client.send(new DescribeTableCommand({ TableName: table.tableName }));
  return Table?.ItemCount ?? Number.NaN;
}

/**
 * Checks `sample` loans against the servicing code: each loan's stored state and version are
 * exactly its seeded state accrued one day, and its journal holds exactly one ACCRUAL entry for
 * the date, with the same lines.
 */
async function verifySample(
  store: DynamoLoanStore,
  templates: readonly LoanTemplate[],
  sample: readonly { loanId: string; template: number }[],
) {
  const failures: string[] = [];
  let overdueEntries = 0;
  for (const { loanId, template } of sample) {
    const seeded = { ...(templates[template] as LoanTemplate).loan, loanId };
    const step = accrueDay(loanState(seeded), THROUGH);
    if (!step.accrual) throw new Error(`${loanId}: nothing to accrue on ${THROUGH}`);
    const expected = withState(seeded, step.state, THROUGH);
    const stored = await store.getLoan(loanId);
    const journal = await store.journal(loanId, { from: THROUGH, to: THROUGH });
    const accruals = journal.filter((entry) => entry.kind === 'ACCRUAL');
    const [expectedAccrual] = accrualEntries(loanId, step.accrual)
      .filter((entry) => entry.kind === 'ACCRUAL')
      .map(journalJson);
    overdueEntries += journal.filter((entry) => entry.kind === 'OVERDUE').length;
    if (!stored) failures.push(`${loanId}: missing`);
    else if (stored.servicing.accruedThrough !== THROUGH)
      failures.push(`${loanId}: accrued through ${stored.servicing.accruedThrough}`);
    else if (!isDeepStrictEqual(stored.servicing, loanStateJson(step.state)))
      failures.push(`${loanId}: stored state differs from accrueDay's`);
    else if (stored.version !== expected.version || stored.status !== expected.status)
      failures.push(
        `${loanId}: version ${stored.version}/${stored.status}, expected ${expected.version}/${expected.status}`,
      );
    if (accruals.length !== 1) failures.push(`${loanId}: ${accruals.length} ACCRUAL entries on ${THROUGH}`);
    else if (!isDeepStrictEqual(accruals[0]?.lines, expectedAccrual?.lines))
      failures.push(`${loanId}: ACCRUAL lines differ from accrualEntries'`);
  }
  return { loansChecked: sample.length, overdueEntriesSeen: overdueEntries, failures };
}

const overdueOnThrough = new Map<number, boolean>();
function fallsOverdue(templates: readonly LoanTemplate[], template: number): boolean {
  let falls = overdueOnThrough.get(template);
  if (falls === undefined) {
    const { loan } = templates[template] as LoanTemplate;
    falls = accrueDay(loanState(loan), THROUGH).accrual?.fellOverdue != null;
    overdueOnThrough.set(template, falls);
  }
  return falls;
}

function sampleOf<T>(items: readonly T[], size: number, seed: number): T[] {
  const random = prng(seed);
  const picked = new Set<number>();
  while (picked.size < Math.min(size, items.length)) picked.add(Math.floor(random() * items.length));
  return [...picked].map((index) => items[index] as T);
}

export interface AccrualBenchOptions {
  loans: number;
  /** Also time a run with forEachOpenLoan at this concurrency, on a fresh table seeded the same way. */
  alternativeConcurrency?: number;
  log?: (line: string) => void;
}

interface SeededTable {
  table: TableContext;
  store: DynamoLoanStore;
  deps: { loans: DynamoLoanStore; clock: { now: () => Date } };
  jvm: number | undefined;
  seeding: Awaited<ReturnType<typeof measured<Awaited<ReturnType<typeof seedLoans>>>>>;
}

/**
 * Starts a DynamoDB Local of its own (in memory, a free port), creates the app's table, seeds
 * the loans and hands it to `work`; stops the JVM afterwards. A second measurement gets a new
 * JVM rather than a second table: after DeleteTable, DynamoDB Local's stream bookkeeping made
 * every later write several times slower.
 */
async function withSeededTable<T>(
  templates: readonly LoanTemplate[],
  loans: number,
  log: (line: string) => void,
  work: (seeded: SeededTable) => Promise<T>,
): Promise<T> {
  const dynamodb = await startDynamoDbLocal({ port: 0, inMemory: true });
  try {
    const jvm = jvmPid(dynamodb.port);
    const table = { client: createDocumentClient(dynamodb.endpoint), tableName: 'bench-accrual' };
    await table.client.send(new CreateTableCommand(createTableInput(table.tableName)));
    log(`seeding ${loans} loans`);
    const seeding = await measured(jvm, () => seedLoans(table, templates, loans));
    log(`seeded in ${seeding.seconds} s`);
    const store = new DynamoLoanStore(table);
    return await work({ table, store, deps: { loans: store, clock: { now: () => RUN_AT } }, jvm, seeding });
  } finally {
    await dynamodb.stop();
  }
}

async function defaultRun(templates: readonly LoanTemplate[], count: number, log: (line: string) => void) {
  return withSeededTable(templates, count, log, async ({ table, store, deps, jvm, seeding }) => {
    const { loans, retriedItems } = seeding.result;
    const seeded = await itemCount(table);
    log(`accruing ${THROUGH}`);
    const first = await measured(jvm, () => accrueInterest(deps, RUN_AT));
    const maxRssAfterRunMiB = round(resourceUsage().maxRSS / 1024);
    const afterFirst = await itemCount(table);
    log(`first run: ${first.seconds} s, ${JSON.stringify(first.result)}`);
    const second = await measured(jvm, () => accrueInterest(deps, RUN_AT));
    const afterSecond = await itemCount(table);
    log(`second run: ${second.seconds} s, ${JSON.stringify(second.result)}`);

    // Each loan gains its ACCRUAL entry; a loan whose instalment fell overdue also an OVERDUE
    // entry and a loan.overdue event.
    const fallingOverdue = loans.filter(({ template }) => fallsOverdue(templates, template)).length;
    const items = {
      seeded,
      afterFirstRun: afterFirst,
      expectedAfterFirstRun: seeded + count + 2 * fallingOverdue,
      afterSecondRun: afterSecond,
    };
    const verification = await verifySample(store, templates, sampleOf(loans, SAMPLE, 11));
    log(`verified: ${JSON.stringify(items)}, ${verification.failures.length} failures`);
    if (first.result.loans !== count || first.result.datesBooked !== count)
      verification.failures.push(
        `first run visited ${first.result.loans} and booked ${first.result.datesBooked}`,
      );
    if (second.result.datesBooked !== 0)
      verification.failures.push(`second run booked ${second.result.datesBooked} loan-dates`);
    if (items.afterFirstRun !== items.expectedAfterFirstRun || items.afterSecondRun !== items.afterFirstRun)
      verification.failures.push(`item counts ${JSON.stringify(items)}`);

    return {
      loans: count,
      distinctLoanHistories: templates.length,
      businessDateAccrued: THROUGH,
      runAt: RUN_AT.toISOString(),
      seeding: {
        seconds: seeding.seconds,
        itemsPerSecond: Math.round(count / seeding.seconds),
        averageItemBytes: Math.round(
          templates.reduce((sum, { loan }) => sum + JSON.stringify(loanItem(loan)).length, 0) /
            templates.length,
        ),
        cpuCoresBusy: seeding.cpuCoresBusy,
        dynamodbLocalJvmCpuSeconds: seeding.dynamodbLocalJvm?.cpuSeconds,
        batchSize: BATCH,
        requestsInFlight: SEED_PARALLELISM,
        unprocessedItemsRetried: retriedItems,
      },
      accrual: {
        concurrencyPerShard: DEFAULT_CONCURRENCY,
        shards: store.activeLoanShards,
        loansInFlight: DEFAULT_CONCURRENCY * store.activeLoanShards,
        summary: first.result,
        seconds: first.seconds,
        loansPerSecond: Math.round(first.result.loans / first.seconds),
        node: { ...first.node, maxRssSinceStartMiB: maxRssAfterRunMiB },
        dynamodbLocalJvm: { ...first.dynamodbLocalJvm, vmHwmMiB: procMemory(jvm)?.vmHwmMiB },
        cpuCoresBusy: first.cpuCoresBusy,
        loadAverage1m: first.loadAverage1m,
      },
      rerunSameDate: {
        summary: second.result,
        seconds: second.seconds,
        loansPerSecond: Math.round(second.result.loans / second.seconds),
        node: second.node,
        cpuCoresBusy: second.cpuCoresBusy,
      },
      verification: {
        ...verification,
        loansFallingOverdue: fallingOverdue,
        tableItems: items,
        passed: verification.failures.length === 0,
      },
    };
  });
}

/** accrueInterest's own composition, with forEachOpenLoan at another concurrency, on an identical table. */
async function runAtConcurrency(
  templates: readonly LoanTemplate[],
  count: number,
  concurrency: number,
  log: (line: string) => void,
) {
  return withSeededTable(templates, count, log, async ({ store, deps, jvm }) => {
    const run = await measured(jvm, async () => {
      let visited = 0;
      let datesBooked = 0;
      await forEachOpenLoan(
        deps,
        async (loan: LoanRecord) => {
          const result = await accrueLoan(deps, loan, THROUGH);
          visited++;
          datesBooked += result.datesBooked;
        },
        concurrency,
      );
      return { through: THROUGH, loans: visited, datesBooked };
    });
    log(`concurrency ${concurrency}: ${run.seconds} s, ${JSON.stringify(run.result)}`);
    if (run.result.datesBooked !== count) throw new Error(`booked ${run.result.datesBooked} of ${count}`);
    return {
      concurrencyPerShard: concurrency,
      loansInFlight: concurrency * store.activeLoanShards,
      summary: run.result,
      seconds: run.seconds,
      loansPerSecond: Math.round(run.result.loans / run.seconds),
      node: run.node,
      dynamodbLocalJvm: run.dynamodbLocalJvm,
      cpuCoresBusy: run.cpuCoresBusy,
      loadAverage1m: run.loadAverage1m,
    };
  });
}

export async function accrualOnDynamoDbLocal(
  templates: readonly LoanTemplate[],
  options: AccrualBenchOptions,
) {
  const log = options.log ?? (() => {});
  const main = await defaultRun(templates, options.loans, log);
  const concurrency = options.alternativeConcurrency;
  return {
    ...main,
    ...(concurrency === undefined
      ? {}
      : { alternativeConcurrency: await runAtConcurrency(templates, options.loans, concurrency, log) }),
  };
}

export async function benchServicing(options: AccrualBenchOptions) {
  const log = options.log ?? (() => {});
  const started = performance.now();
  const templates = loanTemplates(Math.min(TEMPLATES, options.loans), THROUGH);
  log(`built ${templates.length} loan histories in ${round((performance.now() - started) / 1000)} s`);
  const inProcess = inProcessThroughput(templates);
  log(`in process: ${JSON.stringify(inProcess.jobWorkPerLoanDate)}`);
  const dynamodbLocal = await accrualOnDynamoDbLocal(templates, options);
  return {
    measuredAt: new Date().toISOString(),
    machine: machine(),
    inProcess,
    accrualOnDynamoDbLocal: dynamodbLocal,
    note:
      'One accrueInterest run for one business date, every loan with exactly that date left to accrue (one TransactWrite per loan), ' +
      `then the same date again. Loans are ${templates.length} distinct loan histories (methods, terms, amounts, rates, disbursement dates up to 18 months back, ` +
      'instalments paid on their due dates, 2% with the latest one missed) built by the servicing code, each reused under new ids. ' +
      'RSS peaks are sampled every 100 ms during the run; maxRssSinceStartMiB (resourceUsage().maxRSS) and vmHwmMiB of the JVM (/proc VmHWM) cover the whole process life, seeding included; cpuCoresBusy is Node plus JVM CPU time over wall time. ' +
      'DynamoDB Local runs in memory in its own JVM on the same machine, so it competes with the Node process for the same cores.',
  };
}
