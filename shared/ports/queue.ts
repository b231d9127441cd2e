/** A message queue with at-least-once delivery (SQS semantics): consumers must be idempotent. */
export interface MessageQueue {
  send(body: string): Promise<void>;
}
