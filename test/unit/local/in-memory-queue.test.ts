import { createHash } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ControllableClock } from '../../../shared/adapters/local/controllable-clock.js';
import {
  InMemoryQueue,
  QueuePoller,
  type SqsLambdaHandler,
} from '../../../shared/adapters/local/in-memory-queue.js';

const T0 = Date.parse('2025-03-01T00:00:00.000Z');

/** A clock whose real time only moves when the test says so, so visibility is exact. */
function setup(options: { maxReceiveCount?: number } = {}) {
  let real = T0;
  const clock = new ControllableClock(() => real);
  const dlq = new InMemoryQueue({ name: 'orders-dlq', clock });
  const queue = new InMemoryQueue({
    name: 'orders',
    clock,
    visibilityTimeoutSeconds: 30,
    ...(options.maxReceiveCount === undefined
      ? {}
      : { redrivePolicy: { deadLetterQueue: dlq, maxReceiveCount: options.maxReceiveCount } }),
  });
  return { clock, queue, dlq, elapse: (ms: number) => (real += ms) };
}

describe('InMemoryQueue', () => {
  it('hides a received message until the visibility timeout has passed on the clock', () => {
    const { clock, queue } = setup();
    const id = queue.send('{"n":1}');
    const [first] = queue.receive(10);
    expect(first).toMatchObject({
      messageId: id,
      body: '{"n":1}',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(T0),
        ApproximateFirstReceiveTimestamp: String(T0),
      },
    });
    expect(queue.receive(10)).toEqual([]);
    clock.advance(29_999);
    expect(queue.receive(10)).toEqual([]);
    clock.advance(1);
    const [again] = queue.receive(10);
    expect(again?.messageId).toBe(id);
    expect(again?.receiptHandle).not.toBe(first?.receiptHandle);
    expect(again?.attributes).toMatchObject({
      ApproximateReceiveCount: '2',
      ApproximateFirstReceiveTimestamp: String(T0),
    });
    expect(queue.depth()).toBe(1);
  });

  it('redelivers as real time flows, without anyone advancing the clock', () => {
    const { queue, elapse } = setup();
    queue.send('a');
    queue.receive(1, 5);
    elapse(4_999);
    expect(queue.receive()).toEqual([]);
    elapse(1);
    expect(queue.receive()).toHaveLength(1);
  });

  it('holds a delayed message back', () => {
    const { clock, queue } = setup();
    queue.send('later', { delaySeconds: 60 });
    expect(queue.receive()).toEqual([]);
    expect(queue.depth()).toBe(1);
    clock.advance(60_000);
    expect(queue.receive()).toHaveLength(1);
  });

  it('hands out at most maxMessages, oldest first', () => {
    const { queue } = setup();
    for (const body of ['a', 'b', 'c']) queue.send(body);
    expect(queue.receive(2).map((m) => m.body)).toEqual(['a', 'b']);
    expect(queue.receive(2).map((m) => m.body)).toEqual(['c']);
  });

  it('deletes with the latest receipt handle and ignores a stale one', () => {
    const { clock, queue } = setup();
    queue.send('a');
    const [first] = queue.receive();
    clock.advance(30_000);
    const [second] = queue.receive();
    if (!first || !second) throw new Error('expected two deliveries');
    queue.delete(first.receiptHandle);
    expect(queue.depth()).toBe(1);
    queue.delete(second.receiptHandle);
    expect(queue.depth()).toBe(0);
    queue.delete(second.receiptHandle);
    expect(queue.depth()).toBe(0);
  });

  it('changes the visibility of an in-flight message only', () => {
    const { clock, queue } = setup();
    queue.send('a');
    const [message] = queue.receive();
    if (!message) throw new Error('expected a delivery');
    queue.changeVisibility(message.receiptHandle, 120);
    clock.advance(60_000);
    expect(queue.receive()).toEqual([]);
    queue.changeVisibility(message.receiptHandle, 0);
    const [again] = queue.receive();
    expect(again?.attributes.ApproximateReceiveCount).toBe('2');
    expect(() => queue.changeVisibility(message.receiptHandle, 10)).toThrow(/MessageNotInflight/);
  });

  it('moves a message to the dead-letter queue instead of delivering it more than maxReceiveCount times', () => {
    const { clock, queue, dlq } = setup({ maxReceiveCount: 2 });
    const id = queue.send('poison');
    expect(queue.receive()).toHaveLength(1);
    clock.advance(30_000);
    expect(queue.receive()).toHaveLength(1);
    clock.advance(30_000);
    expect(queue.receive()).toEqual([]);
    expect(queue.depth()).toBe(0);
    const [dead] = dlq.receive();
    expect(dead).toMatchObject({
      messageId: id,
      body: 'poison',
      attributes: { SentTimestamp: String(T0), DeadLetterQueueSourceArn: queue.arn },
    });
  });

  it('rejects what SQS rejects', () => {
    const { queue } = setup();
    expect(() => queue.send('a', { delaySeconds: 901 })).toThrow(/delaySeconds/);
    expect(() => queue.receive(11)).toThrow(/maxMessages/);
    expect(() => queue.receive(1, 43_201)).toThrow(/visibilityTimeoutSeconds/);
    expect(() => setup({ maxReceiveCount: 0 })).toThrow(/maxReceiveCount/);
  });
});

describe('QueuePoller', () => {
  const pollers: QueuePoller[] = [];
  afterEach(async () => {
    await Promise.all(pollers.splice(0).map((poller) => poller.stop()));
  });

  function poll(queue: InMemoryQueue, handler: SqsLambdaHandler, options: { batchSize?: number } = {}) {
    const log: string[] = [];
    const poller = new QueuePoller({
      queue,
      handler,
      functionName: 'orders-worker',
      log: (line) => log.push(line),
      ...options,
    });
    pollers.push(poller);
    poller.start();
    return { poller, log };
  }

  it('invokes the handler with records shaped like SQS event records and deletes them', async () => {
    const { queue } = setup();
    const events: SQSEvent[] = [];
    const { poller } = poll(queue, async (event, context) => {
      expect(context.functionName).toBe('orders-worker');
      events.push(event);
    });
    const id = queue.send('{"orderId":"o-1"}');
    await poller.drain();
    const record = events[0]?.Records[0];
    expect(record).toEqual<SQSRecord>({
      messageId: id,
      receiptHandle: expect.any(String),
      body: '{"orderId":"o-1"}',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(T0),
        SenderId: expect.any(String),
        ApproximateFirstReceiveTimestamp: String(T0),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update('{"orderId":"o-1"}').digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:orders',
      awsRegion: 'us-east-1',
    });
    expect(queue.depth()).toBe(0);
  });

  it('batches up to batchSize records', async () => {
    const { queue } = setup();
    const batches: string[][] = [];
    for (const body of ['a', 'b', 'c', 'd', 'e']) queue.send(body);
    const { poller } = poll(
      queue,
      async (event) => {
        batches.push(event.Records.map((r) => r.body));
      },
      { batchSize: 2 },
    );
    await poller.drain();
    expect(batches).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('keeps only the reported batch item failures, which return after the visibility timeout', async () => {
    const { clock, queue } = setup();
    const seen: string[][] = [];
    const { poller } = poll(queue, async (event): Promise<SQSBatchResponse> => {
      seen.push(event.Records.map((r) => `${r.body}#${r.attributes.ApproximateReceiveCount}`));
      const failures = event.Records.filter(
        (r) => r.body === 'b' && r.attributes.ApproximateReceiveCount === '1',
      );
      return { batchItemFailures: failures.map((r) => ({ itemIdentifier: r.messageId })) };
    });
    for (const body of ['a', 'b', 'c']) queue.send(body);
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    expect(queue.depth()).toBe(1);
    clock.advance(30_000);
    await poller.drain();
    expect(seen).toEqual([['a#1', 'b#1', 'c#1'], ['b#2']]);
  });

  it('retries the whole batch when the handler throws, and redelivers as real time flows', async () => {
    const { queue, elapse } = setup();
    let calls = 0;
    const { poller, log } = poll(queue, async () => {
      calls += 1;
      if (calls === 1) throw new Error('core banking unavailable');
    });
    queue.send('a');
    queue.send('b');
    await vi.waitFor(() => expect(calls).toBe(1));
    expect(queue.depth()).toBe(2);
    // No clock event: only the poller's own timer can notice that the timeout ran out.
    elapse(30_000);
    await poller.drain();
    expect(calls).toBe(2);
    expect(log).toEqual([
      'orders-worker: batch of 2 from orders failed, retried after the visibility timeout: Error: core banking unavailable',
    ]);
  });

  it('treats an unknown itemIdentifier as a failure of the whole batch, as Lambda does', async () => {
    const { clock, queue } = setup();
    const bodies: string[] = [];
    const { poller, log } = poll(queue, async (event) => {
      bodies.push(...event.Records.map((r) => r.body));
      return bodies.length === 2
        ? { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] }
        : undefined;
    });
    queue.send('a');
    queue.send('b');
    await vi.waitFor(() => expect(bodies).toHaveLength(2));
    clock.advance(30_000);
    await poller.drain();
    expect(bodies).toEqual(['a', 'b', 'a', 'b']);
    expect(log[0]).toMatch(/invalid batchItemFailures/);
  });

  it('sends a message that keeps failing to the dead-letter queue after maxReceiveCount', async () => {
    const { clock, queue, dlq } = setup({ maxReceiveCount: 3 });
    let calls = 0;
    const { poller } = poll(queue, async () => {
      calls += 1;
      throw new Error('always fails');
    });
    queue.send('poison');
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await vi.waitFor(() => expect(calls).toBe(attempt));
      clock.advance(30_000);
    }
    await poller.drain();
    expect(calls).toBe(3);
    expect(dlq.depth()).toBe(1);
  });

  it('stops after the batch in flight and fails a pending drain', async () => {
    const { queue } = setup();
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = false;
    let finished = false;
    const { poller } = poll(queue, async () => {
      started = true;
      await released;
      finished = true;
      throw new Error('fails, so the queue is not empty when the poller stops');
    });
    queue.send('a');
    await vi.waitFor(() => expect(started).toBe(true));
    // Settled into a value at once, so the rejection is never unhandled while stop() runs.
    const drained = poller.drain().then(
      () => 'drained',
      (error: Error) => error.message,
    );
    const stopped = poller.stop();
    release();
    await stopped;
    expect(finished).toBe(true);
    expect(await drained).toMatch(/stopped before the queue drained/);
    await expect(poller.drain()).rejects.toThrow(/start the poller/);
  });
});
