import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { bearerAuthenticator } from '../../shared/auth/bearer';
import { readConfig } from '../../shared/core/config';
import type { AuthorizerContext } from '../../shared/http/identity';

const authenticate = bearerAuthenticator(readConfig(['TABLE_NAME', 'JWT_ISSUER', 'JWT_AUDIENCE', 'JWT_JWKS_URL']));

/**
 * The HTTP API's bearer authorizer (simple responses). An unknown, revoked, expired or malformed
 * token throws `Unauthorized`, which API Gateway answers with 401 (isAuthorized: false would be a
 * 403); a valid one allows the request and hands the route the identity as context.
 */
export async function handler(
  event: APIGatewayRequestAuthorizerEventV2,
): Promise<APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>> {
  const authorization = event.headers?.authorization ?? event.identitySource?.[0];
  const context = await authenticate(authorization);
  if (!context) throw new Error('Unauthorized');
  return { isAuthorized: true, context };
}
