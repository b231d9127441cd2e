/** Named secrets (webhook signing keys, the personal-data digest key), resolved once and cached. */
export interface Secrets {
  get(name: 'personalDataDigestKey' | 'partnerWebhookSecret'): Promise<string>;
}
