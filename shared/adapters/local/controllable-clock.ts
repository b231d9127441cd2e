import type { Clock } from '../../ports/clock.js';

export interface ClockAdvanced {
  from: Date;
  to: Date;
}

export type ClockListener = (change: ClockAdvanced) => void;

/** A clock that tells listeners when it jumps, so timers and schedules can react at once. */
export interface ObservableClock extends Clock {
  onAdvanced(listener: ClockListener): () => void;
}

export function isObservableClock(clock: Clock): clock is ObservableClock {
  return typeof (clock as Partial<ObservableClock>).onAdvanced === 'function';
}

const DAY_MS = 86_400_000;

/**
 * Real time plus an offset that only grows. Time keeps flowing, so a local run behaves like the real
 * thing, and a developer can still jump ahead ("advance 30 days") to see accrual, reminders and
 * overdue handling happen. Never moving backwards keeps event order and idempotency windows sane.
 */
export class ControllableClock implements ObservableClock {
  #offsetMs = 0;
  readonly #listeners = new Set<ClockListener>();
  readonly #realNow: () => number;

  /**
   * `realNow` is the flowing time underneath; tests pass a frozen one to get exact instants.
   * `offsetMs` starts the clock that far from real time (a kept clock, a chosen start date); it
   * may be negative, and from there it only grows.
   */
  constructor(realNow: () => number = Date.now, { offsetMs = 0 }: { offsetMs?: number } = {}) {
    if (!Number.isFinite(offsetMs))
      throw new RangeError(`a clock offset must be a number of ms, got ${offsetMs}`);
    this.#realNow = realNow;
    this.#offsetMs = offsetMs;
  }

  now(): Date {
    return new Date(this.#realNow() + this.#offsetMs);
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }

  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`the clock only moves forward: cannot advance by ${ms} ms`);
    }
    const from = this.now();
    this.#offsetMs += ms;
    const to = new Date(from.getTime() + ms);
    this.#emit({ from, to });
    return to;
  }

  /** Days of 24 hours; wall-clock days in a zone with daylight saving could be 23 or 25 hours. */
  advanceDays(days: number): Date {
    return this.advance(days * DAY_MS);
  }

  set(date: Date): Date {
    const target = date.getTime();
    const now = this.now().getTime();
    if (Number.isNaN(target) || target < now) {
      throw new RangeError(
        `the clock only moves forward: cannot set it to ${Number.isNaN(target) ? 'an invalid date' : date.toISOString()}`,
      );
    }
    return this.advance(target - now);
  }

  /** Listeners run synchronously after each change; the returned function unsubscribes. */
  onAdvanced(listener: ClockListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(change: ClockAdvanced): void {
    for (const listener of [...this.#listeners]) listener(change);
  }
}
