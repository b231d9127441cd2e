import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { MessageQueue } from '../../ports/queue.js';
import { traced } from './traced.js';

export class SqsQueue implements MessageQueue {
  constructor(
    private readonly queueUrl: string,
    private readonly client = traced(new SQSClient({})),
  ) {}

  async send(body: string): Promise<void> {
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: body }));
  }
}
