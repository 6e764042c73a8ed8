import { describe, expect, it } from 'vitest';
import { CLEAN_POSTS, OFFLINE_BEFORE, PLANTED_POSTS } from '../fixtures/content/planted';
import { DEFECT_CLASSES } from '../fixtures/content/types';

describe('the planted-defect set (issue 19)', () => {
  it('has ≥ 100 clean posts, among them today’s offline output and ≥ 30 hand-written ones', () => {
    expect(CLEAN_POSTS.length).toBeGreaterThanOrEqual(100);
    expect(CLEAN_POSTS.filter((fixture) => fixture.source === 'hand-written').length).toBeGreaterThanOrEqual(30);
    expect(CLEAN_POSTS.filter((fixture) => fixture.source === 'offline-before').length).toBeGreaterThanOrEqual(50);
    expect(OFFLINE_BEFORE.capturedFrom).toBe('a04c7a7');
  });

  it('has ≥ 20 posts of every defect class, each different from the clean post it was planted in', () => {
    for (const defect of DEFECT_CLASSES)
      expect(PLANTED_POSTS.filter((fixture) => fixture.defect === defect).length).toBeGreaterThanOrEqual(20);
    const clean = new Map(CLEAN_POSTS.map((fixture) => [fixture.id, fixture]));
    for (const planted of PLANTED_POSTS) {
      const original = clean.get(planted.id.split('~')[0]!)!;
      expect([planted.post, planted.others], planted.id).not.toEqual([original.post, original.others]);
    }
  });

  it('has unique ids', () => {
    const ids = [...CLEAN_POSTS, ...PLANTED_POSTS].map((fixture) => fixture.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
