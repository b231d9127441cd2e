import { createHash, randomUUID } from 'node:crypto';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord, SQSRecordAttributes } from 'aws-lambda';
import type { Clock } from '../../ports/clock.js';
import { isObservableClock } from './controllable-clock.js';
import { describeError, LOCAL_ACCOUNT_ID, LOCAL_REGION, lambdaContext } from './lambda-context.js';

export interface RedrivePolicy {
  deadLetterQueue: InMemoryQueue;
  /** Deliveries allowed before the next receive moves the message to the dead-letter queue (1-1000). */
  maxReceiveCount: number;
}

export interface InMemoryQueueOptions {
  name: string;
  clock: Clock;
  /** Default for receive(); SQS's default is 30 s. */
  visibilityTimeoutSeconds?: number;
  redrivePolicy?: RedrivePolicy;
  region?: string;
}

export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  md5OfBody: string;
  attributes: SQSRecordAttributes;
}

interface StoredMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  sentAt: number;
  /** Clock time (ms) from which receive() may return the message. */
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  /** Only the latest receipt handle acts on the message, as in SQS. */
  receiptHandle?: string;
  deadLetterSourceArn?: string;
}

// SQS's own limits, enforced so that code which works here does not fail in AWS.
const MAX_DELAY_SECONDS = 900;
const MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;
const MAX_RECEIVE_BATCH = 10;
const MAX_RECEIVE_COUNT = 1_000;
/** SQS fills SenderId with the sending principal; locally there is none. */
const LOCAL_SENDER_ID = 'LOCAL';

function assertIntegerIn(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
}

/**
 * A standard SQS queue in memory, timed by a Clock: delays and visibility timeouts expire as that
 * clock's time passes (so on their own with a flowing clock, and at once when it is advanced).
 */
export class InMemoryQueue {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly #clock: Clock;
  readonly #visibilityTimeoutSeconds: number;
  readonly #redrivePolicy: RedrivePolicy | undefined;
  /** Insertion order is send order, so receive() hands out the oldest visible messages first. */
  readonly #messages = new Map<string, StoredMessage>();
  readonly #byReceiptHandle = new Map<string, StoredMessage>();
  readonly #availabilityListeners = new Set<() => void>();

  constructor(options: InMemoryQueueOptions) {
    this.name = options.name;
    this.region = options.region ?? LOCAL_REGION;
    this.arn = `arn:aws:sqs:${this.region}:${LOCAL_ACCOUNT_ID}:${options.name}`;
    this.#clock = options.clock;
    this.#visibilityTimeoutSeconds = options.visibilityTimeoutSeconds ?? 30;
    assertIntegerIn(
      'visibilityTimeoutSeconds',
      this.#visibilityTimeoutSeconds,
      0,
      MAX_VISIBILITY_TIMEOUT_SECONDS,
    );
    if (options.redrivePolicy) {
      assertIntegerIn('maxReceiveCount', options.redrivePolicy.maxReceiveCount, 1, MAX_RECEIVE_COUNT);
    }
    this.#redrivePolicy = options.redrivePolicy;
  }

  send(body: string, options: { delaySeconds?: number } = {}): string {
    const delaySeconds = options.delaySeconds ?? 0;
    assertIntegerIn('delaySeconds', delaySeconds, 0, MAX_DELAY_SECONDS);
    const now = this.#now();
    const message: StoredMessage = {
      messageId: randomUUID(),
      body,
      md5OfBody: createHash('md5').update(body).digest('hex'),
      sentAt: now,
      visibleAt: now + delaySeconds * 1000,
      receiveCount: 0,
    };
    this.#messages.set(message.messageId, message);
    this.#notifyAvailable();
    return message.messageId;
  }

  receive(maxMessages = 1, visibilityTimeoutSeconds = this.#visibilityTimeoutSeconds): ReceivedMessage[] {
    assertIntegerIn('maxMessages', maxMessages, 1, MAX_RECEIVE_BATCH);
    assertIntegerIn('visibilityTimeoutSeconds', visibilityTimeoutSeconds, 0, MAX_VISIBILITY_TIMEOUT_SECONDS);
    const now = this.#now();
    const received: ReceivedMessage[] = [];
    for (const message of this.#messages.values()) {
      if (received.length === maxMessages) break;
      if (message.visibleAt > now) continue;
      if (this.#redrivePolicy && message.receiveCount >= this.#redrivePolicy.maxReceiveCount) {
        this.#remove(message);
        this.#redrivePolicy.deadLetterQueue.#acceptDeadLetter(message, this.arn, now);
        continue;
      }
      if (message.receiptHandle !== undefined) this.#byReceiptHandle.delete(message.receiptHandle);
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.receiptHandle = `${message.messageId}#${randomUUID()}`;
      message.visibleAt = now + visibilityTimeoutSeconds * 1000;
      this.#byReceiptHandle.set(message.receiptHandle, message);
      received.push(this.#toReceived(message, message.receiptHandle, message.firstReceivedAt));
    }
    return received;
  }

  /** Deleting with a receipt handle that is no longer the latest one does nothing, as in SQS. */
  delete(receiptHandle: string): void {
    const message = this.#byReceiptHandle.get(receiptHandle);
    if (message) this.#remove(message);
  }

  changeVisibility(receiptHandle: string, visibilityTimeoutSeconds: number): void {
    assertIntegerIn('visibilityTimeoutSeconds', visibilityTimeoutSeconds, 0, MAX_VISIBILITY_TIMEOUT_SECONDS);
    const message = this.#byReceiptHandle.get(receiptHandle);
    const now = this.#now();
    // SQS answers MessageNotInflight here; silently ignoring it would hide a consumer bug.
    if (!message || message.visibleAt <= now) {
      throw new Error(`MessageNotInflight: ${this.name} has no in-flight message for that receipt handle`);
    }
    message.visibleAt = now + visibilityTimeoutSeconds * 1000;
    if (visibilityTimeoutSeconds === 0) this.#notifyAvailable();
  }

  /** All messages still in the queue: visible, in flight and delayed. */
  depth(): number {
    return this.#messages.size;
  }

  /**
   * Calls `listener` whenever a message may have become receivable earlier than its timer says:
   * on send, on a visibility reset to 0, and when the clock is advanced. Returns an unsubscribe.
   */
  onAvailable(listener: () => void): () => void {
    this.#availabilityListeners.add(listener);
    const unsubscribeClock = isObservableClock(this.#clock) ? this.#clock.onAdvanced(listener) : undefined;
    return () => {
      this.#availabilityListeners.delete(listener);
      unsubscribeClock?.();
    };
  }

  #acceptDeadLetter(message: StoredMessage, sourceArn: string, now: number): void {
    // The message keeps its id, body, enqueue time and receive count (SQS keeps the enqueue
    // timestamp for standard queues); only the old receipt handle stops working.
    const { receiptHandle: _previous, ...kept } = message;
    this.#messages.set(message.messageId, { ...kept, visibleAt: now, deadLetterSourceArn: sourceArn });
    this.#notifyAvailable();
  }

  #remove(message: StoredMessage): void {
    this.#messages.delete(message.messageId);
    if (message.receiptHandle !== undefined) this.#byReceiptHandle.delete(message.receiptHandle);
  }

  #toReceived(message: StoredMessage, receiptHandle: string, firstReceivedAt: number): ReceivedMessage {
    return {
      messageId: message.messageId,
      receiptHandle,
      body: message.body,
      md5OfBody: message.md5OfBody,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        SenderId: LOCAL_SENDER_ID,
        ApproximateFirstReceiveTimestamp: String(firstReceivedAt),
        ...(message.deadLetterSourceArn ? { DeadLetterQueueSourceArn: message.deadLetterSourceArn } : {}),
      },
    };
  }

  #notifyAvailable(): void {
    for (const listener of [...this.#availabilityListeners]) listener();
  }

  #now(): number {
    return this.#clock.now().getTime();
  }
}

/** The shape of a Lambda handler wired to an SQS event source mapping. */
// biome-ignore lint/suspicious/noConfusingVoidType: Lambda handlers may return nothing, as aws-lambda's own SQSHandler says.
export type SqsLambdaHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface QueuePollerOptions {
  queue: InMemoryQueue;
  handler: SqsLambdaHandler;
  /** Names the function in the Lambda context and in log lines. */
  functionName: string;
  /** Records per invocation (1-10, the SQS receive limit); defaults to 10 like an event source mapping. */
  batchSize?: number;
  /** How often to look for messages whose delay or visibility timeout ran out on its own. */
  pollIntervalMs?: number;
  log?: (line: string) => void;
}

/**
 * Plays the Lambda event source mapping for one queue: receives batches, invokes the handler, deletes
 * what succeeded and leaves failures to come back after the queue's visibility timeout. One batch at
 * a time, which keeps local runs deterministic.
 */
export class QueuePoller {
  readonly #queue: InMemoryQueue;
  readonly #handler: SqsLambdaHandler;
  readonly #functionName: string;
  readonly #batchSize: number;
  readonly #pollIntervalMs: number;
  readonly #log: (line: string) => void;
  #timer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;
  #busy = false;
  #cycle: Promise<void> = Promise.resolve();
  readonly #drainWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];

  constructor(options: QueuePollerOptions) {
    this.#queue = options.queue;
    this.#handler = options.handler;
    this.#functionName = options.functionName;
    this.#batchSize = options.batchSize ?? MAX_RECEIVE_BATCH;
    assertIntegerIn('batchSize', this.#batchSize, 1, MAX_RECEIVE_BATCH);
    this.#pollIntervalMs = options.pollIntervalMs ?? 20;
    this.#log = options.log ?? (() => {});
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.#wake(), this.#pollIntervalMs);
    // Deferred to a microtask so that messages sent in one synchronous burst share a batch.
    this.#unsubscribe = this.#queue.onAvailable(() => queueMicrotask(() => this.#wake()));
    this.#wake();
  }

  /** Stops polling and resolves once the batch being handled (if any) has finished. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await this.#cycle;
    const waiters = this.#drainWaiters.splice(0);
    for (const waiter of waiters)
      waiter.reject(new Error(`${this.#functionName}: poller stopped before the queue drained`));
  }

  /**
   * Resolves when the queue is empty and no batch is in flight. Messages that keep failing hold it
   * up until they are deleted or moved to the dead-letter queue, so tests advance the clock.
   */
  drain(): Promise<void> {
    if (!this.#timer)
      return Promise.reject(new Error(`${this.#functionName}: start the poller before drain()`));
    return new Promise((resolve, reject) => {
      this.#drainWaiters.push({ resolve, reject });
      this.#settleDrainWaiters();
    });
  }

  #wake(): void {
    // A wake-up during a cycle needs no second cycle: the running one receives again until empty.
    if (this.#busy || !this.#timer) return;
    this.#busy = true;
    this.#cycle = this.#runCycle();
  }

  async #runCycle(): Promise<void> {
    try {
      while (this.#timer) {
        const messages = this.#queue.receive(this.#batchSize);
        if (messages.length === 0) break;
        await this.#invoke(messages);
      }
    } catch (error) {
      this.#log(`${this.#functionName}: polling ${this.#queue.name} failed: ${describeError(error)}`);
    } finally {
      this.#busy = false;
      this.#settleDrainWaiters();
    }
  }

  async #invoke(messages: ReceivedMessage[]): Promise<void> {
    const records = messages.map((message) => this.#toRecord(message));
    let failed: ReadonlySet<string>;
    try {
      const result = await this.#handler({ Records: records }, lambdaContext(this.#functionName));
      failed = this.#failedMessageIds(result, messages);
    } catch (error) {
      this.#log(
        `${this.#functionName}: batch of ${messages.length} from ${this.#queue.name} failed, retried after the visibility timeout: ${describeError(error)}`,
      );
      failed = new Set(messages.map((message) => message.messageId));
    }
    for (const message of messages) {
      if (!failed.has(message.messageId)) this.#queue.delete(message.receiptHandle);
    }
  }

  /**
   * Reads a partial batch response the way Lambda does: no response or an empty list means success;
   * an identifier that is empty or not in the batch makes the whole batch count as failed.
   */
  #failedMessageIds(result: unknown, messages: ReceivedMessage[]): ReadonlySet<string> {
    const all = new Set(messages.map((message) => message.messageId));
    if (result === undefined || result === null || typeof result !== 'object') return new Set();
    const failures: unknown = (result as Partial<SQSBatchResponse>).batchItemFailures;
    if (failures === undefined || failures === null) return new Set();
    if (!Array.isArray(failures)) return this.#invalidResponse(all);
    const failed = new Set<string>();
    for (const failure of failures) {
      const id: unknown = (failure as Partial<{ itemIdentifier: unknown }> | null)?.itemIdentifier;
      if (typeof id !== 'string' || !all.has(id)) return this.#invalidResponse(all);
      failed.add(id);
    }
    return failed;
  }

  #invalidResponse(all: ReadonlySet<string>): ReadonlySet<string> {
    this.#log(`${this.#functionName}: invalid batchItemFailures response, the whole batch is retried`);
    return all;
  }

  #toRecord(message: ReceivedMessage): SQSRecord {
    return {
      messageId: message.messageId,
      receiptHandle: message.receiptHandle,
      body: message.body,
      attributes: message.attributes,
      messageAttributes: {},
      md5OfBody: message.md5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: this.#queue.arn,
      awsRegion: this.#queue.region,
    };
  }

  #settleDrainWaiters(): void {
    if (this.#busy || this.#queue.depth() > 0) return;
    for (const waiter of this.#drainWaiters.splice(0)) waiter.resolve();
  }
}
