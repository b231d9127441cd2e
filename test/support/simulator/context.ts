import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire, syncBuiltinESMExports } from 'node:module';

/** One operation a simulated client runs: a request (one Lambda invocation) or a job step. */
export interface OpRun {
  id: number;
  client: number;
  label: string;
  kind: 'request' | 'job';
  /** Simulated clock (ms) when it started: Lambda kills it LAMBDA_TIMEOUT_MS later. */
  startedAt: number;
  /** Set once the process running it died (a crash or a timeout): every later port call fails. */
  dead?: string;
  /** A core-banking fault was injected during it (only then may it answer 503). */
  coreFault: boolean;
  /** The errors injected into it, to recognise them (or their wrappers) in its outcome. */
  injected: Set<unknown>;
}

export interface SeedScope {
  seed: number;
  nextId: number;
}

export interface Scope {
  seed: SeedScope;
  op?: OpRun;
  /** The simulator's own reads and writes: never faulted. */
  harness?: boolean;
}

/**
 * Which seed and which operation a port call belongs to. It follows the call through every await,
 * so a port wrapper knows whose call it is without the services passing anything.
 */
export const scope = new AsyncLocalStorage<Scope>();

export const currentOp = (): OpRun | undefined => {
  const store = scope.getStore();
  return store?.harness ? undefined : store?.op;
};

let installed = false;

/**
 * Makes `randomUUID` from node:crypto deterministic inside a seed: event ids (which order the
 * outbox index and pick its shard) and core-banking ids then depend only on the seed. Outside a
 * seed (and inside the AWS SDK, which the gate runs outside the scope) it is the real one. The
 * services import the function by name; the ES module binding of a builtin follows its CommonJS
 * export once syncBuiltinESMExports() runs.
 */
export function installDeterministicIds(): void {
  if (installed) return;
  installed = true;
  const crypto = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  const real = crypto.randomUUID;
  crypto.randomUUID = ((options?: Parameters<typeof real>[0]) => {
    const seed = scope.getStore()?.seed;
    if (!seed) return real(options);
    const n = seed.nextId++;
    return `${hex(seed.seed, 8)}-${hex(Math.floor(n / 2 ** 32), 4)}-4000-8000-${hex(n % 2 ** 32, 12)}`;
  }) as typeof real;
  syncBuiltinESMExports();
}

const hex = (n: number, width: number) => (n >>> 0).toString(16).padStart(width, '0');
