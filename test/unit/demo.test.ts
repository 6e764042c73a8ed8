import { describe, expect, it } from 'vitest';
import { bySchedule, fullPost, progressLine } from '../../dev/demo';

describe('the demo’s output', () => {
  it('counts posts only for stages that have them', () => {
    expect(progressLine('strategy', 0, 0)).not.toMatch(/0\/0/);
    expect(progressLine('strategy', 0, 0)).toMatch(/strategy$/);
    expect(progressLine('writing', 12, 42)).toMatch(/writing\s+12\/42 posts$/);
  });

  it('orders the schedule by day, then by local time', () => {
    const items = [
      { day: 2, localTime: '09:00' },
      { day: 1, localTime: '19:00' },
      { day: 1, localTime: '11:00' },
      { day: 1, localTime: '17:00' },
    ];
    expect([...items].sort(bySchedule).map((item) => `${item.day} ${item.localTime}`)).toEqual([
      '1 11:00',
      '1 17:00',
      '1 19:00',
      '2 09:00',
    ]);
  });

  it('prints a post in full: title, script, text and tags', () => {
    const text = fullPost({
      day: 1,
      localTime: '17:00',
      platform: 'youtube',
      title: 'T',
      script: { hook: 'H', body: 'B1\nB2', cta: 'C' },
      post: 'P1\n\nP2',
      seoTags: ['a', 'b'],
    });
    expect(text.split('\n')).toEqual([
      'Day 1, 17:00, youtube: T',
      '  Script hook: H',
      '    B1',
      '    B2',
      '  Spoken CTA: C',
      '  | P1',
      '  | ',
      '  | P2',
      '  Tags: a, b',
    ]);
  });
});
