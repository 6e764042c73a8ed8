/** "Full jitter": uniform between 0 and the exponential ceiling, so retrying callers spread out. */
export function fullJitterDelay(baseMs: number, retry: number): number {
  return Math.floor(Math.random() * baseMs * 2 ** retry);
}
