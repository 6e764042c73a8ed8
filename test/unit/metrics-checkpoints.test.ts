import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dueCheckpoint,
  IMPORT_PERIOD_MINUTES,
  nextCheckpoint,
  nextFollowerRead,
  type MetricsCheckpoint,
} from '../../shared/domain/metrics-checkpoints';
import { metricsIndexKeys } from '../../shared/db/platform-import-store';
import type { PostExecution } from '../../shared/schemas/execution';
import { metricsCheckpointNames } from '../../shared/schemas/vocabulary';

const postedAt = '2026-03-01T10:07:00.000Z';

describe('metrics checkpoints', () => {
  it('come 1 h, 24 h, 72 h and 7 d after posting, then none', () => {
    expect(nextCheckpoint(postedAt, [])).toEqual({ name: '1h', at: '2026-03-01T11:07:00.000Z' });
    expect(nextCheckpoint(postedAt, ['1h'])).toEqual({ name: '24h', at: '2026-03-02T10:07:00.000Z' });
    expect(nextCheckpoint(postedAt, ['1h', '24h'])).toEqual({ name: '72h', at: '2026-03-04T10:07:00.000Z' });
    expect(nextCheckpoint(postedAt, ['1h', '24h', '72h'])).toEqual({ name: '7d', at: '2026-03-08T10:07:00.000Z' });
    expect(nextCheckpoint(postedAt, ['1h', '24h', '72h', '7d'])).toBeUndefined();
  });

  it('a late run fetches the latest checkpoint due and passes the earlier ones', () => {
    expect(dueCheckpoint(postedAt, [], new Date('2026-03-01T11:00:00Z'))).toBeUndefined();
    expect(dueCheckpoint(postedAt, [], new Date('2026-03-01T12:00:00Z'))).toBe('1h');
    expect(dueCheckpoint(postedAt, [], new Date('2026-03-05T00:00:00Z'))).toBe('72h');
    expect(nextCheckpoint(postedAt, ['72h'])?.name).toBe('7d');
  });

  it('an hourly run sees every checkpoint exactly once, at most one period late', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * 86_400 }), fc.integer({ min: 0, max: 59 }), (postedSecond, runMinute) => {
        const posted = new Date(Date.parse('2026-03-01T00:00:00Z') + postedSecond * 1000).toISOString();
        const done: MetricsCheckpoint[] = [];
        const periodMs = IMPORT_PERIOD_MINUTES * 60_000;
        let run = Date.parse('2026-03-01T00:00:00Z') + runMinute * 60_000;
        for (; run < Date.parse(posted) + 9 * 86_400_000; run += periodMs) {
          const due = dueCheckpoint(posted, done, new Date(run));
          if (!due) continue;
          const next = nextCheckpoint(posted, done)!;
          expect(next.name).toBe(due);
          expect(run - Date.parse(next.at)).toBeLessThan(periodMs);
          done.push(due);
        }
        expect(done).toEqual([...metricsCheckpointNames]);
      }),
      { numRuns: 50 },
    );
  });

  it('follower counts are read again from the next midnight UTC', () => {
    expect(nextFollowerRead(new Date('2026-03-01T23:59:00Z'))).toBe('2026-03-02T00:00:00.000Z');
    expect(nextFollowerRead(new Date('2026-03-01T00:00:00Z'))).toBe('2026-03-02T00:00:00.000Z');
  });
});

describe('metrics index entry', () => {
  const execution: PostExecution = {
    campaignId: '11111111-1111-4111-8111-111111111111',
    day: 3,
    platform: 'x',
    posted: true,
    status: 'posted',
    platformPostId: '1850000000000000000',
    postedAt,
    history: [],
    version: 1,
    confirmedAt: postedAt,
    updatedAt: postedAt,
  };

  it('is the next checkpoint of a post with a platform id on a platform Crescendo connects to', () => {
    expect(metricsIndexKeys('u1', execution)?.GSI1SK).toBe(`2026-03-01T11:07:00.000Z#u1#${execution.campaignId}#03#x`);
    expect(metricsIndexKeys('u1', { ...execution, metricsCheckpoints: ['1h'] })?.GSI1SK).toMatch(/^2026-03-02T10:07/);
    expect(metricsIndexKeys('u1', { ...execution, metricsCheckpoints: ['1h', '24h', '72h', '7d'] })).toBeUndefined();
    expect(metricsIndexKeys('u1', { ...execution, platformPostId: undefined })).toBeUndefined();
    expect(metricsIndexKeys('u1', { ...execution, platform: 'instagram' })).toBeUndefined();
    expect(metricsIndexKeys('u1', { ...execution, posted: false })).toBeUndefined();
  });
});
