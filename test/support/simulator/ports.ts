import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableContext } from '../../../shared/adapters/dynamodb/table.js';
import type { ControllableClock } from '../../../shared/adapters/local/controllable-clock.js';
import type { SimulatedCoreBanking } from '../../../shared/adapters/simulated/core-banking.js';
import type {
  CoreBanking,
  DebitRequest,
  RefundRequest,
  TransferRequest,
} from '../../../shared/ports/core-banking.js';
import type { MessageQueue } from '../../../shared/ports/queue.js';
import { currentOp, type OpRun, scope } from './context.js';
import { CoreBankingFault, type FaultPlan, kill, QueueFault } from './faults.js';
import type { Scheduler } from './scheduler.js';

/**
 * Lambda's timeout for every operation, on the simulated clock. It is below reconciliation's
 * SETTLE_AFTER_MS (15 minutes), as in the deployed stack, so reconciliation never touches what a
 * live invocation may still finish; an invocation still running past it is killed.
 */
export const LAMBDA_TIMEOUT_MS = 10 * 60 * 1000;

export interface SimEnv {
  scheduler: Scheduler;
  faults: FaultPlan;
  clock: ControllableClock;
  trace: (line: string) => void;
  /** The table's stream: every event item a write committed, in commit order. */
  committed: (items: Record<string, unknown>[]) => void;
}

interface CommandLike {
  constructor: { name: string };
  input: Record<string, unknown>;
}

type Key = { pk?: unknown; sk?: unknown };
const keyOf = (key: Key | undefined) => (key ? `${String(key.pk)}|${String(key.sk)}` : '?');

/** The items a command writes. */
function writesOf(command: CommandLike): string[] {
  const input = command.input as {
    Item?: Key;
    Key?: Key;
    TransactItems?: { Put?: { Item: Key }; Update?: { Key: Key }; Delete?: { Key: Key } }[];
  };
  switch (command.constructor.name) {
    case 'PutCommand':
      return [keyOf(input.Item)];
    case 'UpdateCommand':
    case 'DeleteCommand':
      return [keyOf(input.Key)];
    case 'TransactWriteCommand':
      return (input.TransactItems ?? []).map((item) =>
        keyOf(item.Put?.Item ?? item.Update?.Key ?? item.Delete?.Key),
      );
    default:
      return [];
  }
}

/** The event items a write puts, as the table's stream would hand them over (NEW_IMAGE). */
function eventsOf(command: CommandLike): Record<string, unknown>[] {
  const input = command.input as {
    Item?: Record<string, unknown>;
    TransactItems?: { Put?: { Item: Record<string, unknown> } }[];
  };
  const items =
    command.constructor.name === 'PutCommand'
      ? [input.Item]
      : command.constructor.name === 'TransactWriteCommand'
        ? (input.TransactItems ?? []).map((item) => item.Put?.Item)
        : [];
  return items
    .filter((item): item is Record<string, unknown> => item?.entity === 'EVENT')
    .map((item) => ({ ...item }));
}

/** A short name of a call for the trace: "TransactWrite LOAN#LN-x|LOAN +3". */
function labelOf(command: CommandLike, writes: readonly string[]): string {
  const name = command.constructor.name.replace(/Command$/, '');
  const input = command.input as {
    Key?: Key;
    IndexName?: string;
    ExpressionAttributeValues?: Record<string, unknown>;
  };
  if (writes.length > 0) return `${name} ${writes[0]}${writes.length > 1 ? ` +${writes.length - 1}` : ''}`;
  if (input.Key) return `${name} ${keyOf(input.Key)}`;
  const pk = input.ExpressionAttributeValues?.[':pk'];
  return `${name} ${input.IndexName ?? 'table'} ${String(pk ?? '')}`;
}

/** Kills an operation that outlived its Lambda timeout; throws if it is (now) dead. */
function assertAlive(env: SimEnv, op: OpRun | undefined): void {
  if (!op) return;
  if (!op.dead && env.clock.now().getTime() - op.startedAt > LAMBDA_TIMEOUT_MS) {
    env.faults.record('lambda.timeout', `#${op.id} ${op.label} ran past its timeout`, op);
    throw kill(op, 'lambda.timeout');
  }
  if (op.dead) throw kill(op, op.dead);
}

/**
 * The table as the services see it: every call waits for its turn at the scheduler, and, when
 * `faultable`, may be the one where the process dies (before the call is sent, or after a write
 * was applied) or a transaction cancelled by a concurrent writer of one of its items.
 */
export function gatedTable(real: TableContext, env: SimEnv, faultable: boolean): TableContext {
  const client = Object.create(real.client) as DynamoDBDocumentClient;
  const send = (command: CommandLike) => {
    // The simulator's own calls take turns like any other (and inside their operation, so an
    // exclusive section includes them), but are never faulted.
    const owner = scope.getStore()?.op;
    const op = currentOp();
    const writes = writesOf(command);
    const label = labelOf(command, writes);
    return env.scheduler.call(owner, label, writes, async () => {
      // Core banking's own calls go on when its caller dies: it is another system.
      if (faultable) assertAlive(env, op);
      const inject = faultable && op !== undefined;
      if (inject && env.faults.roll('dynamo.crashBefore', label, op)) throw kill(op, `crash before ${label}`);
      if (
        inject &&
        command.constructor.name === 'TransactWriteCommand' &&
        env.scheduler.concurrentWriter(owner, writes) &&
        env.faults.roll('dynamo.txConflict', label, op)
      ) {
        const conflict = new TransactionCanceledException({
          message:
            'Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict]',
          $metadata: {},
          CancellationReasons: writes.map((key) => ({
            Code: env.scheduler.concurrentWriter(owner, [key]) ? 'TransactionConflict' : 'None',
          })),
        });
        op.injected.add(conflict);
        throw conflict;
      }
      // Outside the seed's scope: the SDK's own ids must not take the seed's deterministic ones.
      const result = await scope.exit(() => real.client.send(command as never));
      const events = eventsOf(command);
      if (events.length > 0) env.committed(events);
      if (inject && writes.length > 0 && env.faults.roll('dynamo.crashAfter', label, op))
        throw kill(op, `crash after ${label}`);
      return result;
    });
  };
  client.send = send as unknown as DynamoDBDocumentClient['send'];
  return { client, tableName: real.tableName };
}

/**
 * Core banking as the services see it: a debit, transfer or refund may be refused before anything
 * moved, or book and then lose its answer (a timeout after the fact).
 */
export class FaultyCoreBanking implements CoreBanking {
  constructor(
    private readonly real: SimulatedCoreBanking,
    private readonly env: SimEnv,
  ) {}

  transfer(request: TransferRequest) {
    return this.#move('transfer', request.reference, () => this.real.transfer(request));
  }

  debit(request: DebitRequest) {
    return this.#move('debit', request.reference, () => this.real.debit(request));
  }

  refund(request: RefundRequest) {
    return this.#move('refund', request.reference, () => this.real.refund(request));
  }

  status(reference: string) {
    return this.real.status(reference);
  }

  movements(range: { from: string; to: string }, cursor?: string) {
    return this.real.movements(range, cursor);
  }

  async #move<T>(name: string, reference: string, call: () => Promise<T>): Promise<T> {
    const op = currentOp();
    assertAlive(this.env, op);
    const where = `${name} ${reference}`;
    if (op && this.env.faults.roll('core.failBefore', where, op))
      throw this.#fault(op, `${where}: connection refused before anything was booked`);
    const result = await call();
    if (op && this.env.faults.roll('core.lostAnswer', where, op))
      throw this.#fault(op, `${where}: socket timeout, the answer was lost after booking`);
    return result;
  }

  #fault(op: OpRun, message: string): CoreBankingFault {
    const fault = new CoreBankingFault(message);
    op.coreFault = true;
    op.injected.add(fault);
    return fault;
  }
}

/** An SQS queue as a list: the simulator delivers (or loses, or repeats) its messages itself. */
export class SimQueue implements MessageQueue {
  readonly messages: { id: number; body: string }[] = [];
  #next = 1;
  sent = 0;

  constructor(
    private readonly env: SimEnv,
    private readonly name: string,
    private readonly keep = true,
  ) {}

  async send(body: string): Promise<void> {
    const op = currentOp();
    assertAlive(this.env, op);
    if (op && this.env.faults.roll('queue.sendFail', `${this.name} send`, op)) {
      const fault = new QueueFault(`${this.name}: the queue refused the message`);
      op.injected.add(fault);
      throw fault;
    }
    this.sent++;
    if (this.keep) this.messages.push({ id: this.#next++, body });
  }
}
