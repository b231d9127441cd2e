import { createHmac } from 'node:crypto';
import type { Secrets } from '../ports/secrets.js';

/**
 * Keyed digests of personal identifiers (resident ID and mobile numbers). The same number
 * always gives the same digest, so repeat applicants and blacklist entries can be matched
 * without storing the number; without the key the digest cannot be brute-forced from the
 * small space of valid ID numbers.
 */
export async function personalDataDigester(secrets: Secrets): Promise<(value: string) => string> {
  const key = await secrets.get('personalDataDigestKey');
  return (value: string) => createHmac('sha256', key).update(value.trim().toUpperCase()).digest('hex');
}
