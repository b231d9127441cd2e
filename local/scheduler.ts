import { randomUUID } from 'node:crypto';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { isObservableClock } from '../shared/adapters/local/controllable-clock.js';
import {
  describeError,
  LOCAL_ACCOUNT_ID,
  LOCAL_REGION,
  lambdaContext,
} from '../shared/adapters/local/lambda-context.js';
import type { Clock } from '../shared/ports/clock.js';

export interface DailySchedule {
  /** Local wall-clock time in `timeZone`, 24-hour "HH:mm". */
  everyDayAt: string;
  /** IANA zone, e.g. 'Asia/Shanghai'. */
  timeZone: string;
}

export type ScheduledLambdaHandler = (
  event: ScheduledEvent<Record<string, never>>,
  context: Context,
) => Promise<unknown>;

export interface SchedulerOptions {
  clock: Clock;
  /** How often to look for due runs when nobody advances the clock. */
  tickMs?: number;
  log?: (line: string) => void;
  region?: string;
}

interface Entry {
  name: string;
  hour: number;
  minute: number;
  zone: Intl.DateTimeFormat;
  handler: ScheduledLambdaHandler;
  /** Clock time (ms) of the next occurrence; set once the scheduler has started. */
  nextAt?: number;
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * Plays EventBridge schedules against a Clock. Each occurrence fires once, when the clock reaches
 * it; a jump of several days fires every missed occurrence in time order, one run at a time, so
 * "advance 30 days" replays 30 days of accrual, reminders and overdue checks as they would happen.
 */
export class Scheduler {
  readonly #clock: Clock;
  readonly #tickMs: number;
  readonly #log: (line: string) => void;
  readonly #region: string;
  readonly #entries: Entry[] = [];
  #timer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;
  /** The loop running due occurrences, if one is running. */
  #busy: Promise<void> | undefined;

  constructor(options: SchedulerOptions) {
    this.#clock = options.clock;
    this.#tickMs = options.tickMs ?? 1_000;
    this.#log = options.log ?? (() => {});
    this.#region = options.region ?? LOCAL_REGION;
  }

  schedule(name: string, schedule: DailySchedule, handler: ScheduledLambdaHandler): void {
    if (this.#entries.some((entry) => entry.name === name)) {
      throw new Error(`schedule ${name} is already defined`);
    }
    const match = HH_MM.exec(schedule.everyDayAt);
    if (!match) throw new Error(`schedule ${name}: everyDayAt must be "HH:mm", got "${schedule.everyDayAt}"`);
    const entry: Entry = {
      name,
      hour: Number(match[1]),
      minute: Number(match[2]),
      // Throws a RangeError naming the zone when it is not a valid IANA zone.
      zone: wallClockFormat(schedule.timeZone),
      handler,
    };
    if (this.#timer) entry.nextAt = nextOccurrence(entry, this.#now());
    this.#entries.push(entry);
  }

  /** The first occurrence of each schedule is the first one after this moment. */
  start(): void {
    if (this.#timer) return;
    const now = this.#now();
    for (const entry of this.#entries) entry.nextAt = nextOccurrence(entry, now);
    this.#timer = setInterval(() => this.#kick(), this.#tickMs);
    if (isObservableClock(this.#clock)) this.#unsubscribe = this.#clock.onAdvanced(() => this.#kick());
  }

  /** Stops firing and resolves once the run in progress (if any) has finished. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await this.#busy;
  }

  /** Resolves when no run is in progress and none is due at the clock's current time. */
  async idle(): Promise<void> {
    if (!this.#timer) throw new Error('start the scheduler before idle()');
    this.#kick();
    while (this.#busy) {
      await this.#busy;
      // Time flowed while the loop ran; an occurrence may have come due since it last looked.
      this.#kick();
    }
  }

  #kick(): void {
    if (this.#busy || !this.#nextDue()) return;
    this.#busy = this.#runDue();
  }

  async #runDue(): Promise<void> {
    try {
      for (let due = this.#nextDue(); due; due = this.#nextDue()) await this.#run(due);
    } finally {
      this.#busy = undefined;
    }
  }

  /** The earliest occurrence that is due; ties go to the schedule defined first. */
  #nextDue(): Entry | undefined {
    if (!this.#timer) return undefined;
    const now = this.#now();
    let earliest: Entry | undefined;
    for (const entry of this.#entries) {
      if (entry.nextAt === undefined || entry.nextAt > now) continue;
      if (!earliest || entry.nextAt < (earliest.nextAt ?? Number.POSITIVE_INFINITY)) earliest = entry;
    }
    return earliest;
  }

  async #run(entry: Entry): Promise<void> {
    const at = entry.nextAt ?? this.#now();
    // Moved on before the run, so that the occurrence fires once even if the run is slow or throws.
    entry.nextAt = nextOccurrence(entry, at);
    // EventBridge writes times to the second, without milliseconds.
    const time = new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const event: ScheduledEvent<Record<string, never>> = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: LOCAL_ACCOUNT_ID,
      time,
      region: this.#region,
      resources: [`arn:aws:events:${this.#region}:${LOCAL_ACCOUNT_ID}:rule/${entry.name}`],
      detail: {},
    };
    try {
      await entry.handler(event, lambdaContext(entry.name, { region: this.#region }));
    } catch (error) {
      this.#log(`scheduled run ${entry.name} at ${time} failed: ${describeError(error)}`);
    }
  }

  #now(): number {
    return this.#clock.now().getTime();
  }
}

/** The first instant strictly after `after` at which the wall clock in the entry's zone shows HH:mm. */
function nextOccurrence(entry: Entry, after: number): number {
  const today = wallClock(entry.zone, after);
  // At most two steps: today's time has either not come yet or tomorrow's has.
  for (let day = 0; ; day += 1) {
    const candidate = zonedToInstant(
      entry.zone,
      today.year,
      today.month,
      today.day + day,
      entry.hour,
      entry.minute,
    );
    if (candidate > after) return candidate;
  }
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(zone: Intl.DateTimeFormat, instant: number): WallClock {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of zone.formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year, month, day, hour, minute, second } = parts;
  if (
    year === undefined ||
    month === undefined ||
    day === undefined ||
    hour === undefined ||
    minute === undefined ||
    second === undefined
  ) {
    throw new Error('Intl.DateTimeFormat did not report a full date and time');
  }
  return { year, month, day, hour, minute, second };
}

/** Reads a zone's wall clock; throws a RangeError naming the zone when it is not a valid IANA zone. */
function wallClockFormat(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
}

/** The instant at which `timeZone`'s wall clock shows `hour`:`minute` on `date` (YYYY-MM-DD). */
export function instantAt(timeZone: string, date: string, hour: number, minute = 0): number {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  return zonedToInstant(wallClockFormat(timeZone), year, month, day, hour, minute);
}

/** The zone's offset from UTC at `instant`, in ms (Asia/Shanghai: +8 h). */
function offsetAt(zone: Intl.DateTimeFormat, instant: number): number {
  const wall = wallClock(zone, instant);
  const wallAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return wallAsUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant at which the zone's wall clock shows the given local time (Date.UTC rolls day 32 into
 * the next month). The second pass corrects the guess when the offset differs between the two
 * instants. Exact in zones without daylight saving, like Asia/Shanghai; elsewhere a wall time that a
 * change skips or repeats resolves to a neighbouring instant, which a daily job tolerates.
 */
function zonedToInstant(
  zone: Intl.DateTimeFormat,
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
): number {
  const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute);
  const guess = wallAsUtc - offsetAt(zone, wallAsUtc);
  return wallAsUtc - offsetAt(zone, guess);
}
