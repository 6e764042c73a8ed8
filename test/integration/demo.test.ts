import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PUBLISHED_EACH, runDemo } from '../../dev/demo';
import { startTestStack } from '../support/local-stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;

beforeAll(async () => {
  stack = await startTestStack({ bluesky: true });
}, 180_000);
afterAll(() => stack?.dispose());

describe('npm run demo', () => {
  it('generates a 14-day campaign on YouTube, X and Bluesky, then connects X and Bluesky, publishes and imports the numbers back', async () => {
    const lines: string[] = [];
    await runDemo(stack.apiUrl, await stack.token('demo-creator'), (line) => lines.push(line), { stack, userId: 'demo-creator' });
    const output = lines.join('\n');
    expect(output).toMatch(/Schedule \(Europe\/Paris\)/);
    for (const platform of ['youtube', 'x', 'bluesky']) expect(output).toContain(platform);
    expect(output).not.toMatch(/\(not written\)/);
    expect(output).toMatch(/-byte PNG ✔/);
    // Connected, published once each on the platforms themselves, read back by the import.
    expect(output).toMatch(/x\s+@\S+ \(active/);
    expect(output).toMatch(/bluesky\s+@maya\.test \(active/);
    const tweets = stack.x.tweets();
    expect(tweets).toHaveLength(DEMO_PUBLISHED_EACH);
    for (const tweet of tweets) expect(output).toContain(`/status/${tweet.id}`);
    expect(output.match(/at:\/\/did:plc:[^/\s]+\/app\.bsky\.feed\.post\/\S+/g) ?? []).toHaveLength(DEMO_PUBLISHED_EACH);
    expect(output).toMatch(new RegExp(`${DEMO_PUBLISHED_EACH * 2} of ${DEMO_PUBLISHED_EACH * 2} posts read, 2 follower counts`));
    expect(output).toMatch(/Stats now: 4 posted · 100 likes/);
  }, 300_000);
});
