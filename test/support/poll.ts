/** Calls `probe` until `done` says yes, every 50 ms, for at most `timeoutMs`. */
export async function pollUntil<T>(probe: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
