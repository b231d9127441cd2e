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

export function expiryAfter(from: Date, wait: { seconds: number }): string {
  return new Date(from.getTime() + wait.seconds * 1000).toISOString();
}
