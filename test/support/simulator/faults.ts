import type { OpRun } from './context.js';
import type { Rng } from './random.js';

/**
 * The process running an operation died at this point (a Lambda crash, an out-of-memory, a kill
 * at its timeout). It aborts that operation: every later port call of the operation throws it too,
 * and whatever the operation answers is discarded.
 */
export class CrashError extends Error {
  override name = 'CrashError';
}

/** A core-banking call that failed or whose answer was lost, as a timeout looks to the caller. */
export class CoreBankingFault extends Error {
  override name = 'CoreBankingFault';
}

/** A queue send the queue refused (SQS unavailable). */
export class QueueFault extends Error {
  override name = 'QueueFault';
}

export const FAULT_KINDS = [
  /** A DynamoDB call never sent: the process died before it. */
  'dynamo.crashBefore',
  /** A DynamoDB write applied, then the process died before it saw the answer. */
  'dynamo.crashAfter',
  /** A transaction cancelled with TransactionConflict because another op was writing one of its items. */
  'dynamo.txConflict',
  /** A debit, transfer or refund refused before core banking did anything. */
  'core.failBefore',
  /** A debit, transfer or refund core banking booked, whose answer was lost. */
  'core.lostAnswer',
  /** A message the queue refused to take. */
  'queue.sendFail',
  /** An operation still running when its Lambda timeout passed on the simulated clock: killed. */
  'lambda.timeout',
  /** An event the stream never delivered to the relay. */
  'stream.drop',
  /** An event the stream delivered again. */
  'stream.duplicate',
  /** A batch the stream delivered out of commit order. */
  'stream.reorder',
  /** A disbursement message delivered again (left on the queue after it was handled, or twice at once). */
  'delivery.duplicate',
  /** A disbursement message left on the queue for a later delivery. */
  'delivery.delay',
  /** A batch of disbursement messages delivered out of order. */
  'delivery.reorder',
  /** A disbursement message lost (dead-lettered): only reconciliation brings it back. */
  'delivery.drop',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/** Probability of each fault where it can happen (per port call, per event, per message). */
export type FaultRates = Record<FaultKind, number>;

const NONE: FaultRates = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as FaultRates;

/**
 * Fault profiles a seed draws from: `calm` seeds test concurrency alone (only delivery is
 * unreliable), `stormy` ones make most operations fail somewhere.
 */
export const FAULT_PROFILES = {
  calm: {
    ...NONE,
    'stream.duplicate': 0.1,
    'stream.reorder': 0.5,
    'delivery.duplicate': 0.1,
    'delivery.delay': 0.2,
    'delivery.reorder': 0.5,
  },
  normal: {
    ...NONE,
    'dynamo.crashBefore': 0.015,
    'dynamo.crashAfter': 0.02,
    'dynamo.txConflict': 0.3,
    'core.failBefore': 0.07,
    'core.lostAnswer': 0.07,
    'queue.sendFail': 0.05,
    'stream.drop': 0.15,
    'stream.duplicate': 0.2,
    'stream.reorder': 0.5,
    'delivery.duplicate': 0.2,
    'delivery.delay': 0.3,
    'delivery.reorder': 0.5,
    'delivery.drop': 0.05,
  },
  stormy: {
    ...NONE,
    'dynamo.crashBefore': 0.04,
    'dynamo.crashAfter': 0.05,
    'dynamo.txConflict': 0.6,
    'core.failBefore': 0.15,
    'core.lostAnswer': 0.2,
    'queue.sendFail': 0.15,
    'stream.drop': 0.3,
    'stream.duplicate': 0.3,
    'stream.reorder': 0.5,
    'delivery.duplicate': 0.3,
    'delivery.delay': 0.4,
    'delivery.reorder': 0.5,
    'delivery.drop': 0.15,
  },
} as const satisfies Record<string, FaultRates>;

export type FaultProfile = keyof typeof FAULT_PROFILES;

/** Decides every fault of a seed from its own stream, counts them, and writes them to the trace. */
export class FaultPlan {
  enabled = true;
  readonly counts: Partial<Record<FaultKind, number>> = {};

  constructor(
    private readonly rng: Rng,
    readonly rates: FaultRates,
    private readonly trace: (line: string) => void,
  ) {}

  /** True (and counted) when the fault `kind` happens here. */
  roll(kind: FaultKind, where: string, op?: OpRun): boolean {
    if (!this.enabled || !this.rng.chance(this.rates[kind])) return false;
    this.record(kind, where, op);
    return true;
  }

  /** Counts a fault decided elsewhere (a timeout, a reordered batch). */
  record(kind: FaultKind, where: string, op?: OpRun): void {
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    this.trace(`  ! ${kind}${op ? ` in #${op.id}` : ''}: ${where}`);
  }

  /** A choice that is not a fault but must come from the seed (which messages, in what order). */
  get random(): Rng {
    return this.rng;
  }
}

/** True when `error` is, or was caused by, a fault injected into `op`. */
export function isInjected(error: unknown, op: OpRun): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 10; depth++) {
    if (op.injected.has(e)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Marks `op` dead and returns the CrashError that aborts it. */
export function kill(op: OpRun, why: string): CrashError {
  op.dead ??= why;
  const crash = new CrashError(`#${op.id} ${op.label} died: ${why}`);
  op.injected.add(crash);
  return crash;
}
