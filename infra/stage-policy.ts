import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

export interface StagePolicy {
  /** Anything but `dev` keeps its data when a stack or resource is deleted. */
  retain: boolean;
  removalPolicy: RemovalPolicy;
  logRetention: RetentionDays;
}

/**
 * What a stage keeps. Outside `dev`, tables, keys, queues, secrets, user pools and logs
 * survive a stack deletion, and logs are kept a year: the Cybersecurity Law of the PRC
 * (art. 21) asks for network logs to be kept at least six months.
 */
export function stagePolicy(stage: string): StagePolicy {
  const retain = stage !== 'dev';
  return {
    retain,
    removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    logRetention: retain ? RetentionDays.ONE_YEAR : RetentionDays.ONE_MONTH,
  };
}
