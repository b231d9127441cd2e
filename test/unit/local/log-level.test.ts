import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('./log-level.child.ts', import.meta.url));

/** The messages the child's handler logged (stdout and stderr: Powertools writes warnings to stderr), in order. */
async function handlerLogs(env: Record<string, string>): Promise<string[]> {
  const { POWERTOOLS_LOG_LEVEL: _, LOG_LEVEL: __, ...inherited } = process.env;
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...inherited, ...env },
    timeout: 60_000,
  });
  return `${stdout}\n${stderr}`
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { message: string; timestamp: string })
    .sort((a, b) => a.timestamp.localeCompare(b.timestamp))
    .map((entry) => entry.message)
    .filter((message) => message.startsWith('child '));
}

const count = (logs: string[], message: string) => logs.filter((m) => m === message).length;

describe("LOG_LEVEL sets the local runtime's handler logs, as the README says", () => {
  let debug: string[];
  let byDefault: string[];

  // Fresh processes, as `npm start`: Powertools fixes a logger's level when it builds it.
  beforeAll(async () => {
    [debug, byDefault] = await Promise.all([handlerLogs({ LOG_LEVEL: 'DEBUG' }), handlerLogs({})]);
  }, 60_000);

  it('DEBUG shows every level on every invocation, not only the first', () => {
    expect(['debug', 'info', 'warn'].map((level) => count(debug, `child ${level} line`))).toEqual([3, 3, 3]);
  });

  it('defaults to WARN', () => {
    expect(byDefault).toEqual(['child warn line', 'child warn line', 'child warn line']);
  });
});
