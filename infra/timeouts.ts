import { Duration } from 'aws-cdk-lib';

/**
 * Lambda timeouts, shared by both stacks because a queue's visibility timeout is derived
 * from its consumer's timeout.
 */
export const FUNCTION_TIMEOUTS = {
  /** API Gateway gives up after 29 s; a request that needs longer is a bug. */
  api: Duration.seconds(10),
  /** Below the workflow's 30 s task timeout, so a slow stage fails as a retryable Lambda error. */
  workflowStage: Duration.seconds(25),
  /** Queue and stream consumers: a batch of up to 10 records, each with a 5 s partner timeout. */
  consumer: Duration.seconds(30),
  /** The nightly post-loan job walks every active loan. */
  postLoan: Duration.minutes(10),
} as const;

/**
 * AWS's guidance for Lambda SQS consumers: a visibility timeout of six times the function's
 * timeout, so a message is not redelivered while a throttled or retried batch still holds it.
 */
export const CONSUMER_QUEUE_VISIBILITY = Duration.seconds(FUNCTION_TIMEOUTS.consumer.toSeconds() * 6);
