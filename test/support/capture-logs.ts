import { afterAll, expect } from 'vitest';
import { personalDataIn } from './personal-data.js';

/**
 * A setup file of the integration project (which runs the e2e suite too; vitest.config.ts
 * sets POWERTOOLS_LOG_LEVEL=DEBUG for it): every line the handlers log through the Powertools
 * logger is captured instead of printed, and after the file's own teardown the lines are
 * scanned for resident ID numbers, mobile numbers and the fixtures' names. Powertools writes
 * to process.stdout and process.stderr directly (not through console), so those are wrapped.
 */
const POWERTOOLS_LINE = /^\{"level":"(TRACE|DEBUG|INFO|WARN|ERROR|CRITICAL)"/;
const captured: string[] = [];

for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    if (!POWERTOOLS_LINE.test(text)) return write(chunk, ...rest);
    captured.push(...text.split('\n').filter(Boolean));
    const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
    callback?.();
    return true;
  }) as typeof stream.write;
}

const masked = (value: string) =>
  /^\d/.test(value) ? `${value.slice(0, 3)}…${value.slice(-2)}` : `${value.slice(0, 1)}…`;

afterAll(() => {
  const findings = personalDataIn(captured).map(({ kind, value, line }) => {
    const { message, level } = JSON.parse(line) as { message?: string; level?: string };
    return `${kind} ${masked(value)} in a ${level} log line "${message}"`;
  });
  expect(findings, 'personal data in what the handlers logged').toEqual([]);
  // Guards the guard: an e2e file always makes the handlers log at DEBUG (the stream relay at
  // least), so nothing captured means the level or the capture broke, not that all is clean.
  if (expect.getState().testPath?.includes('/test/e2e/'))
    expect(captured.length, 'handler log lines captured at DEBUG').toBeGreaterThan(0);
});
