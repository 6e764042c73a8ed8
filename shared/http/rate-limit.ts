import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from 'aws-lambda';
import { readUser, upsertUser } from '../db/account-store';
import { countRequest, openWindow, type WindowCount } from '../db/rate-limit-store';
import { plans } from '../domain/plans';
import { DomainError } from '../core/errors';
import { logger } from '../core/logger';
import { identityOf } from './identity';
import type { RouteDef } from './routes';

type Event = APIGatewayProxyEventV2WithJWTAuthorizer;

const WINDOW_SECONDS = 60;
/** Windows outlive their minute a little, for the TTL sweep (which runs late anyway). */
const WINDOW_TTL_SECONDS = 5 * 60;

interface Verdict extends WindowCount {
  resetSeconds: number;
}
const verdicts = new WeakMap<Event, Verdict>();

/**
 * Per-user rate limit of every authenticated route: a fixed one-minute window counted in DynamoDB
 * (rate-limit-store.ts). Steady state is one UpdateItem per request; a window's first request also
 * reads the user item for the tier (a plan change applies from the next window) and, on a route
 * that may write, creates the user item when Clerk's webhook has not yet. Over the limit → 429
 * RATE_LIMITED. If the counter cannot be reached the request is let through (fail open: the
 * stage throttle still bounds the API) and the failure is logged.
 */
export const rateLimiter = (route: RouteDef, table: string | undefined): MiddlewareObj<Event> => ({
  before: async ({ event }) => {
    if (route.auth !== 'jwt' || !table) return;
    // Per user, whether the request came with a JWT or with one of the user's API keys.
    const { userId } = identityOf(event);
    const nowSeconds = Math.floor(Date.now() / 1000);
    const windowStart = nowSeconds - (nowSeconds % WINDOW_SECONDS);
    let counted: WindowCount | undefined;
    try {
      counted = await countRequest(table, userId, windowStart);
      if (!counted) {
        const user = await readUser(table, userId);
        if (!user.exists && route.access.table === 'readwrite') await upsertUser(table, userId, new Date().toISOString());
        counted = await openWindow(table, userId, windowStart, plans[user.tier].requestsPerMinute, windowStart + WINDOW_TTL_SECONDS);
      }
    } catch (error) {
      logger.warn('rate limiter unavailable; request let through', { error });
      return;
    }
    const verdict = { ...counted, resetSeconds: windowStart + WINDOW_SECONDS - nowSeconds };
    verdicts.set(event, verdict);
    if (!verdict.allowed) {
      throw new DomainError('RATE_LIMITED', `More than ${verdict.limit} requests in a minute; try again in ${verdict.resetSeconds} s`, {
        limit: verdict.limit,
        retryAfterSeconds: verdict.resetSeconds,
      });
    }
  },
});

/** `RateLimit-Limit/Remaining/Reset` on every counted response, `Retry-After` on a 429. */
export const rateLimitHeaders = (): MiddlewareObj<Event, APIGatewayProxyResultV2> => {
  const decorate = ({ event, response }: { event: Event; response: APIGatewayProxyResultV2 | undefined | null }) => {
    const verdict = verdicts.get(event);
    if (!verdict || !response || typeof response !== 'object') return;
    response.headers = {
      ...response.headers,
      'RateLimit-Limit': String(verdict.limit),
      'RateLimit-Remaining': String(Math.max(0, verdict.limit - verdict.count)),
      'RateLimit-Reset': String(verdict.resetSeconds),
      ...(!verdict.allowed && { 'Retry-After': String(verdict.resetSeconds) }),
    };
  };
  return { after: decorate, onError: decorate };
};
