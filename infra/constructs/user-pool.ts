import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StringAttribute,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { StagePolicy } from '../stage-policy.js';

/**
 * The identity provider the stack creates when the bank names none (context `oidcIssuer`):
 * users are created by administrators (no self sign-up), each with a `role` and, for an
 * enterprise user, its `uscc` (the Unified Social Credit Code). The API accepts the pool's
 * ID tokens, whose audience is the app client and which carry both custom attributes.
 */
export class FallbackUserPool extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  /** The OIDC issuer of the pool's tokens. */
  readonly issuer: string;

  constructor(scope: Construct, id: string, props: { policy: StagePolicy }) {
    super(scope, id);
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      customAttributes: {
        role: new StringAttribute({ mutable: true, minLen: 1, maxLen: 32 }),
        // GB 32100-2015: 18 characters.
        uscc: new StringAttribute({ mutable: true, minLen: 18, maxLen: 18 }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.ESSENTIALS,
      deletionProtection: props.policy.retain,
      removalPolicy: props.policy.removalPolicy,
    });
    this.client = this.userPool.addClient('AppClient', {
      authFlows: { userSrp: true },
      // The mobile app signs in with SRP; no hosted UI, no OAuth redirects.
      disableOAuth: true,
      generateSecret: false,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, phoneNumber: true })
        .withCustomAttributes('role', 'uscc'),
      // Users must not grant themselves a role or another enterprise's uscc: only
      // administrators (through the admin API) write the custom attributes.
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true, phoneNumber: true }),
    });
    const stack = Stack.of(this);
    this.issuer = `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${this.userPool.userPoolId}`;
    new CfnOutput(stack, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(stack, 'UserPoolClientId', { value: this.client.userPoolClientId });
  }
}
