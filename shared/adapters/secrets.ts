import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import type { Secrets } from '../ports/secrets.js';
import { traced } from './aws/traced.js';

/** For each secret: the variable holding its Secrets Manager ARN (AWS) and the one holding the value (local). */
const VARIABLES = {
  personalDataDigestKey: { arn: 'PERSONAL_DATA_DIGEST_KEY_SECRET_ARN', value: 'PERSONAL_DATA_DIGEST_KEY' },
  partnerWebhookSecret: { arn: 'PARTNER_WEBHOOK_SECRET_ARN', value: 'PARTNER_WEBHOOK_SECRET' },
} as const;

/**
 * Partner push secrets, one per partner id: in AWS a JSON object of Secrets Manager ARNs by
 * partner id (the stack writes it from the `partners` context), locally a JSON object of the
 * secrets themselves (`npm start` sets one for the demo partner, see docs/webhooks.md).
 */
export const PARTNER_PUSH_SECRET_VARIABLES = {
  arns: 'PARTNER_PUSH_SECRET_ARNS',
  values: 'PARTNER_PUSH_SECRETS',
} as const;

const PartnerSecretMap = z.record(z.string(), z.string().min(1));

function partnerSecretMap(env: NodeJS.ProcessEnv, variable: string): Record<string, string> {
  const raw = env[variable];
  if (!raw) return {};
  try {
    return PartnerSecretMap.parse(JSON.parse(raw));
  } catch (error) {
    // A mistyped deployment setting must fail loudly, not turn every partner away as "unsigned".
    throw new Error(`${variable} must be a JSON object of strings by partner id`, { cause: error });
  }
}

/**
 * In AWS a secret lives in Secrets Manager and the function gets its ARN (fetched on first
 * use, cached by Powertools for 5 minutes); the local runtime passes the value itself.
 */
export class EnvironmentSecrets implements Secrets {
  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    /** Reads Secrets Manager, through a client the tracer captures. */
    private readonly provider: Pick<SecretsProvider, 'get'> = new SecretsProvider({
      awsSdkV3Client: traced(new SecretsManagerClient({})),
    }),
  ) {}

  async get(name: keyof typeof VARIABLES): Promise<string> {
    const { arn, value } = VARIABLES[name];
    const secretArn = this.env[arn];
    const secret = secretArn ? await this.provider.get(secretArn, { maxAge: 300 }) : this.env[value];
    if (typeof secret !== 'string' || secret === '') {
      throw new Error(`secret ${name} is not configured: set ${arn} (or ${value} locally)`);
    }
    return secret;
  }

  async partnerPushSecret(partnerId: string): Promise<string | undefined> {
    const arns = partnerSecretMap(this.env, PARTNER_PUSH_SECRET_VARIABLES.arns);
    if (Object.hasOwn(arns, partnerId)) {
      const secret = await this.provider.get(arns[partnerId] as string, { maxAge: 300 });
      if (typeof secret !== 'string' || secret === '')
        throw new Error(`partner ${partnerId}'s secret is empty`);
      return secret;
    }
    const values = partnerSecretMap(this.env, PARTNER_PUSH_SECRET_VARIABLES.values);
    return Object.hasOwn(values, partnerId) ? values[partnerId] : undefined;
  }
}
