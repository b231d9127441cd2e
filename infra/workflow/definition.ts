import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import {
  Choice,
  Condition,
  DefinitionBody,
  type DefinitionBody as DefinitionBodyType,
  Fail,
  IntegrationPattern,
  JsonPath,
  Succeed,
  TaskInput,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke, SqsSendMessage } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { WAITS } from '../../shared/domain/policy/waits.js';
import { NON_RETRYABLE_ERRORS, type WorkflowStage } from './stages.js';

export interface ApplyToDisburseProps {
  stageFunctions: Record<WorkflowStage, IFunction>;
  disbursementQueue: IQueue;
}

const applicationId = { applicationId: JsonPath.stringAt('$.applicationId') };

/**
 * Apply-to-disburse, as a chain of states (JSONPath, so the local interpreter runs the same
 * definition): CollectData -> VerifyIdentity -> Screen -> Score -> PriceAndLimit -> Decide,
 * then REFER waits for an officer, APPROVE waits for the customer's acceptance and signature,
 * Disburse waits for the worker's report, Activate books the loan. Every task retries
 * transient errors and catches the rest into RecordFailure; every wait has a timeout that
 * ends in ExpireApplication.
 */
export function applyToDisburseDefinition(
  parent: Construct,
  props: ApplyToDisburseProps,
): DefinitionBodyType {
  const fns = props.stageFunctions;
  // States are constructs; a scope of their own keeps their ids apart from the functions'.
  const scope = new Construct(parent, 'States');

  const failed = new Fail(scope, 'ApplicationFailed', {
    error: 'ApplicationFailed',
    cause: "See the application's failure record",
  });
  const recordFailure = new LambdaInvoke(scope, 'RecordFailure', {
    lambdaFunction: fns.RecordFailure,
    payload: TaskInput.fromObject({ ...applicationId, error: JsonPath.objectAt('$.error') }),
    payloadResponseOnly: true,
    resultPath: JsonPath.DISCARD,
    taskTimeout: Timeout.duration(Duration.seconds(30)),
  });
  recordFailure.addRetry({
    errors: ['States.ALL'],
    interval: Duration.seconds(2),
    maxAttempts: 5,
    backoffRate: 2,
  });
  recordFailure.addCatch(failed, { resultPath: '$.recordFailureError' });
  recordFailure.next(failed);

  const guard = <T extends LambdaInvoke | SqsSendMessage>(task: T): T => {
    task.addRetry({ errors: [...NON_RETRYABLE_ERRORS, 'States.Timeout'], maxAttempts: 0 });
    task.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(1), maxAttempts: 3, backoffRate: 2 });
    return task;
  };
  const catchAll = <T extends LambdaInvoke | SqsSendMessage>(task: T): T => {
    task.addCatch(recordFailure, { errors: ['States.ALL'], resultPath: '$.error' });
    return task;
  };

  const stage = (name: WorkflowStage, resultPath: string = JsonPath.DISCARD) =>
    catchAll(
      guard(
        new LambdaInvoke(scope, name, {
          lambdaFunction: fns[name],
          payload: TaskInput.fromObject(applicationId),
          payloadResponseOnly: true,
          resultPath,
          taskTimeout: Timeout.duration(Duration.seconds(30)),
        }),
      ),
    );

  const expired = new Succeed(scope, 'Expired', {
    comment: 'A person did not act in time; the application is EXPIRED.',
  });
  const expire = (kind: 'REVIEW' | 'OFFER' | 'SIGNATURE', stateName: string) =>
    catchAll(
      guard(
        new LambdaInvoke(scope, stateName, {
          lambdaFunction: fns.ExpireApplication,
          payload: TaskInput.fromObject({ ...applicationId, stage: kind }),
          payloadResponseOnly: true,
          resultPath: JsonPath.DISCARD,
          taskTimeout: Timeout.duration(Duration.seconds(30)),
        }),
      ),
    ).next(expired);

  /** A Lambda stage that records the task token and leaves the workflow paused until a person acts. */
  const waitFor = (
    name: WorkflowStage,
    kind: 'REVIEW' | 'OFFER' | 'SIGNATURE',
    seconds: number,
    resultPath: string,
  ) => {
    const task = new LambdaInvoke(scope, name, {
      lambdaFunction: fns[name],
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: TaskInput.fromObject({ ...applicationId, taskToken: JsonPath.taskToken }),
      resultPath,
      taskTimeout: Timeout.duration(Duration.seconds(seconds)),
    });
    guard(task);
    task.addCatch(expire(kind, `Expire${kind.charAt(0)}${kind.slice(1).toLowerCase()}`), {
      errors: ['States.Timeout'],
      resultPath: '$.error',
    });
    return catchAll(task);
  };

  const declined = new Succeed(scope, 'Declined');
  const disbursed = new Succeed(scope, 'Disbursed');

  const activate = catchAll(
    guard(
      new LambdaInvoke(scope, 'Activate', {
        lambdaFunction: fns.Activate,
        payload: TaskInput.fromObject({
          ...applicationId,
          disbursement: JsonPath.objectAt('$.disbursement'),
        }),
        payloadResponseOnly: true,
        resultPath: '$.booked',
        taskTimeout: Timeout.duration(Duration.seconds(30)),
      }),
    ),
  ).next(disbursed);

  const disburse = catchAll(
    guard(
      new SqsSendMessage(scope, 'Disburse', {
        queue: props.disbursementQueue,
        integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        messageBody: TaskInput.fromObject({ ...applicationId, taskToken: JsonPath.taskToken }),
        resultPath: '$.disbursement',
        taskTimeout: Timeout.duration(Duration.seconds(WAITS.DISBURSEMENT.seconds)),
      }),
    ),
  ).next(activate);

  const offerToDisbursement = waitFor('MakeOffer', 'OFFER', WAITS.OFFER.seconds, JsonPath.DISCARD)
    .next(waitFor('RequestSignature', 'SIGNATURE', WAITS.SIGNATURE.seconds, JsonPath.DISCARD))
    .next(disburse);

  const review = waitFor('RequestReview', 'REVIEW', WAITS.REVIEW.seconds, '$.review').next(
    new Choice(scope, 'ReviewOutcome')
      .when(Condition.stringEquals('$.review.outcome', 'APPROVE'), offerToDisbursement)
      .otherwise(declined),
  );

  const chain = stage('CollectData')
    .next(stage('VerifyIdentity'))
    .next(stage('Screen'))
    .next(stage('Score'))
    .next(stage('PriceAndLimit'))
    .next(stage('Decide', '$.decision'))
    .next(
      new Choice(scope, 'DecisionOutcome')
        .when(Condition.stringEquals('$.decision.outcome', 'APPROVE'), offerToDisbursement)
        .when(Condition.stringEquals('$.decision.outcome', 'REFER'), review)
        .otherwise(declined),
    );
  return DefinitionBody.fromChainable(chain);
}
