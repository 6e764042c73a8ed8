import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../dev/demo';
import { startTestStack } from '../support/local-stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.dispose());

describe('npm run demo', () => {
  it('onboards, generates a 14-day campaign on three platforms, prints the schedule and fetches a PNG thumbnail', async () => {
    const lines: string[] = [];
    await runDemo(stack.apiUrl, await stack.token('demo-creator'), (line) => lines.push(line));
    const output = lines.join('\n');
    expect(output).toMatch(/Schedule \(Europe\/Paris\)/);
    expect(output).toMatch(/youtube/);
    expect(output).toMatch(/tiktok/);
    expect(output).toMatch(/instagram/);
    expect(output).not.toMatch(/\(not written\)/);
    expect(output).toMatch(/-byte PNG ✔/);
  }, 180_000);
});
