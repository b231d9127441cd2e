import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type { Workflow } from '../../ports/workflow.js';
import { traced } from './traced.js';

function isStaleToken(error: unknown): boolean {
  return error instanceof TaskTimedOut || error instanceof TaskDoesNotExist || error instanceof InvalidToken;
}

export class StepFunctionsWorkflow implements Workflow {
  constructor(
    private readonly stateMachineArn: string,
    private readonly client = traced(new SFNClient({})),
  ) {}

  async start(name: string, input: Record<string, unknown>): Promise<void> {
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name,
          input: JSON.stringify(input),
        }),
      );
    } catch (error) {
      // Same name and same input is already idempotent in Standard workflows; a different input
      // under the same name means an earlier start already happened, which is what we wanted.
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }

  async sendTaskSuccess(token: string, output: Record<string, unknown>): Promise<boolean> {
    try {
      await this.client.send(
        new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }),
      );
      return true;
    } catch (error) {
      if (isStaleToken(error)) return false;
      throw error;
    }
  }

  async sendTaskFailure(token: string, error: string, cause: string): Promise<boolean> {
    try {
      await this.client.send(new SendTaskFailureCommand({ taskToken: token, error, cause }));
      return true;
    } catch (failure) {
      if (isStaleToken(failure)) return false;
      throw failure;
    }
  }
}
