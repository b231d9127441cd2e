/** Named secrets (webhook signing keys, the personal-data digest key), resolved once and cached. */
export interface Secrets {
  get(name: 'personalDataDigestKey' | 'partnerWebhookSecret'): Promise<string>;
  /**
   * The Standard Webhooks secret ("whsec_...") one partner platform signs its pushes with, or
   * undefined for a partner the deployment does not know. One secret per partner, so a
   * partner can be revoked or re-keyed alone.
   */
  partnerPushSecret(partnerId: string): Promise<string | undefined>;
}
