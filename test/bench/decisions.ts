import { performance } from 'node:perf_hooks';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import { SimulatedEnterpriseDataProvider } from '../../shared/adapters/simulated/enterprise-data-provider.js';
import { enterpriseCatalogue } from '../../shared/adapters/simulated/fixtures.js';
import { assess } from '../../shared/domain/decisioning/index.js';
import type { Applicant, CollectedData, SourceName } from '../../shared/domain/decisioning/types.js';
import { parseResidentId } from '../../shared/domain/identifiers.js';
import { collectSources } from '../../shared/services/collect-data.js';
import { syntheticUscc } from './loan-mix.js';
import { round } from './machine.js';

/**
 * How fast the product decides.
 * 1. The pure decision pipeline in process (decisions per second over prepared snapshots).
 * 2. Apply-to-decision latency through the local runtime (HTTP, authorizer, DynamoDB Local,
 *    the interpreted state machine), first with instant sources, then with each simulated
 *    source answering after a realistic delay, all collected in parallel.
 */

const AS_OF = '2026-11-15';
/** Typical answer times of the external sources (the bureau and the tax bureau are the slow ones). */
const REALISTIC_DELAYS: Record<SourceName, number> = {
  registry: 120,
  tax: 300,
  invoices: 250,
  bankFlows: 200,
  litigation: 150,
  bureau: 350,
};

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function pipelineThroughput() {
  const provider = new SimulatedEnterpriseDataProvider({ asOf: () => new Date(`${AS_OF}T02:00:00Z`) });
  const cases: { applicant: Applicant; data: CollectedData }[] = [];
  for (const fixture of enterpriseCatalogue) {
    cases.push({
      applicant: {
        uscc: fixture.uscc,
        enterpriseName: fixture.name,
        legalRepresentative: {
          name: fixture.legalRepresentative.name,
          birthDate: parseResidentId(fixture.legalRepresentative.idNumber).birthDate,
        },
        product: fixture.suggestedApplication?.product ?? 'TERM_LOAN',
        requestedAmount: fixture.suggestedApplication?.requestedAmount ?? '500000.00',
        termMonths: fixture.suggestedApplication?.termMonths ?? 12,
      },
      data: await collectSources(provider, fixture.uscc, AS_OF),
    });
  }
  for (let seed = 1; cases.length < 200; seed++) {
    const uscc = syntheticUscc(seed);
    const data = await collectSources(provider, uscc, AS_OF);
    const registry = data.registry.status === 'ANSWERED' ? data.registry.data : undefined;
    cases.push({
      applicant: {
        uscc,
        enterpriseName: registry?.name ?? 'unknown',
        legalRepresentative: {
          name: registry?.legalRepresentativeName ?? 'unknown',
          birthDate: '1980-05-05',
        },
        product: 'REVOLVING_LINE',
        requestedAmount: '1000000.00',
        termMonths: 12,
      },
      data,
    });
  }
  const iterations = 20_000;
  const decideCase = (i: number) => {
    const { applicant, data } = cases[i % cases.length] as (typeof cases)[number];
    assess(applicant, data, AS_OF);
  };
  for (let i = 0; i < 2_000; i++) decideCase(i);
  const start = performance.now();
  for (let i = 0; i < iterations; i++) decideCase(i);
  const ms = performance.now() - start;
  return {
    iterations,
    decisionsPerSecond: Math.round(iterations / (ms / 1000)),
    microsecondsPerDecision: round((ms * 1000) / iterations),
  };
}

/** Source delays of the scenario being measured; the runtime reads them on every fetch. */
let delays: Record<SourceName, number> | undefined;

async function applyToDecision(
  runtime: LocalRuntime,
  label: string,
  sourceDelays: Record<SourceName, number> | undefined,
  applications: number,
) {
  delays = sourceDelays;
  {
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${runtime.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const latencies: number[] = [];
    const scenarios = ['healthy', 'young-company', 'revenue-mismatch', 'borderline', 'heavy-borrower'];
    for (let i = 0; i < applications; i++) {
      const fixture = enterpriseCatalogue.find((f) => f.scenario === scenarios[i % scenarios.length]);
      if (!fixture) throw new Error(`no catalogue enterprise for ${scenarios[i % scenarios.length]}`);
      const { token } = (await (
        await post('/local/tokens', { role: 'enterprise', uscc: fixture.uscc })
      ).json()) as { token: string };
      const auth = { authorization: `Bearer ${token}` };
      const started = performance.now();
      const response = await post(
        '/v1/applications',
        {
          enterprise: { uscc: fixture.uscc, name: fixture.name },
          legalRepresentative: fixture.legalRepresentative,
          product: fixture.suggestedApplication?.product,
          requestedAmount: { amount: fixture.suggestedApplication?.requestedAmount, currency: 'CNY' },
          termMonths: fixture.suggestedApplication?.termMonths,
          purpose: 'benchmark',
          consent: { dataUse: true, version: 'data-use-2026.11' },
        },
        { ...auth, 'idempotency-key': `bench-${label.replace(/\W+/g, '-')}-${i}` },
      );
      const { applicationId } = (await response.json()) as { applicationId: string };
      for (;;) {
        const app = (await (
          await fetch(`${runtime.url}/v1/applications/${applicationId}`, { headers: auth })
        ).json()) as { status: string };
        if (['OFFERED', 'IN_REVIEW', 'DECLINED'].includes(app.status)) break;
        if (performance.now() - started > 30_000) throw new Error(`no decision for ${applicationId}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      latencies.push(performance.now() - started);
    }
    return {
      label,
      applications,
      p50Ms: round(percentile(latencies, 50)),
      p95Ms: round(percentile(latencies, 95)),
      maxMs: round(Math.max(...latencies)),
    };
  }
}

export async function benchDecisions() {
  const pipeline = await pipelineThroughput();
  // One runtime for all scenarios: handler modules load once per process, with the first runtime's settings.
  const runtime = await startLocalRuntime({
    port: 0,
    dynamodbPort: 0,
    sourceDelayMs: (source) => delays?.[source] ?? 0,
  });
  try {
    const instant = await applyToDecision(runtime, 'instant sources', undefined, 40);
    const realistic = await applyToDecision(
      runtime,
      'realistic source delays (slowest 350 ms)',
      REALISTIC_DELAYS,
      40,
    );
    return {
      pipeline,
      applyToDecision: [instant, realistic],
      note: 'Latency is from POST /v1/applications to the decided status seen by polling every 5 ms, one application at a time.',
    };
  } finally {
    await runtime.stop();
  }
}
