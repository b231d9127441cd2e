import { describe, expect, inject, it } from 'vitest';
import type { LoanStore } from '../../shared/ports/stores.js';
import { report, runSeed, runSeeds, type SeedResult, shapeOf } from '../support/simulator/index.js';

/**
 * The seeded, fault-injecting simulator (test/support/simulator) driving the real services on
 * DynamoDB Local. Each seed fixes the world, the clients' operations, the interleaving of every
 * port call and every fault; after each seed the money invariants are checked, and a failing seed
 * prints its number and its trace.
 *
 * SIM_SEEDS (default 240) seeds from SIM_FROM (default 1); SIM_SEED=n runs that one seed and
 * prints its trace. `npm run simulate -- --seeds 10000` runs the long version.
 */

const endpoint = inject('dynamodbEndpoint');
const env = (name: string, fallback: number) => {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got ${value}`);
  return n;
};
const one = process.env.SIM_SEED ? env('SIM_SEED', 0) : undefined;
const count = env('SIM_SEEDS', 240);
const from = env('SIM_FROM', 1);
const failures = (results: SeedResult[]) =>
  results
    .slice(0, 3)
    .map((r) => report(r, 250))
    .join('\n\n');

describe('the simulator', () => {
  if (one !== undefined) {
    it(`keeps the money invariants for seed ${one}`, { timeout: 300_000 }, async () => {
      const result = await runSeed(one, { endpoint, run: 'one' });
      console.log(report(result, Number.POSITIVE_INFINITY));
      expect(result.violations, report(result, Number.POSITIVE_INFINITY)).toEqual([]);
    });
    return;
  }

  it(`keeps the money invariants for ${count} seeds with faults at every port`, {
    timeout: 600_000,
  }, async () => {
    const seeds = Array.from({ length: count }, (_, i) => from + i);
    const summary = await runSeeds(seeds, { endpoint, run: 'it', concurrency: 8 });
    console.log(
      `[simulation] ${summary.seeds} seeds from ${from}, ${summary.operations} operations, ${summary.calls} port calls, faults ${JSON.stringify(summary.faults)}, ${summary.violations} violations, ${(summary.ms / 1000).toFixed(1)} s`,
    );
    expect(summary.seeds).toBe(count);
    // The seeds must actually meet what they are for: faults of every DynamoDB and core-banking kind.
    for (const kind of [
      'dynamo.crashBefore',
      'dynamo.crashAfter',
      'core.failBefore',
      'core.lostAnswer',
    ] as const)
      expect(summary.faults[kind] ?? 0, kind).toBeGreaterThan(0);
    expect(
      summary.failed.map((r) => r.seed),
      failures(summary.failed),
    ).toEqual([]);
  });

  it('replays a seed exactly: the same interleaving, faults, trace and outcome', {
    timeout: 120_000,
  }, async () => {
    // A stormy seed: most of its operations meet a fault somewhere.
    const seed =
      Array.from({ length: 100 }, (_, i) => i + 1).find((s) => shapeOf(s).profile === 'stormy') ?? 1;
    const first = await runSeed(seed, { endpoint, run: 'replay-a' });
    const again = await runSeed(seed, { endpoint, run: 'replay-b' });
    expect(Object.values(first.faults).reduce((a, b) => a + (b ?? 0), 0)).toBeGreaterThan(0);
    expect({
      digest: again.digest,
      calls: again.calls,
      faults: again.faults,
      violations: again.violations,
    }).toEqual({
      digest: first.digest,
      calls: first.calls,
      faults: first.faults,
      violations: first.violations,
    });
    expect(again.trace).toEqual(first.trace);
  });

  it('catches a planted bug: a repayment that gives no principal back to the credit line', {
    timeout: 120_000,
  }, async () => {
    const planted = (deps: { loans: LoanStore }) => ({
      loans: Object.assign(Object.create(deps.loans) as LoanStore, {
        commit: (change: Parameters<LoanStore['commit']>[0]) =>
          deps.loans.commit({ ...change, creditLineRelease: undefined }),
      }),
    });
    const summary = await runSeeds(
      Array.from({ length: 12 }, (_, i) => i + 1),
      { endpoint, run: 'planted', concurrency: 6, plant: planted },
    );
    const caught = summary.failed
      .flatMap((r) => r.violations)
      .filter((v) => v.startsWith('credit line used'));
    expect(caught.length).toBeGreaterThan(0);
  });
});
