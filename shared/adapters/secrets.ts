import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import type { Secrets } from '../ports/secrets.js';

/** For each secret: the variable holding its Secrets Manager ARN (AWS) and the one holding the value (local). */
const VARIABLES = {
  personalDataDigestKey: { arn: 'PERSONAL_DATA_DIGEST_KEY_SECRET_ARN', value: 'PERSONAL_DATA_DIGEST_KEY' },
  partnerWebhookSecret: { arn: 'PARTNER_WEBHOOK_SECRET_ARN', value: 'PARTNER_WEBHOOK_SECRET' },
} as const;

/**
 * In AWS a secret lives in Secrets Manager and the function gets its ARN (fetched on first
 * use, cached by Powertools for 5 minutes); the local runtime passes the value itself.
 */
export class EnvironmentSecrets implements Secrets {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async get(name: keyof typeof VARIABLES): Promise<string> {
    const { arn, value } = VARIABLES[name];
    const secretArn = this.env[arn];
    const secret = secretArn ? await getSecret(secretArn, { maxAge: 300 }) : this.env[value];
    if (typeof secret !== 'string' || secret === '') {
      throw new Error(`secret ${name} is not configured: set ${arn} (or ${value} locally)`);
    }
    return secret;
  }
}
