import { ArnFormat, Aws, Fn, Stack } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { problemType } from '../../shared/http/problem.js';
import type { StagePolicy } from '../stage-policy.js';

export interface ApiFirewallProps {
  /** The API Gateway stage the web ACL guards. */
  stage: Stage;
  /** Names the web ACL and its metrics: `fast-loan-<stage>`. */
  name: string;
  policy: StagePolicy;
  /** The rate-based rule's limit: requests one client IP may send in 5 minutes. */
  requestsPerIpPer5Minutes: number;
  /** A web ACL the bank manages itself: associated instead of making one. */
  webAclArn?: string;
}

/**
 * AWS managed rule groups the web ACL runs after the per-IP rate rule, in this order, each
 * blocking what it matches. Capacity: 25 + 700 + 200 WCU, with the rate rule well under
 * the 1,500 a web ACL includes in its base price.
 */
export const MANAGED_RULE_GROUPS = [
  // IP addresses Amazon threat intelligence has seen in bots, scanners and attacks.
  'AWSManagedRulesAmazonIpReputationList',
  // OWASP Top 10 style checks on the URI, query, headers and body. It blocks bodies over
  // 8 KB (SizeRestrictions_BODY, answered 413 below): the largest the route table's schemas
  // accept are about 3 KB (a 36-month partner push, a review comment of 1,000 Chinese characters).
  'AWSManagedRulesCommonRuleSet',
  // Request patterns of known exploits (Log4j lookups, Java deserialization, host header tricks).
  'AWSManagedRulesKnownBadInputsRuleSet',
] as const;

/** A WAF custom response body in the shape of the API's own problems (shared/http/problem.ts). */
const problemBody = (
  status: number,
  title: string,
  detail: string,
): CfnWebACL.CustomResponseBodyProperty => ({
  contentType: 'APPLICATION_JSON',
  content: JSON.stringify({ type: problemType(title), title, status, detail }),
});

/**
 * Managed rules whose block answers a more exact status than WAF's 403: an oversized body
 * gets the 413 the handlers give one over their own 16 KiB limit (shared/http/middleware.ts).
 */
const RULE_ACTION_OVERRIDES: Partial<
  Record<(typeof MANAGED_RULE_GROUPS)[number], CfnWebACL.RuleActionOverrideProperty[]>
> = {
  AWSManagedRulesCommonRuleSet: [
    {
      name: 'SizeRestrictions_BODY',
      actionToUse: {
        block: { customResponse: { responseCode: 413, customResponseBodyKey: 'payloadTooLarge' } },
      },
    },
  ],
};

/**
 * The stage's AWS WAF web ACL: a rate-based rule per client IP, then AWS managed rule
 * groups; what is not blocked is allowed. Every rule publishes CloudWatch metrics and
 * sampled requests, and the requests a rule blocked or counted are logged to CloudWatch Logs
 * (allowed ones are already in the API's access log) with the Authorization header redacted.
 */
export class ApiFirewall extends Construct {
  /** The web ACL the stage is associated with: the one made here, or the bank's own. */
  readonly webAclArn: string;
  readonly webAcl?: CfnWebACL;
  readonly association: CfnWebACLAssociation;

  constructor(scope: Construct, id: string, props: ApiFirewallProps) {
    super(scope, id);
    if (props.webAclArn) {
      this.webAclArn = props.webAclArn;
    } else {
      this.webAcl = this.makeWebAcl(props);
      this.webAclArn = this.webAcl.attrArn;
    }
    // The stage ARN refers to the stage resource, so the association waits for the stage.
    this.association = new CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.stage.stageArn,
      webAclArn: this.webAclArn,
    });
  }

  private makeWebAcl({ name, policy, requestsPerIpPer5Minutes }: ApiFirewallProps): CfnWebACL {
    const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });
    const webAcl = new CfnWebACL(this, 'WebAcl', {
      name,
      description: `${name}: per-IP rate limit and AWS managed rules in front of the API stage`,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(name),
      customResponseBodies: {
        // Like the API's own 429 gateway response.
        rateLimited: problemBody(
          429,
          'Too many requests',
          `More than ${requestsPerIpPer5Minutes} requests from this address in 5 minutes; slow down and retry.`,
        ),
        payloadTooLarge: problemBody(413, 'Payload too large', 'the body must be at most 8192 bytes'),
      },
      rules: [
        {
          // First, so it counts every request, including those a managed rule would block.
          name: 'RateLimitPerIp',
          priority: 0,
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'IP',
              limit: requestsPerIpPer5Minutes,
              evaluationWindowSec: 300,
            },
          },
          action: {
            block: {
              customResponse: {
                responseCode: 429,
                customResponseBodyKey: 'rateLimited',
                // WAF lifts the block once the address's rate over the window falls below the limit.
                responseHeaders: [{ name: 'Retry-After', value: '60' }],
              },
            },
          },
          visibilityConfig: visibility(`${name}-rate-limit-per-ip`),
        },
        ...MANAGED_RULE_GROUPS.map((group, index) => ({
          name: group,
          priority: index + 1,
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name: group,
              ruleActionOverrides: RULE_ACTION_OVERRIDES[group],
            },
          },
          overrideAction: { none: {} },
          visibilityConfig: visibility(`${name}-${group}`),
        })),
      ],
    });

    // WAF delivers only to log groups named aws-waf-logs-*. The stack id's unique part keeps
    // a log group retained by a deleted stack from blocking the next deployment.
    const logGroup = new LogGroup(this, 'Logs', {
      logGroupName: Fn.join('-', [`aws-waf-logs-${name}`, Fn.select(2, Fn.split('/', Aws.STACK_ID))]),
      retention: policy.logRetention,
      removalPolicy: policy.removalPolicy,
    });
    new CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: webAcl.attrArn,
      // The ARN WAF expects, without the ":*" that the log group's Arn attribute ends with.
      logDestinationConfigs: [
        Stack.of(this).formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: logGroup.logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      // A bearer token is a credential. What stays is what shows who was blocked and why: the
      // client IP and country, the URI and query (ids and dates), the other headers, and the
      // rule; WAF never logs bodies, where the personal data is.
      redactedFields: [{ singleHeader: { Name: 'authorization' } }],
      loggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: [
          {
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            Conditions: ['BLOCK', 'COUNT', 'EXCLUDED_AS_COUNT'].map((action) => ({
              ActionCondition: { Action: action },
            })),
          },
        ],
      },
    });
    return webAcl;
  }
}
