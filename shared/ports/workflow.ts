/** The apply-to-disburse state machine, as the services see it. */
export interface Workflow {
  /** Starts the execution named `name`; starting the same name again is a no-op (Standard workflows dedupe by name). */
  start(name: string, input: Record<string, unknown>): Promise<void>;
  /** Resumes a paused `.waitForTaskToken` state. Resolves false if the token is no longer waiting. */
  sendTaskSuccess(token: string, output: Record<string, unknown>): Promise<boolean>;
  sendTaskFailure(token: string, error: string, cause: string): Promise<boolean>;
}
