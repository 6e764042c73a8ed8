import { apiKeyScopes, type ApiKeyScope } from '../schemas/vocabulary';

/**
 * Who is calling, from whichever authorizer guarded the route: API Gateway's JWT authorizer
 * (`requestContext.authorizer.jwt.claims`) or the bearer Lambda authorizer, which accepts a Clerk
 * JWT or an API key (`requestContext.authorizer.lambda`, the context it returned).
 */
export type AuthType = 'jwt' | 'apiKey';

/** What the bearer authorizer hands the route: strings only, as every authorizer payload format allows. */
export interface AuthorizerContext {
  userId: string;
  authType: AuthType;
  /** Space-separated scopes of an API key; empty for a JWT. */
  scopes: string;
  /** The API key's id; empty for a JWT. */
  keyId: string;
  /** The JWT's `azp` claim, checked by the handler against AUTH_AUTHORIZED_PARTIES; empty for a key. */
  azp: string;
}

export interface Identity {
  userId: string;
  authType: AuthType;
  /** What an API key may do; a JWT is the creator and is not limited by scopes. */
  scopes: ApiKeyScope[];
  /** The token's claims (JWT); an API key carries none beyond its user. */
  claims: Record<string, unknown>;
}

interface AuthorizerShape {
  jwt?: { claims?: Record<string, unknown> };
  lambda?: Partial<AuthorizerContext>;
}

export function identityOf(event: { requestContext?: { authorizer?: unknown } }): Identity {
  const authorizer = (event.requestContext?.authorizer ?? {}) as AuthorizerShape;
  const context = authorizer.lambda;
  if (context) {
    const userId = String(context.userId ?? '');
    if (context.authType === 'apiKey') {
      const scopes = String(context.scopes ?? '')
        .split(' ')
        .filter((scope): scope is ApiKeyScope => (apiKeyScopes as readonly string[]).includes(scope));
      return { userId, authType: 'apiKey', scopes, claims: { sub: userId } };
    }
    return { userId, authType: 'jwt', scopes: [], claims: { sub: userId, ...(context.azp && { azp: context.azp }) } };
  }
  const claims = authorizer.jwt?.claims ?? {};
  return { userId: typeof claims.sub === 'string' ? claims.sub : '', authType: 'jwt', scopes: [], claims };
}
