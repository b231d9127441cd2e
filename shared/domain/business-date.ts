/**
 * The bank's time zone, the one setting for it: business dates (accrual, monitoring, due dates)
 * are calendar days there, and the nightly schedules (infra/stacks/service-stack.ts, the local
 * scheduler) run on its clock.
 */
export const BANK_TIME_ZONE = 'Asia/Shanghai';

/** The business date ("YYYY-MM-DD") of an instant in the bank's time zone. */
export function businessDate(instant: Date, timeZone: string = BANK_TIME_ZONE): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

/** Adds whole calendar months to a business date, clamping to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}
