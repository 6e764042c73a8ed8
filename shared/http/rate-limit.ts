import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from 'aws-lambda';
import { readUser, upsertUser } from '../db/account-store';
import { countSingle, leaseBlock, openWindow, type LeaseAnswer } from '../db/rate-limit-store';
import { plans } from '../domain/plans';
import {
  blockLeft,
  blockSize,
  nextGrant,
  outstandingCap,
  remainingAfter,
  windowOf,
  WINDOW_SECONDS,
  type Allowance,
  type Block,
} from '../domain/rate-limit';
import { DomainError } from '../core/errors';
import { logger } from '../core/logger';
import { identityOf } from './identity';
import type { RouteDef } from './routes';

type Event = APIGatewayProxyEventV2WithJWTAuthorizer;

/** Windows outlive their minute a little, for the TTL sweep (which runs late anyway). */
const WINDOW_TTL_SECONDS = 5 * 60;
/** Leases refused because other containers changed the counters in between, before giving up (fail open). */
const MAX_LEASE_ATTEMPTS = 4;

export interface Verdict {
  limit: number;
  /** What this container can tell is left in the window (other containers' unspent blocks not subtracted). */
  remaining: number;
  allowed: boolean;
  resetSeconds: number;
}

/**
 * One container's share of its creators' allowances (shared/domain/rate-limit.ts has the arithmetic
 * and the bound): per creator, the block leased in the current window, spent locally; the limits
 * seen in the previous window (a guess for the first lease, checked by the table); the creators
 * whose window has nothing left (answered 429 without asking again until the window turns).
 */
export class AllowanceLeases {
  private windowStart = 0;
  private blocks = new Map<string, Block>();
  private knownLimits = new Map<string, number>();
  private exhausted = new Map<string, number>();
  private leasing = new Map<string, Promise<Block | undefined>>();

  constructor(readonly table: string) {}

  /** `limitForOpening` reads the creator's tier: only the window's first lease needs it. */
  async admit(userId: string, nowSeconds: number, limitForOpening: () => Promise<number>): Promise<Verdict> {
    const windowStart = windowOf(nowSeconds);
    if (windowStart !== this.windowStart) this.turn(windowStart);
    const resetSeconds = windowStart + WINDOW_SECONDS - nowSeconds;
    const verdict = (block: Block | undefined, allowed: boolean): Verdict => ({
      limit: block?.limit ?? this.exhausted.get(userId)!,
      remaining: allowed && block ? remainingAfter(block) : 0,
      allowed,
      resetSeconds,
    });

    if (this.exhausted.has(userId)) return verdict(undefined, false);
    const held = this.blocks.get(userId);
    if (held && blockLeft(held) > 0) {
      held.spent++;
      return verdict(held, true);
    }
    const pending = this.leasing.get(userId);
    if (pending) {
      // One lease per creator at a time in this container: the next request spends from its block.
      await pending.catch(() => undefined);
      return this.admit(userId, nowSeconds, limitForOpening);
    }
    const lease = this.lease(userId, windowStart, held, limitForOpening).finally(() => this.leasing.delete(userId));
    this.leasing.set(userId, lease);
    const block = await lease;
    return block ? verdict(block, true) : verdict(undefined, false);
  }

  /** A new block for the creator (undefined: the window has nothing left), from the one just spent. */
  private async lease(
    userId: string,
    windowStart: number,
    held: Block | undefined,
    limitForOpening: () => Promise<number>,
  ): Promise<Block | undefined> {
    const returning = held?.lent ?? 0;
    let limit = held?.limit ?? this.knownLimits.get(userId);
    let seen: Allowance | undefined;
    for (let attempt = 0; attempt < MAX_LEASE_ATTEMPTS; attempt++) {
      // Without a limit to size a block by, one request counted on its own tells it.
      const grant = limit === undefined ? { size: 1, single: true } : nextGrant(limit, returning, seen);
      if (!grant) {
        this.exhausted.set(userId, limit!);
        return undefined;
      }
      let answer: LeaseAnswer = grant.single
        ? await countSingle(this.table, userId, windowStart, returning)
        : await leaseBlock(this.table, userId, windowStart, {
            limit: limit!,
            size: grant.size,
            returning,
            lentMax: outstandingCap(limit!) - grant.size + returning,
          });
      if (!answer.granted && !answer.allowance) {
        limit = await limitForOpening();
        grant.size = blockSize(limit);
        grant.single = false;
        answer = await openWindow(this.table, userId, windowStart, {
          limit,
          size: grant.size,
          expiresAt: windowStart + WINDOW_TTL_SECONDS,
        });
      }
      if (answer.granted) {
        const block: Block = {
          limit: answer.allowance.limit,
          size: grant.size,
          spent: 1,
          availAfterGrant: answer.allowance.avail,
          lent: grant.single ? 0 : grant.size,
        };
        if (windowStart === this.windowStart) this.blocks.set(userId, block);
        return block;
      }
      seen = answer.allowance;
      limit = seen?.limit;
    }
    throw new Error(`The rate window of ${userId} changed under ${MAX_LEASE_ATTEMPTS} lease attempts in a row`);
  }

  /** A new window: blocks of the old one are dropped unspent (its item expires); their limits stay as guesses. */
  private turn(windowStart: number) {
    this.windowStart = windowStart;
    this.knownLimits = new Map([...[...this.blocks].map(([userId, block]) => [userId, block.limit] as const), ...this.exhausted]);
    this.blocks = new Map();
    this.exhausted = new Map();
  }
}

const verdicts = new WeakMap<Event, Verdict>();

/**
 * Per-user rate limit of every authenticated route, amortized: this container's AllowanceLeases
 * admits from a block of the creator's window leased from the table (rate-limit-store.ts), so a
 * request costs 1/blockSize DynamoDB requests in steady state. A window's first lease also reads
 * the user item for the tier (a plan change applies from the next window) and, on a route that
 * may write, creates the user item when Clerk's webhook has not yet. Over the limit → 429
 * RATE_LIMITED. If the table cannot be reached the request is let through (fail open: the stage
 * throttle still bounds the API) and the failure is logged.
 */
export const rateLimiter = (route: RouteDef, table: string | undefined): MiddlewareObj<Event> => {
  const leases = route.auth !== 'jwt' || !table ? undefined : new AllowanceLeases(table);
  return {
    before: async ({ event }) => {
      if (!leases) return;
      // Per user, whether the request came with a JWT or with one of the user's API keys.
      const { userId } = identityOf(event);
      let verdict: Verdict;
      try {
        verdict = await leases.admit(userId, Math.floor(Date.now() / 1000), async () => {
          const user = await readUser(leases.table, userId);
          if (!user.exists && route.access.table === 'readwrite') await upsertUser(leases.table, userId, new Date().toISOString());
          return plans[user.tier].requestsPerMinute;
        });
      } catch (error) {
        logger.warn('rate limiter unavailable; request let through', { error });
        return;
      }
      verdicts.set(event, verdict);
      if (!verdict.allowed) {
        throw new DomainError('RATE_LIMITED', `More than ${verdict.limit} requests in a minute; try again in ${verdict.resetSeconds} s`, {
          limit: verdict.limit,
          retryAfterSeconds: verdict.resetSeconds,
        });
      }
    },
  };
};

/** `RateLimit-Limit/Remaining/Reset` on every counted response, `Retry-After` on a 429. */
export const rateLimitHeaders = (): MiddlewareObj<Event, APIGatewayProxyResultV2> => {
  const decorate = ({ event, response }: { event: Event; response: APIGatewayProxyResultV2 | undefined | null }) => {
    const verdict = verdicts.get(event);
    if (!verdict || !response || typeof response !== 'object') return;
    response.headers = {
      ...response.headers,
      'RateLimit-Limit': String(verdict.limit),
      'RateLimit-Remaining': String(verdict.remaining),
      'RateLimit-Reset': String(verdict.resetSeconds),
      ...(!verdict.allowed && { 'Retry-After': String(verdict.resetSeconds) }),
    };
  };
  return { after: decorate, onError: decorate };
};
