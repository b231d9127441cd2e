import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import * as z from 'zod';
import { acknowledgeNagFindings } from './nag-suppressions.js';
import { DataStack } from './stacks/data-stack.js';
import { ServiceStack } from './stacks/service-stack.js';

/** Context values arrive as strings from `cdk -c key=value`; an empty string means "not set". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

/** An API Gateway throttle written `rate/burst`: requests per second, then the burst above it (`10/20`). */
const throttle = z
  .string()
  .regex(/^\d+(\.\d+)?\/\d+$/, 'a throttle is "rate/burst": requests per second, then the burst, e.g. 10/20')
  .transform((value) => {
    const [rate, burst] = value.split('/');
    return { rateLimit: Number(rate), burstLimit: Number(burst) };
  })
  .refine(
    ({ rateLimit, burstLimit }) => rateLimit > 0 && burstLimit > 0,
    'a throttle of 0 would refuse every request',
  );

export const DeployContextSchema = z
  .object({
    /** Names the stacks and the API stage. Only `dev` may destroy data on delete. */
    stage: z
      .string()
      .regex(/^[a-z][a-z0-9]{1,11}$/, 'a stage is 2-12 lowercase letters or digits, starting with a letter')
      .default('dev'),
    oidcIssuer: optional(z.url({ protocol: /^https$/ })),
    /** Where the IdP publishes its keys, when not at `<issuer>/.well-known/jwks.json` (Keycloak, Azure AD, Okta). */
    oidcJwksUri: optional(z.url({ protocol: /^https$/ })),
    oidcAudience: optional(z.string().min(1)),
    roleClaim: optional(z.string().min(1)),
    usccClaim: optional(z.string().min(1)),
    partnerWebhookUrl: optional(z.url({ protocol: /^https$/ })),
    /**
     * The partner platforms that may push data (POST /v1/partner-data/{partnerId}), comma
     * separated: each gets its own Standard Webhooks secret in Secrets Manager.
     */
    partners: optional(
      z
        .string()
        .regex(
          /^[a-z0-9][a-z0-9-]{1,39}(,[a-z0-9][a-z0-9-]{1,39})*$/,
          'partners is a comma-separated list of partner ids: 2 to 40 lowercase letters, digits or -',
        ),
    ),
    alarmEmail: optional(z.email()),
    /** Per-route API Gateway throttles by route class (infra/edge-limits.ts); `read` is also the stage default. */
    throttleRead: optional(throttle),
    throttleWrite: optional(throttle),
    throttleMoneyMovement: optional(throttle),
    throttleUnauthenticated: optional(throttle),
    /** The web ACL's rate-based rule: requests one client IP may send in 5 minutes (AWS WAF accepts 10 and up). */
    wafRateLimit: optional(z.coerce.number().int().min(10).max(2_000_000_000)),
    /**
     * The bank's own regional web ACL (a Firewall Manager policy's, say) to associate with the
     * stage instead of the one the stack makes.
     */
    webAclArn: optional(
      z
        .string()
        .regex(
          /^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/.+$/,
          'webAclArn is the ARN of a REGIONAL web ACL',
        ),
    ),
    /** The functions' log level (POWERTOOLS_LOG_LEVEL): DEBUG while chasing a problem, INFO otherwise. */
    logLevel: optional(z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR'])),
    /**
     * `true` bundles the AWS SDK version the lockfile pins into every function instead of using
     * the one the Lambda runtime ships (docs/decisions/0007-the-aws-sdk-comes-from-the-runtime.md).
     */
    bundleAwsSdk: optional(z.enum(['true', 'false']).transform((value) => value === 'true')),
  })
  .refine((context) => !context.oidcIssuer === !context.oidcAudience, {
    message: 'oidcIssuer and oidcAudience come together: the bank IdP and the client id the API accepts',
    path: ['oidcAudience'],
  });
export type DeployContext = z.infer<typeof DeployContextSchema>;

const CONTEXT_KEYS = Object.keys(DeployContextSchema.shape) as (keyof DeployContext)[];

export interface FastLoanApp {
  app: App;
  data: DataStack;
  service: ServiceStack;
}

/**
 * The whole deployment: a stateful stack (table, queues, secrets) and a stateless one
 * (functions, API, state machine, alarms) that can be destroyed and redeployed freely.
 * `context` is merged with what the CDK CLI passes (cdk.json, `-c`); tests pass theirs here.
 */
export function buildApp(context: Record<string, unknown> = {}): FastLoanApp {
  const app = new App({ context });
  const config = DeployContextSchema.parse(
    Object.fromEntries(CONTEXT_KEYS.map((key) => [key, app.node.tryGetContext(key)])),
  );
  const prefix = `FastLoan-${config.stage}`;
  const data = new DataStack(app, `${prefix}-Data`, {
    stage: config.stage,
    partners: [...new Set(config.partners?.split(',') ?? [])],
    description: `Fast-loan ${config.stage}: table, queues and secrets (stateful)`,
  });
  const service = new ServiceStack(app, `${prefix}-Service`, {
    config,
    data,
    description: `Fast-loan ${config.stage}: API, functions, workflow and alarms (stateless)`,
  });
  // `cdk synth` fails on any AwsSolutions finding that is neither fixed nor acknowledged with a reason.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  acknowledgeNagFindings({ data, service });
  return { app, data, service };
}

// Run by the CDK CLI (cdk.json: `npx tsx infra/app.ts`); tests import buildApp instead.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  buildApp().app.synth();
}
