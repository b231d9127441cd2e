import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { AuthConfigSchema, bearerToken, createTokenVerifier } from '../../../shared/http/auth.js';
import { logger } from '../../../shared/lambda/observability.js';

const verify = createTokenVerifier(AuthConfigSchema.parse(process.env));

/**
 * API Gateway TOKEN authorizer. It allows the whole API for a valid token (so API Gateway may
 * cache the answer per token) and hands the subject, role and uscc to the handlers, which
 * enforce each route's roles. Throwing "Unauthorized" is API Gateway's contract for a 401.
 */
export const handler = middy<APIGatewayTokenAuthorizerEvent, APIGatewayAuthorizerResult>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const token = bearerToken(event.authorizationToken);
    if (!token) throw new Error('Unauthorized');
    let principal: Awaited<ReturnType<typeof verify>>;
    try {
      principal = await verify(token);
    } catch (error) {
      logger.info('token refused', { reason: error instanceof Error ? error.message : 'unknown' });
      throw new Error('Unauthorized');
    }
    const [arn = '', stage = '*'] = event.methodArn.split('/');
    return {
      principalId: principal.subject,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${arn}/${stage}/*/*` }],
      },
      context: { role: principal.role, uscc: principal.uscc ?? '' },
    };
  });
