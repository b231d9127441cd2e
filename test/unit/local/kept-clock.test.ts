import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keptClock } from '../../../local/kept-clock.js';
import { businessDate } from '../../../shared/domain/business-date.js';

const dirs: string[] = [];
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'kept-clock-'));
  dirs.push(dir);
  return join(dir, 'clock.json');
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the local runtime’s kept clock', () => {
  it('starts a fresh stack at 09:00 on CLOCK_START in the bank’s zone', () => {
    const clock = keptClock(fresh(), '2026-12-01', () => Date.parse('2027-03-10T05:00:00Z'));
    expect(clock.now().toISOString()).toBe('2026-12-01T01:00:00.000Z');
    expect(businessDate(clock.now())).toBe('2026-12-01');
  });

  it('never goes back across a restart: the offset is kept with the data', () => {
    const file = fresh();
    let real = Date.parse('2026-12-04T02:00:00Z');
    const first = keptClock(file, '2026-12-01', () => real);
    first.advanceDays(30);
    const before = first.now().getTime();
    real += 60_000; // stopped for a minute
    const second = keptClock(file, undefined, () => real);
    expect(second.now().getTime()).toBe(before + 60_000);
    expect(businessDate(second.now())).toBe('2026-12-31');
  });

  it('refuses CLOCK_START over data that keeps its own clock, and a CLOCK_START that is not a date', () => {
    const file = fresh();
    keptClock(file);
    expect(() => keptClock(file, '2026-12-01')).toThrow(/fresh stack.*remove that folder/);
    expect(() => keptClock(fresh(), '2026-13-01')).toThrow(/CLOCK_START must be a date YYYY-MM-DD/);
    writeFileSync(file, '{"offset": "soon"}');
    expect(() => keptClock(file)).toThrow(/is not a kept clock/);
  });

  it('keeps nothing without a data folder', () => {
    const clock = keptClock(undefined, undefined, () => 0);
    expect(clock.now().getTime()).toBe(0);
  });
});
