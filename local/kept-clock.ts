import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod';
import { ControllableClock } from '../shared/adapters/local/controllable-clock.js';
import { BANK_TIME_ZONE } from '../shared/domain/business-date.js';
import { isCalendarDate } from '../shared/http/schemas.js';
import { instantAt } from './scheduler.js';

const KeptClock = z.object({ offsetMs: z.number().finite() });

/**
 * The local runtime's clock, kept with the data: its offset from real time is written to
 * `file` whenever it moves, and read back on the next start, so a restart never sends time
 * backwards under data written "in the future". `startDate` (CLOCK_START) starts a fresh
 * stack at 09:00 on that business date; with data already kept it is refused, since that
 * data's clock cannot go back.
 */
export function keptClock(file: string | undefined, startDate?: string, realNow: () => number = Date.now) {
  if (startDate !== undefined && !isCalendarDate(startDate))
    throw new Error(`CLOCK_START must be a date YYYY-MM-DD, got "${startDate}"`);
  let offsetMs = startDate === undefined ? 0 : instantAt(BANK_TIME_ZONE, startDate, 9) - realNow();
  if (file && existsSync(file)) {
    const kept = KeptClock.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!kept.success)
      throw new Error(`${file} is not a kept clock: remove it (or the data folder) to start over`);
    if (startDate !== undefined)
      throw new Error(
        `CLOCK_START=${startDate} starts a fresh stack, but ${dirname(file)} already keeps data and its clock: remove that folder to start over, or start without CLOCK_START`,
      );
    offsetMs = kept.data.offsetMs;
  }
  const clock = new ControllableClock(realNow, { offsetMs });
  if (file) {
    const keep = () => {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${JSON.stringify({ offsetMs: clock.offsetMs })}\n`);
    };
    keep();
    clock.onAdvanced(keep);
  }
  return clock;
}
