import '../../local/polyfills.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { report, runSeed, runSeeds, type SeedResult } from '../support/simulator/simulate.js';
import { load1, machine } from './machine.js';

/**
 * `npm run simulate [-- --seeds 10000] [--from 1] [--concurrency 12] [--scale 1]`
 *   runs that many seeds of the fault-injecting simulator (test/support/simulator) against a
 *   DynamoDB Local of its own and writes the figures to test/bench/simulation-results.json.
 * `npm run simulate -- --seed 1234 [--trace]`
 *   runs one seed and prints its violations (and with --trace its whole trace); writes nothing.
 */

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '10000' },
    from: { type: 'string', default: '1' },
    seed: { type: 'string' },
    concurrency: { type: 'string', default: '12' },
    scale: { type: 'string', default: '1' },
    trace: { type: 'boolean', default: false },
  },
});
const whole = (name: string, text: string | undefined, min = 0) => {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min)
    throw new Error(`--${name} must be a whole number ≥ ${min}, got ${text}`);
  return n;
};
const scale = Number(values.scale);
if (!(scale > 0)) throw new Error(`--scale must be a positive number, got ${values.scale}`);
const log = (line: string) => console.error(`[simulate] ${line}`);

const dynamodb = await startDynamoDbLocal({ port: 0, inMemory: true });
try {
  if (values.seed !== undefined) {
    const result = await runSeed(whole('seed', values.seed), { endpoint: dynamodb.endpoint, scale });
    if (values.trace || result.violations.length > 0) console.log(report(result, Number.POSITIVE_INFINITY));
    log(
      `seed ${result.seed}: ${result.operations} operations, ${result.calls} port calls (digest ${result.digest}), faults ${JSON.stringify(result.faults)}, ${result.violations.length} violations, ${result.ms} ms`,
    );
    process.exitCode = result.violations.length > 0 ? 1 : 0;
  } else {
    const count = whole('seeds', values.seeds, 1);
    const from = whole('from', values.from);
    const concurrency = whole('concurrency', values.concurrency, 1);
    const seeds = Array.from({ length: count }, (_, i) => from + i);
    const loads: number[] = [];
    let done = 0;
    const failures: SeedResult[] = [];
    const summary = await runSeeds(seeds, {
      endpoint: dynamodb.endpoint,
      run: 'bench',
      concurrency,
      scale,
      onResult: (result) => {
        done++;
        if (result.violations.length > 0) {
          failures.push(result);
          log(`seed ${result.seed}: ${result.violations.length} violations: ${result.violations[0]}`);
        }
        if (done % 250 === 0 || done === count) {
          loads.push(load1());
          log(`${done}/${count} seeds, ${failures.length} failing`);
        }
      },
    });
    const results = {
      measuredAt: new Date().toISOString(),
      machine: machine(),
      load1: { min: Math.min(...loads), max: Math.max(...loads) },
      command: `npm run simulate -- --seeds ${count} --from ${from} --concurrency ${concurrency} --scale ${scale}`,
      seeds: { from, to: from + count - 1 },
      runs: summary.seeds,
      operations: summary.operations,
      portCalls: summary.calls,
      faultsInjected: Object.fromEntries(
        Object.entries(summary.faults).sort(([a], [b]) => a.localeCompare(b)),
      ),
      faultsTotal: Object.values(summary.faults).reduce((a, b) => a + (b ?? 0), 0),
      outcomes: Object.fromEntries(Object.entries(summary.outcomes).sort(([a], [b]) => a.localeCompare(b))),
      violations: summary.violations,
      failingSeeds: summary.failed.map((r) => ({ seed: r.seed, violations: r.violations })),
      durationSeconds: Math.round(summary.ms / 100) / 10,
      seedsPerSecond: Math.round((summary.seeds / summary.ms) * 10_000) / 10,
      note: 'Each seed: its own table on one in-memory DynamoDB Local, `concurrency` seeds at a time; one port call of a seed at a time (the deterministic interleaving), so the figures are bound by DynamoDB Local round trips.',
    };
    const file = new URL('./simulation-results.json', import.meta.url);
    const previous = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
    if (previous?.measuredAt) log(`replacing the figures of ${previous.measuredAt}`);
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    console.log(JSON.stringify(results, null, 2));
    for (const failure of failures.slice(0, 3)) console.error(report(failure, 200));
    process.exitCode = summary.violations > 0 ? 1 : 0;
  }
} finally {
  await dynamodb.stop();
}
