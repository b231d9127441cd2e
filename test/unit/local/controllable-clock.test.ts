import { describe, expect, it } from 'vitest';
import {
  type ClockAdvanced,
  ControllableClock,
  isObservableClock,
} from '../../../shared/adapters/local/controllable-clock.js';
import { systemClock } from '../../../shared/ports/clock.js';

const T0 = Date.parse('2025-03-01T00:00:00.000Z');
const DAY = 86_400_000;

/** Real time under the clock, moved by hand so that "time keeps flowing" is observable exactly. */
function flowingClock() {
  let real = T0;
  const clock = new ControllableClock(() => real);
  return { clock, elapse: (ms: number) => (real += ms) };
}

describe('ControllableClock', () => {
  it('follows real time when not advanced', () => {
    const { clock, elapse } = flowingClock();
    expect(clock.now().getTime()).toBe(T0);
    elapse(1_500);
    expect(clock.now().getTime()).toBe(T0 + 1_500);
    expect(clock.offsetMs).toBe(0);
  });

  it('adds advances to the offset while time keeps flowing', () => {
    const { clock, elapse } = flowingClock();
    expect(clock.advance(60_000).getTime()).toBe(T0 + 60_000);
    clock.advanceDays(2);
    expect(clock.offsetMs).toBe(60_000 + 2 * DAY);
    elapse(10);
    expect(clock.now().getTime()).toBe(T0 + 60_000 + 2 * DAY + 10);
  });

  it('defaults to the system time', () => {
    const before = Date.now();
    const now = new ControllableClock().now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('sets a later date', () => {
    const { clock } = flowingClock();
    const target = new Date('2025-04-01T08:00:00.000Z');
    expect(clock.set(target)).toEqual(target);
    expect(clock.now()).toEqual(target);
    expect(clock.offsetMs).toBe(target.getTime() - T0);
  });

  it('never moves backwards', () => {
    const { clock } = flowingClock();
    clock.advanceDays(1);
    expect(() => clock.set(new Date(T0))).toThrow(/only moves forward/);
    expect(() => clock.advance(-1)).toThrow(/only moves forward/);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
    expect(() => clock.set(new Date('not a date'))).toThrow(/invalid date/);
    expect(clock.offsetMs).toBe(DAY);
  });

  it('tells listeners after each change, until they unsubscribe', () => {
    const { clock } = flowingClock();
    const seen: ClockAdvanced[] = [];
    const unsubscribe = clock.onAdvanced((change) => {
      // Listeners run after the change, so they already see the new time.
      expect(clock.now()).toEqual(change.to);
      seen.push(change);
    });
    clock.advance(1_000);
    clock.set(new Date(T0 + DAY));
    unsubscribe();
    clock.advanceDays(1);
    expect(seen).toEqual([
      { from: new Date(T0), to: new Date(T0 + 1_000) },
      { from: new Date(T0 + 1_000), to: new Date(T0 + DAY) },
    ]);
  });

  it('is recognised as observable, unlike the system clock', () => {
    expect(isObservableClock(new ControllableClock())).toBe(true);
    expect(isObservableClock(systemClock)).toBe(false);
  });
});
