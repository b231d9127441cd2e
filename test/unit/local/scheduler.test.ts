import type { Context, ScheduledEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { Scheduler } from '../../../local/scheduler.js';
import { ControllableClock } from '../../../shared/adapters/local/controllable-clock.js';

// 08:00 in Shanghai (UTC+8).
const T0 = Date.parse('2025-03-01T00:00:00.000Z');
const SHANGHAI_1AM = { everyDayAt: '01:00', timeZone: 'Asia/Shanghai' };

describe('Scheduler', () => {
  const schedulers: Scheduler[] = [];
  afterEach(async () => {
    await Promise.all(schedulers.splice(0).map((scheduler) => scheduler.stop()));
  });

  /** Real time stands still under the clock, so only advancing it makes runs due. */
  function setup(start = T0) {
    const clock = new ControllableClock(() => start);
    const log: string[] = [];
    const scheduler = new Scheduler({ clock, log: (line) => log.push(line) });
    schedulers.push(scheduler);
    return { clock, scheduler, log };
  }

  it('fires each missed occurrence once, in order and one at a time, when the clock jumps', async () => {
    const { clock, scheduler } = setup();
    const times: string[] = [];
    let running = 0;
    let mostAtOnce = 0;
    scheduler.schedule('accrue-interest', SHANGHAI_1AM, async (event) => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      // Yield to the event loop, so overlapping runs would show up in `mostAtOnce`.
      await new Promise((resolve) => setImmediate(resolve));
      times.push(event.time);
      running -= 1;
    });
    scheduler.start();
    await scheduler.idle();
    expect(times).toEqual([]);

    clock.advanceDays(3);
    await scheduler.idle();
    expect(times).toEqual(['2025-03-01T17:00:00Z', '2025-03-02T17:00:00Z', '2025-03-03T17:00:00Z']);
    expect(mostAtOnce).toBe(1);

    await scheduler.idle();
    expect(times).toHaveLength(3);
  });

  it('hands the handler an EventBridge scheduled event and a Lambda context', async () => {
    const { clock, scheduler } = setup();
    const calls: { event: ScheduledEvent; context: Context }[] = [];
    scheduler.schedule('post-loan-monitoring', SHANGHAI_1AM, async (event, context) => {
      calls.push({ event, context });
    });
    scheduler.start();
    clock.advanceDays(1);
    await scheduler.idle();
    expect(calls[0]?.event).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '000000000000',
      time: '2025-03-01T17:00:00Z',
      region: 'us-east-1',
      resources: ['arn:aws:events:us-east-1:000000000000:rule/post-loan-monitoring'],
      detail: {},
    });
    expect(calls[0]?.context.functionName).toBe('post-loan-monitoring');
  });

  it('logs a run that throws and still fires the next occurrence', async () => {
    const { clock, scheduler, log } = setup();
    const times: string[] = [];
    scheduler.schedule('overdue', SHANGHAI_1AM, async (event) => {
      times.push(event.time);
      if (times.length === 1) throw new Error('ledger unavailable');
    });
    scheduler.start();
    clock.advanceDays(2);
    await scheduler.idle();
    expect(times).toEqual(['2025-03-01T17:00:00Z', '2025-03-02T17:00:00Z']);
    expect(log).toEqual(['scheduled run overdue at 2025-03-01T17:00:00Z failed: Error: ledger unavailable']);
  });

  it('interleaves several schedules in time order', async () => {
    const { clock, scheduler } = setup();
    const runs: string[] = [];
    const record = (name: string) => async (event: ScheduledEvent) => {
      runs.push(`${event.time} ${name}`);
    };
    scheduler.schedule('remind', { everyDayAt: '09:00', timeZone: 'Asia/Shanghai' }, record('remind'));
    scheduler.schedule('accrue', { everyDayAt: '00:05', timeZone: 'Asia/Shanghai' }, record('accrue'));
    scheduler.start();
    clock.advanceDays(2);
    await scheduler.idle();
    // 09:00 and 00:05 in Shanghai are 01:00Z and 16:05Z (the day before).
    expect(runs).toEqual([
      '2025-03-01T01:00:00Z remind',
      '2025-03-01T16:05:00Z accrue',
      '2025-03-02T01:00:00Z remind',
      '2025-03-02T16:05:00Z accrue',
    ]);
  });

  it('starts with the first occurrence after start, not one at the same instant', async () => {
    const { clock, scheduler } = setup(Date.parse('2025-03-01T17:00:00.000Z'));
    const times: string[] = [];
    scheduler.schedule('accrue', SHANGHAI_1AM, async (event) => {
      times.push(event.time);
    });
    scheduler.start();
    await scheduler.idle();
    expect(times).toEqual([]);
    clock.advanceDays(1);
    await scheduler.idle();
    expect(times).toEqual(['2025-03-02T17:00:00Z']);
  });

  it('follows a zone with daylight saving across the change', async () => {
    const { clock, scheduler } = setup(Date.parse('2025-03-07T12:00:00.000Z'));
    const times: string[] = [];
    scheduler.schedule('ny', { everyDayAt: '09:00', timeZone: 'America/New_York' }, async (event) => {
      times.push(event.time);
    });
    scheduler.start();
    clock.advanceDays(3);
    await scheduler.idle();
    // 09:00 EST is 14:00Z; from 9 March, 09:00 EDT is 13:00Z.
    expect(times).toEqual(['2025-03-07T14:00:00Z', '2025-03-08T14:00:00Z', '2025-03-09T13:00:00Z']);
  });

  it('fires nothing after stop', async () => {
    const { clock, scheduler } = setup();
    let runs = 0;
    scheduler.schedule('accrue', SHANGHAI_1AM, async () => {
      runs += 1;
    });
    scheduler.start();
    await scheduler.stop();
    clock.advanceDays(2);
    await expect(scheduler.idle()).rejects.toThrow(/start the scheduler/);
    expect(runs).toBe(0);
  });

  it('rejects bad definitions', () => {
    const { scheduler } = setup();
    const noop = async () => undefined;
    expect(() => scheduler.schedule('a', { everyDayAt: '24:00', timeZone: 'Asia/Shanghai' }, noop)).toThrow(
      /HH:mm/,
    );
    expect(() => scheduler.schedule('a', { everyDayAt: '1:00', timeZone: 'Asia/Shanghai' }, noop)).toThrow(
      /HH:mm/,
    );
    expect(() => scheduler.schedule('a', { everyDayAt: '01:00', timeZone: 'Mars/Olympus' }, noop)).toThrow(
      RangeError,
    );
    scheduler.schedule('a', SHANGHAI_1AM, noop);
    expect(() => scheduler.schedule('a', SHANGHAI_1AM, noop)).toThrow(/already defined/);
  });
});
