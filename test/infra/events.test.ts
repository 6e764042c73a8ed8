import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionEntries } from '../../infra/asl';
import { synthesizeTemplate } from '../../infra/synth';

describe('sample events', () => {
  const entries = [...new Set(functionEntries(synthesizeTemplate(), { region: 'us-east-1', account: '000000000000' }).values())];
  const events = readdirSync('events');

  it.each(entries)('%s has a sample event in events/ that parses', (entry) => {
    // functions/api/profile-get.ts → events/api-profile-get*.json
    const prefix = `${basename(dirname(entry))}-${basename(entry, '.ts')}`;
    const samples = events.filter((file) => file.startsWith(prefix) && file.endsWith('.json'));
    expect(samples, prefix).not.toHaveLength(0);
    for (const sample of samples) expect(() => JSON.parse(readFileSync(`events/${sample}`, 'utf8'))).not.toThrow();
    expect(existsSync(entry)).toBe(true);
  });
});
