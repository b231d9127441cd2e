import { App, Stack } from 'aws-cdk-lib';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { type CfnStateMachine, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { applyToDisburseDefinition } from '../infra/workflow/definition.js';
import { WORKFLOW_STAGE_NAMES } from '../infra/workflow/stages.js';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../shared/adapters/local/lambda-context.js';

export const LOCAL_DISBURSEMENT_QUEUE = 'disbursement';

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': LOCAL_REGION,
  'AWS::AccountId': LOCAL_ACCOUNT_ID,
  'AWS::URLSuffix': 'amazonaws.com',
};

/** Resolves the few intrinsics a rendered definition holds (Fn::Join of strings and pseudo-parameter Refs). */
function resolveIntrinsics(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    if (join) return join[1].map(resolveIntrinsics).join(join[0]);
    const ref = (value as { Ref?: string }).Ref;
    if (ref && PSEUDO[ref]) return PSEUDO[ref];
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)} in the rendered state machine`);
}

/**
 * The apply-to-disburse definition in Amazon States Language, rendered from the same CDK
 * chain the deployed stack uses. Functions and the queue are imported by name (no bundling),
 * so each Task's resource names the stage it runs.
 */
export function renderApplyToDisburse(): Record<string, unknown> {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'LocalRender', { env: { account: LOCAL_ACCOUNT_ID, region: LOCAL_REGION } });
  const stageFunctions = Object.fromEntries(
    WORKFLOW_STAGE_NAMES.map((name) => [
      name,
      LambdaFunction.fromFunctionArn(
        stack,
        name,
        `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${name}`,
      ),
    ]),
  ) as Parameters<typeof applyToDisburseDefinition>[1]['stageFunctions'];
  const disbursementQueue = Queue.fromQueueArn(
    stack,
    'DisbursementQueue',
    `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:${LOCAL_DISBURSEMENT_QUEUE}`,
  );
  const machine = new StateMachine(stack, 'ApplyToDisburse', {
    definitionBody: applyToDisburseDefinition(stack, { stageFunctions, disbursementQueue }),
  });
  const cfn = machine.node.defaultChild as CfnStateMachine;
  return JSON.parse(resolveIntrinsics(stack.resolve(cfn.definitionString))) as Record<string, unknown>;
}
