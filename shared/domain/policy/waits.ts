/**
 * How long the workflow waits for people. The state machine's TimeoutSeconds and the expiry
 * shown to the customer both come from here, so they cannot drift apart.
 */
export const WAITS = {
  /** A referred case waits this long for a credit officer before it expires. */
  REVIEW: { seconds: 3 * 24 * 3600 },
  /** An offer is open for acceptance this long. */
  OFFER: { seconds: 7 * 24 * 3600 },
  /** The contract waits this long for the e-signature callback. */
  SIGNATURE: { seconds: 7 * 24 * 3600 },
  /** The disbursement worker must report back within this time, or the case goes to operations. */
  DISBURSEMENT: { seconds: 3600 },
} as const;

/**
 * The deadline shown to people ends this long before the workflow's own timeout. The
 * timeout starts when Step Functions schedules the task, a little before the task's Lambda
 * computes the deadline; the margin guarantees that an action accepted at the deadline
 * reaches the workflow before its timeout fires.
 */
export const DEADLINE_SAFETY_MARGIN_SECONDS = 300;

export function expiryAfter(from: Date, wait: { seconds: number }): string {
  return new Date(from.getTime() + (wait.seconds - DEADLINE_SAFETY_MARGIN_SECONDS) * 1000).toISOString();
}
