import { cpus, loadavg, totalmem } from 'node:os';

/** The machine a figure was measured on. */
export function machine() {
  return {
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}

/** The 1-minute load average: other work on the machine while measuring (2 cores: 2.0 = both busy). */
export function load1(): number {
  return round(loadavg()[0] ?? 0, 2);
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
