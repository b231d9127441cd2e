import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { buildApp } from '../../infra/app.js';
import { AppFunction, BUNDLING, PROJECT_ROOT } from '../../infra/constructs/app-function.js';
import { load1, machine, round } from './machine.js';

/**
 * Issue 14's budgets for every deployed function: the minified bundle ≤ 300 KB (KB = 1,024
 * bytes, as the issue measured) and a cold module load ≤ 60 ms (median of `LOADS` fresh
 * processes each importing the bundle once), next to a one-line module loaded the same way
 * in the same run.
 *
 * The functions are the ones the CDK app defines (every AppFunction, with its entry), built
 * with the same esbuild settings the construct passes (BUNDLING), so the sizes are those
 * `npm run synth` prints. The AWS SDK is left to the runtime (ADR 0007); here it resolves from
 * node_modules, as the runtime resolves it from its own. Each bundle's largest inputs, by
 * package, say what it carries.
 */

const BUDGET_KB = 300;
const BUDGET_LOAD_MS = 60;
const LOADS = 11;

const OUT = join(PROJECT_ROOT, '.local', 'bench-bundles');

/** Every function the stacks deploy, by construct path, with its handler module. */
function deployedFunctions(): { name: string; entry: string }[] {
  const { app } = buildApp({ 'aws:cdk:bundling-stacks': [] });
  return app.node
    .findAll()
    .filter((node): node is AppFunction => node instanceof AppFunction)
    .map((fn) => ({ name: fn.node.path.split('/').slice(1).join('/'), entry: fn.entry }));
}

/** Bytes in the bundle by package (or by project folder), largest first. */
function composition(metafile: Metafile): { input: string; kb: number }[] {
  const output = Object.values(metafile.outputs)[0];
  const by = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const inModules = path.split('node_modules/').at(-1) ?? path;
    const key = path.includes('node_modules/')
      ? inModules
          .split('/')
          .slice(0, inModules.startsWith('@') ? 2 : 1)
          .join('/')
      : path.split('/').slice(0, 2).join('/');
    by.set(key, (by.get(key) ?? 0) + bytesInOutput);
  }
  return [...by.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([input, bytes]) => ({ input, kb: round(bytes / 1024) }));
}

/** Milliseconds a fresh Node process takes to import the module, measured inside it. */
function coldLoad(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: {
      PATH: process.env.PATH,
      AWS_REGION: 'cn-north-1',
      AWS_LAMBDA_FUNCTION_NAME: 'bench',
      POWERTOOLS_SERVICE_NAME: 'fast-loan',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      // What the authorizer checks at load; the stack sets it from the deploy context.
      OIDC_ISSUER: 'https://idp.bank.example',
      OIDC_AUDIENCE: 'fast-loan',
    },
  });
  return Number(out.toString());
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

export async function benchBundles(log: (line: string) => void) {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const functions = deployedFunctions();
  const baselineFile = join(OUT, 'one-line.mjs');
  writeFileSync(baselineFile, 'export const handler = async () => ({ statusCode: 200 });\n');

  const bundles = [];
  for (const fn of functions) {
    const outfile = join(OUT, `${fn.name.replaceAll('/', '_')}.mjs`);
    const result = await build({
      entryPoints: [join(PROJECT_ROOT, fn.entry)],
      outfile,
      bundle: true,
      platform: 'node',
      format: BUNDLING.format,
      target: BUNDLING.target,
      minify: BUNDLING.minify,
      mainFields: [...BUNDLING.mainFields],
      banner: { js: BUNDLING.banner },
      alias: BUNDLING.alias,
      external: [...BUNDLING.runtimeModules],
      metafile: true,
      logLevel: 'error',
    });
    const bytes = Object.values(result.metafile.outputs)[0]?.bytes ?? 0;
    bundles.push({ ...fn, outfile, kb: round(bytes / 1024), largest: composition(result.metafile) });
  }
  log(`built ${bundles.length} bundles`);

  // Interleaved, so that the baseline and the bundles see the same machine.
  const baselineLoads: number[] = [];
  const loads = new Map<string, number[]>(bundles.map((b) => [b.name, []]));
  for (let i = 0; i < LOADS; i++) {
    baselineLoads.push(coldLoad(baselineFile));
    for (const bundle of bundles) loads.get(bundle.name)?.push(coldLoad(bundle.outfile));
  }
  const baseline = round(median(baselineLoads), 2);
  const rows = bundles
    .map(({ outfile: _, ...bundle }) => {
      const loadMs = round(median(loads.get(bundle.name) ?? []), 1);
      return { ...bundle, coldLoadMs: loadMs, coldLoadVsOneLine: round(loadMs / baseline, 1) };
    })
    .sort((a, b) => b.kb - a.kb);
  const sizes = rows.map((r) => r.kb).sort((a, b) => a - b);
  const times = rows.map((r) => r.coldLoadMs).sort((a, b) => a - b);
  rmSync(OUT, { recursive: true, force: true });
  return {
    measuredAt: new Date().toISOString(),
    machine: machine(),
    load1: load1(),
    budgets: { bundleKB: BUDGET_KB, coldLoadMs: BUDGET_LOAD_MS },
    functions: rows.length,
    sizeKB: { min: sizes[0], median: median(sizes), max: sizes.at(-1) },
    coldLoadMs: { oneLineModule: baseline, min: times[0], median: median(times), max: times.at(-1) },
    overBudget: rows.filter((r) => r.kb > BUDGET_KB || r.coldLoadMs > BUDGET_LOAD_MS).map((r) => r.name),
    bundles: rows,
  };
}
