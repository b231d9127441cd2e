import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type Shard,
  type _Record as StreamRecordFromSdk,
  type AttributeValue as StreamsAttributeValue,
} from '@aws-sdk/client-dynamodb-streams';
import type {
  Context,
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  AttributeValue as LambdaAttributeValue,
} from 'aws-lambda';
import { describeError, lambdaContext } from '../shared/adapters/local/lambda-context.js';

// biome-ignore lint/suspicious/noConfusingVoidType: Lambda handlers may return nothing, as aws-lambda's own DynamoDBStreamHandler says.
type StreamHandlerResult = DynamoDBBatchResponse | void;

/** The shape of a Lambda handler wired to a DynamoDB stream event source mapping. */
export type DynamoDbStreamLambdaHandler = (
  event: DynamoDBStreamEvent,
  context: Context,
) => Promise<StreamHandlerResult>;

export interface StreamPollerOptions {
  client: DynamoDBStreamsClient;
  tableName: string;
  handler: DynamoDbStreamLambdaHandler;
  /** Names the function in the Lambda context and in log lines. */
  functionName: string;
  /** Records per invocation; Lambda's default for streams is 100, GetRecords returns at most 1000. */
  batchSize?: number;
  /** Retries of a failing batch before its records are dropped; by default, like Lambda, no limit. */
  maxRetryAttempts?: number;
  pollIntervalMs?: number;
  log?: (line: string) => void;
}

type ResumePoint =
  | { ShardIteratorType: 'LATEST' | 'TRIM_HORIZON' }
  | { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER'; SequenceNumber: string };

interface ShardState {
  shardId: string;
  parentShardId: string | undefined;
  /** Undefined until acquired, or after it expired. */
  iterator: string | undefined;
  /** GetRecords returned no next iterator: the shard is closed and read to its end. */
  closed: boolean;
  /** Where a new iterator starts: the shard's start position, then just after the last record read. */
  resume: ResumePoint;
  /** Records read but not yet handled successfully, oldest first. */
  pending: StreamRecordFromSdk[];
  failedAttempts: number;
  /** Wall-clock ms before which a failed batch is not retried. */
  retryAt: number;
}

const MAX_GET_RECORDS = 1_000;
const MAX_BACKOFF_MS = 5_000;

/**
 * Plays the Lambda event source mapping for a table's DynamoDB stream on DynamoDB Local: starts at
 * LATEST, reads every open shard in order, follows new shards once their parent is read to the end,
 * invokes the handler with Lambda-shaped records and retries a failed batch from the first failed
 * record on. Shards are read one after another, and one batch at a time, to keep local runs simple.
 */
export class StreamPoller {
  readonly #client: DynamoDBStreamsClient;
  readonly #tableName: string;
  readonly #handler: DynamoDbStreamLambdaHandler;
  readonly #functionName: string;
  readonly #batchSize: number;
  readonly #maxRetryAttempts: number;
  readonly #pollIntervalMs: number;
  readonly #log: (line: string) => void;
  #streamArn = '';
  /** Shards being read or waiting for their parent, in discovery order. */
  readonly #shards = new Map<string, ShardState>();
  /** Every shard ever listed, so that one closed before start is not picked up as new. */
  readonly #known = new Set<string>();
  #starting: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #busy = false;
  #cycle: Promise<void> = Promise.resolve();
  #cycleNumber = 0;
  #consecutiveErrors = 0;
  #pausedUntil = 0;
  readonly #drainWaiters: { fromCycle: number; resolve: () => void; reject: (error: Error) => void }[] = [];

  constructor(options: StreamPollerOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#handler = options.handler;
    this.#functionName = options.functionName;
    this.#batchSize = options.batchSize ?? 100;
    if (!Number.isInteger(this.#batchSize) || this.#batchSize < 1 || this.#batchSize > MAX_GET_RECORDS) {
      throw new RangeError(
        `batchSize must be an integer from 1 to ${MAX_GET_RECORDS}, got ${this.#batchSize}`,
      );
    }
    this.#maxRetryAttempts = options.maxRetryAttempts ?? Number.POSITIVE_INFINITY;
    this.#pollIntervalMs = options.pollIntervalMs ?? 100;
    this.#log = options.log ?? (() => {});
  }

  /** Resolves once every open shard has an iterator at LATEST: later writes will be delivered. */
  start(): Promise<void> {
    this.#starting ??= this.#start().catch((error: unknown) => {
      this.#starting = undefined;
      throw error;
    });
    return this.#starting;
  }

  /** Stops polling and resolves once the batch being handled (if any) has finished. */
  async stop(): Promise<void> {
    await this.#starting?.catch(() => undefined);
    this.#starting = undefined;
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#cycle;
    this.#shards.clear();
    this.#known.clear();
    for (const waiter of this.#drainWaiters.splice(0)) {
      waiter.reject(new Error(`${this.#functionName}: stream poller stopped before the stream drained`));
    }
  }

  /**
   * Resolves after a full pass over the stream that started after this call found no new record
   * and left no failed record waiting for a retry. So a test writes, then awaits drain().
   */
  drain(): Promise<void> {
    if (!this.#timer) {
      return Promise.reject(new Error(`${this.#functionName}: start the stream poller before drain()`));
    }
    return new Promise((resolve, reject) => {
      this.#drainWaiters.push({ fromCycle: this.#cycleNumber + 1, resolve, reject });
    });
  }

  async #start(): Promise<void> {
    const { Streams = [] } = await this.#client.send(new ListStreamsCommand({ TableName: this.#tableName }));
    // Labels are creation timestamps, so the last one in order is the table's current stream.
    const current = Streams.filter((stream) => stream.StreamArn && stream.StreamLabel)
      .sort((a, b) => (a.StreamLabel ?? '').localeCompare(b.StreamLabel ?? ''))
      .at(-1);
    if (!current?.StreamArn) {
      throw new Error(`table ${this.#tableName} has no stream: create it with a StreamSpecification`);
    }
    this.#streamArn = current.StreamArn;
    for (const shard of await this.#listShards()) {
      if (!shard.ShardId) continue;
      this.#known.add(shard.ShardId);
      // History before start is not delivered: closed shards are skipped, open ones start at LATEST.
      if (shard.SequenceNumberRange?.EndingSequenceNumber !== undefined) continue;
      const state = this.#newShard(shard.ShardId, shard.ParentShardId, { ShardIteratorType: 'LATEST' });
      // Pinned now rather than at the first poll, so that writes right after start() are delivered.
      state.iterator = await this.#iteratorFor(state);
    }
    this.#timer = setInterval(() => this.#tick(), this.#pollIntervalMs);
  }

  #tick(): void {
    if (this.#busy || !this.#timer || Date.now() < this.#pausedUntil) return;
    this.#busy = true;
    this.#cycle = this.#runCycle();
  }

  async #runCycle(): Promise<void> {
    const cycle = ++this.#cycleNumber;
    let quiet = true;
    try {
      let shardEnded = this.#shards.size === 0;
      for (const shard of [...this.#shards.values()]) {
        if (!this.#timer) {
          // Stopped mid-pass: this pass proves nothing about the stream.
          quiet = false;
          return;
        }
        if (this.#waitsForParent(shard) || Date.now() < shard.retryAt) {
          quiet = false;
          continue;
        }
        if (shard.pending.length === 0 && !shard.closed) await this.#read(shard);
        if (shard.pending.length > 0) {
          // A pass that handled records has not shown that nothing follows them.
          quiet = false;
          await this.#deliver(shard);
        }
        if (shard.closed && shard.pending.length === 0) {
          this.#shards.delete(shard.shardId);
          shardEnded = true;
        }
      }
      // A shard's children matter only once it has ended; that is when to look for them.
      if (shardEnded) await this.#discoverShards();
      this.#consecutiveErrors = 0;
    } catch (error) {
      quiet = false;
      this.#consecutiveErrors += 1;
      this.#pausedUntil = Date.now() + this.#backoffMs(this.#consecutiveErrors);
      this.#log(
        `${this.#functionName}: reading the stream of ${this.#tableName} failed: ${describeError(error)}`,
      );
    } finally {
      this.#busy = false;
      if (quiet) this.#settleDrainWaiters(cycle);
    }
  }

  /** Reads the next records of a shard into `pending`. */
  async #read(shard: ShardState): Promise<void> {
    shard.iterator ??= await this.#iteratorFor(shard);
    let output: GetRecordsCommandOutput;
    try {
      output = await this.#getRecords(shard.iterator);
    } catch (error) {
      // Iterators expire after 15 minutes, e.g. while a batch kept failing; resume from the last read.
      if (!(error instanceof ExpiredIteratorException)) throw error;
      shard.iterator = await this.#iteratorFor(shard);
      output = await this.#getRecords(shard.iterator);
    }
    const records = output.Records ?? [];
    shard.iterator = output.NextShardIterator;
    shard.closed = !output.NextShardIterator;
    const last = records.at(-1)?.dynamodb?.SequenceNumber;
    if (last !== undefined)
      shard.resume = { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: last };
    shard.pending = records;
  }

  async #getRecords(iterator: string): Promise<GetRecordsCommandOutput> {
    return await this.#client.send(
      new GetRecordsCommand({ ShardIterator: iterator, Limit: this.#batchSize }),
    );
  }

  async #iteratorFor(shard: ShardState): Promise<string> {
    const { ShardIterator } = await this.#client.send(
      new GetShardIteratorCommand({ StreamArn: this.#streamArn, ShardId: shard.shardId, ...shard.resume }),
    );
    if (!ShardIterator) throw new Error(`no shard iterator for ${shard.shardId}`);
    return ShardIterator;
  }

  async #deliver(shard: ShardState): Promise<void> {
    const batch = shard.pending;
    let failedFrom: number;
    try {
      const result = await this.#handler(
        { Records: batch.map((record) => this.#toLambdaRecord(record)) },
        lambdaContext(this.#functionName),
      );
      failedFrom = this.#firstFailedIndex(result, batch);
    } catch (error) {
      this.#log(
        `${this.#functionName}: batch of ${batch.length} from the stream of ${this.#tableName} failed: ${describeError(error)}`,
      );
      failedFrom = 0;
    }
    if (failedFrom === batch.length) {
      shard.pending = [];
      shard.failedAttempts = 0;
      return;
    }
    shard.pending = batch.slice(failedFrom);
    shard.failedAttempts += 1;
    if (shard.failedAttempts > this.#maxRetryAttempts) {
      this.#log(
        `${this.#functionName}: dropped ${shard.pending.length} stream records after ${shard.failedAttempts} failed attempts`,
      );
      shard.pending = [];
      shard.failedAttempts = 0;
      return;
    }
    shard.retryAt = Date.now() + this.#backoffMs(shard.failedAttempts);
  }

  /**
   * Reads a partial batch response the way Lambda does: success is the batch's length; otherwise the
   * index of the earliest failed record. An identifier that is not a sequence number in the batch
   * makes the whole batch count as failed.
   */
  #firstFailedIndex(result: unknown, batch: StreamRecordFromSdk[]): number {
    if (result === undefined || result === null || typeof result !== 'object') return batch.length;
    const failures: unknown = (result as Partial<DynamoDBBatchResponse>).batchItemFailures;
    if (failures === undefined || failures === null) return batch.length;
    const sequenceNumbers = batch.map((record) => record.dynamodb?.SequenceNumber);
    if (!Array.isArray(failures)) return this.#invalidResponse();
    let first = batch.length;
    for (const failure of failures) {
      const id: unknown = (failure as Partial<{ itemIdentifier: unknown }> | null)?.itemIdentifier;
      const index = typeof id === 'string' ? sequenceNumbers.indexOf(id) : -1;
      if (index === -1) return this.#invalidResponse();
      first = Math.min(first, index);
    }
    return first;
  }

  #invalidResponse(): number {
    this.#log(`${this.#functionName}: invalid batchItemFailures response, the whole batch is retried`);
    return 0;
  }

  async #discoverShards(): Promise<void> {
    for (const shard of await this.#listShards()) {
      if (!shard.ShardId || this.#known.has(shard.ShardId)) continue;
      this.#known.add(shard.ShardId);
      // Created after start, so everything in it is new.
      this.#newShard(shard.ShardId, shard.ParentShardId, { ShardIteratorType: 'TRIM_HORIZON' });
    }
  }

  async #listShards(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await this.#client.send(
        new DescribeStreamCommand({
          StreamArn: this.#streamArn,
          ExclusiveStartShardId: exclusiveStartShardId,
        }),
      );
      shards.push(...(StreamDescription?.Shards ?? []));
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    return shards;
  }

  #newShard(shardId: string, parentShardId: string | undefined, resume: ResumePoint): ShardState {
    const state: ShardState = {
      shardId,
      parentShardId,
      iterator: undefined,
      closed: false,
      resume,
      pending: [],
      failedAttempts: 0,
      retryAt: 0,
    };
    this.#shards.set(shardId, state);
    return state;
  }

  /** A child shard is read only after its parent, which keeps each item's changes in order. */
  #waitsForParent(shard: ShardState): boolean {
    return shard.parentShardId !== undefined && this.#shards.has(shard.parentShardId);
  }

  #backoffMs(failures: number): number {
    return Math.min(this.#pollIntervalMs * 2 ** (failures - 1), MAX_BACKOFF_MS);
  }

  #settleDrainWaiters(cycle: number): void {
    for (const waiter of [...this.#drainWaiters]) {
      if (waiter.fromCycle > cycle) continue;
      this.#drainWaiters.splice(this.#drainWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  #toLambdaRecord(record: StreamRecordFromSdk): DynamoDBRecord {
    const change = record.dynamodb;
    return {
      eventID: record.eventID,
      eventName: record.eventName,
      eventVersion: record.eventVersion,
      eventSource: record.eventSource,
      awsRegion: record.awsRegion,
      eventSourceARN: this.#streamArn,
      ...(record.userIdentity
        ? { userIdentity: { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId } }
        : {}),
      dynamodb: change && {
        // Lambda events carry epoch seconds here, the SDK a Date.
        ApproximateCreationDateTime: change.ApproximateCreationDateTime
          ? change.ApproximateCreationDateTime.getTime() / 1000
          : undefined,
        Keys: toLambdaImage(change.Keys),
        NewImage: toLambdaImage(change.NewImage),
        OldImage: toLambdaImage(change.OldImage),
        SequenceNumber: change.SequenceNumber,
        SizeBytes: change.SizeBytes,
        StreamViewType: change.StreamViewType,
      },
    };
  }
}

function toLambdaImage(
  image: Record<string, StreamsAttributeValue> | undefined,
): Record<string, LambdaAttributeValue> | undefined {
  return (
    image && Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toLambdaValue(value)]))
  );
}

/** The SDK decodes binary attributes into bytes; Lambda events carry them base64-encoded, as on the wire. */
function toLambdaValue(value: StreamsAttributeValue): LambdaAttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.BS !== undefined) return { BS: value.BS.map((bytes) => Buffer.from(bytes).toString('base64')) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaValue) };
  if (value.M !== undefined) return { M: toLambdaImage(value.M) ?? {} };
  throw new Error(`unsupported attribute type ${Object.keys(value).join(',')}`);
}
