/**
 * The arithmetic of the amortized rate limiter (shared/http/rate-limit.ts): a creator's allowance
 * for one fixed window lives in one table item as `avail` (not yet handed out) and `lent` (handed
 * lent to containers in blocks not yet spent, as far as the table knows). A container leases a block
 * with one conditional decrement, admits from it locally, and comes back only when the block is
 * spent (returning it: `lent` drops by its size) or the window turns (the old window's item is
 * simply left to expire).
 *
 * The bound, for a window of limit L, block B = max(1, ⌊L/40⌋) and cap C = 2B (≤ max(2, 5 % of L)):
 * - Never more than L admitted: every admission spends a unit the table handed out once, and the
 *   table hands out at most L (`avail ≥ grant`). What can over-admit is outside the arithmetic:
 *   containers' clocks disagreeing about the window's edge (NTP keeps that to milliseconds) and a
 *   table that cannot be reached (fail open), as before.
 * - No 429 while fewer than L − C were admitted: a 429 means `avail` is 0, so L = spent + `lent`,
 *   and the table grants blocks only while `lent` stays ≤ C (beyond it a container counts one
 *   request at a time, which never raises `lent`): at most C units sit in blocks that may never be
 *   spent (an idle container's), however many containers serve the creator.
 */

/** The fixed window the tiers' `requestsPerMinute` counts in. */
export const WINDOW_SECONDS = 60;

/** Block of allowance one container leases at a time: L/40, so two blocks are 5 % of the limit. */
export function blockSize(limit: number): number {
  return Math.max(1, Math.floor(limit / 40));
}

/** Most allowance the table lets sit unspent in containers' blocks at once: two blocks. */
export function outstandingCap(limit: number): number {
  return 2 * blockSize(limit);
}

/** A window item's counters. */
export interface Allowance {
  limit: number;
  /** Not yet handed out. */
  avail: number;
  /** In blocks handed out and not yet returned as spent. */
  lent: number;
}

/**
 * What a container asks for next, given the window's counters as last seen (none: ask for a full
 * block) and the block it returns (spent): a block when the cap leaves room for more than one
 * request, else one request counted on its own (`single`, which the cap does not limit), or
 * nothing when the window has no allowance left.
 */
export function nextGrant(limit: number, returning: number, seen?: Allowance): { size: number; single: boolean } | undefined {
  const block = blockSize(limit);
  if (!seen) return { size: block, single: false };
  if (seen.avail < 1) return undefined;
  const room = outstandingCap(limit) + returning - seen.lent;
  const size = Math.min(block, seen.avail, room);
  return size > 1 ? { size, single: false } : { size: 1, single: true };
}

/** The window a moment falls in: fixed windows from the epoch. */
export function windowOf(nowSeconds: number): number {
  return nowSeconds - (nowSeconds % WINDOW_SECONDS);
}

/**
 * One container's block of one creator's window. `remaining` is what the window had left when the
 * block was granted (avail after the grant) plus the block's own rest: the `RateLimit-Remaining`
 * this container can tell without asking (other containers' unspent blocks are not subtracted).
 */
export interface Block {
  limit: number;
  size: number;
  spent: number;
  availAfterGrant: number;
  /** What returning this block takes off the window's `lent`: its size, or 0 for a request counted on its own. */
  lent: number;
}

export const blockLeft = (block: Block) => block.size - block.spent;
export const remainingAfter = (block: Block) => block.availAfterGrant + blockLeft(block);
