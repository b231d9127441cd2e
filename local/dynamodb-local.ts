import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { acceptsConnections, assertPortFree, findFreePort } from './ports.js';

export interface DynamoDbLocalOptions {
  /** 0 picks a free port. Defaults to 8000, the port DynamoDB Local documents. */
  port?: number;
  /** Keep tables in memory: the default unless `dbPath` is given. */
  inMemory?: boolean;
  /** Folder for the persisted database; created if missing. Relative to the current directory. */
  dbPath?: string;
  /** Receives each line the JVM prints; by default the output goes nowhere. */
  log?: (line: string) => void;
  /** How long to wait for the port to accept connections. */
  startTimeoutMs?: number;
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const DEFAULT_PORT = 8000;
const PORT_HINT = 'set DYNAMODB_PORT or stop the process using it';
const JAVA_MISSING =
  'Java 17+ is needed to run DynamoDB Local; install a JRE (e.g. apt-get install -y openjdk-17-jre-headless)';
const READY_POLL_MS = 100;
const STOP_GRACE_MS = 5_000;
const TAIL_LINES = 5;

/** JVMs still running, so that a crashing or interrupted parent takes them down with it. */
const running = new Set<ChildProcess>();
let exitHooksInstalled = false;

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  // 'exit' handlers must be synchronous; kill() is, and the JVM then shuts down on its own.
  process.on('exit', killAll);
  const onSignal = (signal: NodeJS.Signals) => {
    killAll();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // Listening for a signal disables Node's default "exit on signal"; when nobody else handles it,
    // re-raise it so the process still ends as the user asked.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

function killAll(): void {
  for (const child of running) child.kill('SIGTERM');
}

function emulatorDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
}

/** Starts Amazon's DynamoDB Local jar and resolves once it accepts connections. */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  if (options.inMemory && options.dbPath !== undefined) {
    throw new Error('DynamoDB Local: choose either inMemory or dbPath, not both');
  }
  // Without -inMemory or -dbPath the jar would write into its own folder under node_modules.
  if (options.inMemory === false && options.dbPath === undefined) {
    throw new Error('DynamoDB Local: inMemory: false needs a dbPath');
  }
  const requested = options.port ?? DEFAULT_PORT;
  const port = requested === 0 ? await findFreePort(HOST) : requested;
  if (requested !== 0) await assertPortFree(port, HOST, PORT_HINT);

  // The JVM runs with the emulator folder as cwd, so a relative dbPath is resolved here.
  const dbPath = options.dbPath === undefined ? undefined : resolve(options.dbPath);
  if (dbPath !== undefined) mkdirSync(dbPath, { recursive: true });
  const storage = dbPath === undefined ? ['-inMemory'] : ['-dbPath', dbPath];

  const child = spawn(
    'java',
    [
      '-Djava.library.path=./DynamoDBLocal_lib',
      '-jar',
      'DynamoDBLocal.jar',
      '-port',
      String(port),
      '-disableTelemetry',
      // Without -sharedDb every access key and region sees its own tables.
      '-sharedDb',
      ...storage,
    ],
    { cwd: emulatorDir(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  installExitHooks();
  running.add(child);
  child.once('exit', () => running.delete(child));
  // A spawn failure (no java) may never emit 'exit'.
  child.once('error', () => running.delete(child));

  // The pipes must be read even when nobody logs, or a chatty JVM blocks on a full buffer.
  const stderrTail: string[] = [];
  const stdoutTail: string[] = [];
  const follow = (stream: Readable, tail: string[]) =>
    createInterface({ input: stream }).on('line', (line) => {
      options.log?.(line);
      if (line.trim() === '') return;
      tail.push(line.trim());
      if (tail.length > TAIL_LINES) tail.shift();
    });
  follow(child.stdout, stdoutTail);
  follow(child.stderr, stderrTail);
  const tail = () => (stderrTail.length > 0 ? stderrTail : stdoutTail).join(' | ') || 'no output';

  let failure: Error | undefined;
  child.once('error', (error: NodeJS.ErrnoException) => {
    failure ??= new Error(
      error.code === 'ENOENT' ? JAVA_MISSING : `DynamoDB Local could not start: ${error.message}`,
    );
  });
  // 'close' rather than 'exit': it comes after the pipes are drained, so the tail is complete.
  child.once('close', (code, signal) => {
    failure ??= new Error(`DynamoDB Local exited early (${signal ?? `code ${code}`}): ${tail()}`);
  });

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
    child.kill('SIGTERM');
    const escalate = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(escalate);
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 15_000);
  for (;;) {
    if (failure) throw failure;
    if (await acceptsConnections(port, HOST)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`DynamoDB Local did not accept connections on port ${port} in time: ${tail()}`);
    }
    await delay(READY_POLL_MS);
  }
  return { endpoint: `http://${HOST}:${port}`, port, stop };
}
