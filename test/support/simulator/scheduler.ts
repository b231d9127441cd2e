import { setImmediate as tick } from 'node:timers/promises';
import type { OpRun } from './context.js';
import { fnv1a, type Rng } from './random.js';

interface Gate {
  op: OpRun | undefined;
  label: string;
  /** Items the call writes ("pk|sk"), to tell which pending calls would really conflict. */
  writes: readonly string[];
  execute: () => Promise<void>;
}

/** How many event-loop turns a continuation may take to reach its next port call. */
const SETTLE_TURNS = 3;
const STUCK_TURNS = 200;

/**
 * Deterministic interleaving. Every port call (DynamoDB, and core banking through its table) of a
 * seed waits here for its turn; the scheduler lets exactly one run at a time, and only once every
 * other operation of the seed is itself waiting at a port call or done, then picks the next from
 * the seed's stream. Between two port calls an operation runs on promise continuations alone, so
 * which operation ran when, and what each read, is a function of the seed and nothing else (the
 * network latency of DynamoDB Local decides nothing).
 *
 * `sticky` is the chance that the operation that ran last goes on: some seeds interleave at every
 * call, others run operations nearly one after another with the occasional overtaking.
 */
export class Scheduler {
  readonly #pending: Gate[] = [];
  #exclusive: OpRun | undefined;
  #exclusiveQueue: Promise<void> = Promise.resolve();
  #last: OpRun | undefined;
  /** Port calls run so far, and a digest of their order (two runs of a seed must agree). */
  calls = 0;
  digest = 0x811c9dc5;

  constructor(
    private readonly rng: Rng,
    private readonly sticky: number,
  ) {}

  /** Queues a port call; it runs when the scheduler picks it. */
  call<T>(
    op: OpRun | undefined,
    label: string,
    writes: readonly string[],
    run: () => Promise<T>,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ op, label, writes, execute: () => run().then(resolve, reject) });
    });
  }

  /** The pending calls of other operations writing one of `writes`: another writer in flight. */
  concurrentWriter(op: OpRun | undefined, writes: readonly string[]): boolean {
    return this.#pending.some((gate) => gate.op !== op && gate.writes.some((key) => writes.includes(key)));
  }

  /**
   * Runs `body` with no other operation's port call in between (the simulator's own
   * read-modify-write of a settlement balance, which stands for a deposit or a withdrawal).
   */
  async exclusive<T>(op: OpRun, body: () => Promise<T>): Promise<T> {
    const previous = this.#exclusiveQueue;
    let release = () => {};
    this.#exclusiveQueue = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    this.#exclusive = op;
    try {
      return await body();
    } finally {
      this.#exclusive = undefined;
      release();
    }
  }

  /** Gives turns until `done` has settled and no port call is waiting any more. */
  async drive(done: Promise<unknown>): Promise<void> {
    let finished = false;
    done.then(
      () => {
        finished = true;
      },
      () => {
        finished = true;
      },
    );
    for (;;) {
      for (let turn = 0; turn < SETTLE_TURNS; turn++) await tick();
      let idle = 0;
      while (this.#eligible().length === 0 && !(finished && this.#pending.length === 0)) {
        if (++idle > STUCK_TURNS)
          throw new Error(
            `simulator stuck: ${this.#pending.length} port calls wait (${this.#pending.map((g) => g.label).join('; ')}) but none may run`,
          );
        await tick();
      }
      const eligible = this.#eligible();
      if (eligible.length === 0) return;
      const stay = eligible.filter((gate) => gate.op === this.#last);
      const gate =
        stay.length > 0 && this.rng.chance(this.sticky) ? this.rng.pick(stay) : this.rng.pick(eligible);
      this.#pending.splice(this.#pending.indexOf(gate), 1);
      this.#last = gate.op;
      this.calls++;
      this.digest = fnv1a(`${gate.op?.id ?? '-'}:${gate.label}`, this.digest);
      await gate.execute();
    }
  }

  #eligible(): Gate[] {
    const owner = this.#exclusive;
    return owner ? this.#pending.filter((gate) => gate.op === owner) : this.#pending;
  }
}
