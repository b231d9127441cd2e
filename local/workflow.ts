import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import type { ObservableClock } from '../shared/adapters/local/controllable-clock.js';
import type { Workflow } from '../shared/ports/workflow.js';

type StateDefinition = Record<string, unknown> & {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  TimeoutSeconds?: number;
};
type Definition = { StartAt: string; States: Record<string, StateDefinition> };

export interface LocalWorkflowOptions {
  definition: Record<string, unknown>;
  clock: ObservableClock;
  /** Runs the in-process handler of a Lambda function by its name. */
  invoke: (functionName: string, payload: unknown) => Promise<unknown>;
  /** Sends a message to the in-process queue with this URL. */
  sendToQueue: (queueUrl: string, body: string) => void;
  log?: (line: string) => void;
}

export interface ExecutionRecord {
  name: string;
  /** ABORTED: the runtime stopped while it ran; a restart resumes it from the application's status. */
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  startedAt: string;
  output?: unknown;
  error?: string;
  done: Promise<void>;
}

interface WaitingTask {
  execution: string;
  state: string;
  deadline: number;
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
}

/** The placeholder the context object gives `$$.Task.Token`; each callback state swaps in a fresh token. */
const TOKEN_PLACEHOLDER = '__local_task_token__';
const CALLBACK_SUFFIX = '.waitForTaskToken';

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

function functionName(arn: unknown): string {
  const name = String(arn).split(':function:')[1]?.split(':')[0];
  if (!name) throw new Error(`not a Lambda function ARN: ${String(arn)}`);
  return name;
}

/**
 * Step Functions, locally: runs the rendered definition with aws-local-stepfunctions, mapping
 * each Task to the in-process handler. Callback (`.waitForTaskToken`) states get a fresh token,
 * and wait until `sendTaskSuccess`/`sendTaskFailure` or until their TimeoutSeconds pass on the
 * controllable clock (the interpreter's own timer would use wall time and overflow past 24
 * days), then fail with States.Timeout like the real service.
 */
export class LocalWorkflow implements Workflow {
  readonly #machine: StateMachine;
  readonly #options: LocalWorkflowOptions;
  readonly #definition: Definition;
  /** The TimeoutSeconds of each callback state, taken out of the definition and enforced here. */
  readonly #callbackTimeouts = new Map<string, number>();
  readonly #executions = new Map<string, ExecutionRecord>();
  readonly #aborts = new Map<string, () => void>();
  #stopped = false;
  readonly #waiting = new Map<string, WaitingTask>();
  readonly #timer: NodeJS.Timeout;
  readonly #unsubscribe: () => void;

  constructor(options: LocalWorkflowOptions) {
    this.#options = options;
    this.#definition = structuredClone(options.definition) as Definition;
    for (const [name, state] of Object.entries(this.#definition.States)) {
      if (state.Resource?.endsWith(CALLBACK_SUFFIX)) {
        // Step Functions' own default for a task without a timeout is a year.
        this.#callbackTimeouts.set(name, state.TimeoutSeconds ?? 31_536_000);
        delete state.TimeoutSeconds;
      }
    }
    this.#machine = new StateMachine(this.#definition as never, {
      validationOptions: { checkPaths: true, checkArn: false },
    });
    this.#timer = setInterval(() => this.#expireDue(), 1000);
    this.#timer.unref();
    this.#unsubscribe = options.clock.onAdvanced(() => this.#expireDue());
  }

  async start(name: string, input: Record<string, unknown>): Promise<void> {
    if (this.#executions.has(name)) return;
    this.#run(this.#machine, name, input);
  }

  /**
   * Continues an execution a previous process left unfinished, from `state`. With `waiting`,
   * that callback state does not run its Lambda again: it waits on the token the application
   * already holds, until the same deadline. Step Functions keeps executions across restarts;
   * this is how the local runtime approximates it. Resolves once a resumed wait holds its
   * token again, so a callback that arrives right after start-up finds it.
   */
  async resume(
    name: string,
    input: Record<string, unknown>,
    state: string,
    waiting?: { token: string; deadline: number },
  ): Promise<void> {
    if (this.#executions.has(name)) return;
    if (!this.#definition.States[state]) throw new Error(`no state ${state} to resume ${name} at`);
    // The same definition, validated in full by the constructor; only StartAt differs, which
    // leaves the earlier states unreachable, something the validator would refuse.
    const machine = new StateMachine({ ...this.#definition, StartAt: state } as never, {
      validationOptions: { noValidate: true },
    });
    let onWaiting = () => {};
    const waitingAgain = new Promise<void>((resolve) => {
      onWaiting = resolve;
    });
    this.#run(machine, name, input, waiting && { state, ...waiting, onWaiting });
    if (waiting) await waitingAgain;
  }

  #run(
    machine: StateMachine,
    name: string,
    input: Record<string, unknown>,
    resumed?: { state: string; token: string; deadline: number; onWaiting: () => void },
  ): void {
    let pendingResume = resumed;
    const overrides = Object.fromEntries(
      Object.entries(this.#definition.States)
        .filter(([, state]) => state.Type === 'Task')
        .map(([stateName, state]) => [
          stateName,
          (taskInput: unknown) => {
            if (pendingResume?.state === stateName) {
              const { token, deadline, onWaiting } = pendingResume;
              pendingResume = undefined;
              return new Promise<unknown>((resolve, reject) => {
                this.#waiting.set(token, { execution: name, state: stateName, deadline, resolve, reject });
                onWaiting();
              }) as Promise<never>;
            }
            return this.#runTask(name, stateName, state, taskInput) as Promise<never>;
          },
        ]),
    );
    const execution = machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: overrides },
      context: { Execution: { Id: `local:${name}`, Name: name }, Task: { Token: TOKEN_PLACEHOLDER } },
    });
    this.#aborts.set(name, execution.abort);
    const record: ExecutionRecord = {
      name,
      status: 'RUNNING',
      startedAt: this.#options.clock.now().toISOString(),
      done: execution.result.then(
        (output) => {
          record.status = 'SUCCEEDED';
          record.output = output;
        },
        (error: unknown) => {
          if (this.#stopped) {
            record.status = 'ABORTED';
            return;
          }
          record.status = 'FAILED';
          const cause = (error as { cause?: { name?: string } }).cause;
          record.error = cause?.name ?? (error instanceof Error ? error.name : 'Error');
          this.#options.log?.(`workflow ${name} failed: ${record.error}`);
        },
      ),
    };
    this.#executions.set(name, record);
  }

  async sendTaskSuccess(token: string, output: Record<string, unknown>): Promise<boolean> {
    const task = this.#take(token);
    task?.resolve(output);
    return task !== undefined;
  }

  async sendTaskFailure(token: string, error: string, cause: string): Promise<boolean> {
    const task = this.#take(token);
    task?.reject(namedError(error, cause));
    return task !== undefined;
  }

  execution(name: string): ExecutionRecord | undefined {
    return this.#executions.get(name);
  }

  /** The states currently paused on a callback, for tests and the local console. */
  waitingStates(execution?: string): string[] {
    return [...this.#waiting.values()]
      .filter((t) => !execution || t.execution === execution)
      .map((t) => t.state);
  }

  /**
   * Stops timers and aborts every execution: their applications stay as they are in the table.
   * Rejecting a paused task instead would let the execution go on in this stopped runtime (a
   * Retry, then its Catch and RecordFailure), acting on the table after a restarted runtime
   * has resumed the same application: a FAILED case, or a stage run twice.
   */
  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#unsubscribe();
    this.#waiting.clear();
    for (const abort of this.#aborts.values()) abort();
    this.#aborts.clear();
  }

  #take(token: string): WaitingTask | undefined {
    const task = this.#waiting.get(token);
    this.#waiting.delete(token);
    return task;
  }

  #expireDue(): void {
    const now = this.#options.clock.now().getTime();
    for (const [token, task] of this.#waiting) {
      if (task.deadline <= now) {
        this.#waiting.delete(token);
        task.reject(namedError('States.Timeout', `${task.state} timed out`));
      }
    }
  }

  async #runTask(
    execution: string,
    stateName: string,
    state: StateDefinition,
    input: unknown,
  ): Promise<unknown> {
    const resource = state.Resource ?? '';
    if (!resource.endsWith(CALLBACK_SUFFIX)) {
      // payloadResponseOnly: the Resource is the function and the input is the payload.
      return this.#options.invoke(functionName(resource), input);
    }
    const token = `${execution}:${stateName}:${randomUUID()}`;
    const parameters = JSON.parse(JSON.stringify(input).replaceAll(TOKEN_PLACEHOLDER, token)) as Record<
      string,
      unknown
    >;
    const timeoutSeconds = this.#callbackTimeouts.get(stateName) ?? 31_536_000;
    const result = new Promise<unknown>((resolve, reject) => {
      this.#waiting.set(token, {
        execution,
        state: stateName,
        deadline: this.#options.clock.now().getTime() + timeoutSeconds * 1000,
        resolve,
        reject,
      });
    });
    try {
      if (resource.startsWith('arn:aws:states:::lambda:invoke')) {
        await this.#options.invoke(functionName(parameters.FunctionName), parameters.Payload);
      } else if (resource.startsWith('arn:aws:states:::sqs:sendMessage')) {
        this.#options.sendToQueue(String(parameters.QueueUrl), JSON.stringify(parameters.MessageBody));
      } else {
        throw new Error(`the local runtime cannot run ${resource}`);
      }
    } catch (error) {
      this.#waiting.delete(token);
      throw error;
    }
    return result;
  }
}
