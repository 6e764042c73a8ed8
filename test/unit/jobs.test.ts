import { describe, expect, it } from 'vitest';
import { canTransition, isFinished, JOB_ID_PATTERN, jobStatuses, newJobId, progressOf, statusesBefore } from '../../shared/domain/jobs';
import { jobSchema, regenerateRequestSchema } from '../../shared/schemas/jobs';

describe('job status transitions', () => {
  it('goes queued → running → succeeded | failed, and a queued job may fail to start', () => {
    expect(canTransition('queued', 'running')).toBe(true);
    expect(canTransition('running', 'succeeded')).toBe(true);
    expect(canTransition('running', 'failed')).toBe(true);
    expect(canTransition('queued', 'failed')).toBe(true);
  });

  it('never skips running to succeed, and never leaves an ended status', () => {
    expect(canTransition('queued', 'succeeded')).toBe(false);
    for (const to of jobStatuses) {
      expect(canTransition('succeeded', to)).toBe(false);
      expect(canTransition('failed', to)).toBe(false);
      expect(canTransition(to, 'queued')).toBe(false);
    }
    expect(isFinished('succeeded') && isFinished('failed')).toBe(true);
    expect(isFinished('queued') || isFinished('running')).toBe(false);
  });

  it('names the statuses a conditional update accepts', () => {
    expect(statusesBefore('running')).toEqual(['queued', 'running']);
    expect(statusesBefore('succeeded')).toEqual(['running']);
    expect(statusesBefore('failed')).toEqual(['queued', 'running']);
    expect(statusesBefore('queued')).toEqual([]);
  });

  it('reports progress from 0 to 100 by step', () => {
    expect(progressOf('queued')).toEqual({ step: 'queued', percent: 0 });
    expect(progressOf('critique').percent).toBe(50);
    expect(progressOf('done')).toEqual({ step: 'done', percent: 100 });
  });
});

describe('job ids', () => {
  it('are ULIDs that sort by creation time', () => {
    const earlier = newJobId(Date.parse('2026-11-23T10:00:00Z'), new Uint8Array(16).fill(255));
    const later = newJobId(Date.parse('2026-11-23T10:00:00.001Z'), new Uint8Array(16));
    expect(earlier).toMatch(JOB_ID_PATTERN);
    expect(later).toMatch(JOB_ID_PATTERN);
    expect(later > earlier).toBe(true);
    expect(newJobId()).not.toBe(newJobId());
  });
});

describe('job schemas', () => {
  it('accepts an absent body or instructions up to 1000 characters', () => {
    expect(regenerateRequestSchema.safeParse(undefined).success).toBe(true);
    expect(regenerateRequestSchema.safeParse({ instructions: 'Shorter, please' }).success).toBe(true);
    expect(regenerateRequestSchema.safeParse({ instructions: 'x'.repeat(1001) }).success).toBe(false);
    expect(regenerateRequestSchema.safeParse({ other: 1 }).success).toBe(false);
  });

  it('describes a queued job', () => {
    const job = {
      jobId: newJobId(),
      kind: 'regenerate',
      status: 'queued',
      target: { campaignId: '3f2a9c4e-8b1d-4e7a-9c55-2d6f0b1e7a10', day: 3, platform: 'youtube' },
      progress: progressOf('queued'),
      createdAt: '2026-11-23T10:00:00.000Z',
      updatedAt: '2026-11-23T10:00:00.000Z',
    };
    expect(jobSchema.parse(job)).toEqual(job);
  });
});
