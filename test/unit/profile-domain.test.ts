import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { completionOf, isPhase2Complete, newProfile, phase2Changes } from '../../shared/domain/profile';
import { phase2FieldNames } from '../../shared/schemas/profile';

const answers = { userName: 'Ada', creatorType: 'educator', niche: 'finance', targetAudienceNiche: 'students', timeZone: 'UTC' };
const fullPhase2 = {
  uniqueAngle: 'a',
  selfPurpose: 'b',
  selfStrengths: ['c'],
  existingPlatforms: [],
  targetPlatforms: ['youtube' as const],
  selfTopics: ['d'],
  targetAudienceDemographics: {},
  competitorAccounts: [],
  existingAssets: [],
  selfMotivation: 'e',
  recommendedFrequency: 3,
};

describe('profile completion', () => {
  it('starts at 5 of 16 fields with all of phase 2 missing', () => {
    const completion = completionOf(newProfile('u', answers, '2026-01-01T00:00:00.000Z'));
    expect(completion).toEqual({ percentage: 31, phase1Completed: true, phase2Completed: false, missingFields: phase2FieldNames });
  });

  it('is 100% with every phase-2 field answered, empty lists included', () => {
    const record = { ...newProfile('u', answers, 'now'), ...fullPhase2 };
    expect(completionOf(record)).toMatchObject({ percentage: 100, phase2Completed: true, missingFields: [] });
  });

  it('percentage and missing fields always agree, whichever subset is answered', () => {
    fc.assert(
      fc.property(fc.subarray(phase2FieldNames), (answered) => {
        const record = { ...newProfile('u', answers, 'now'), ...Object.fromEntries(answered.map((f) => [f, fullPhase2[f]])) };
        const completion = completionOf(record);
        expect(completion.missingFields).toHaveLength(11 - answered.length);
        expect(completion.percentage).toBe(Math.round(((5 + answered.length) / 16) * 100));
        expect(completion.phase2Completed).toBe(answered.length === 11);
        expect(isPhase2Complete(record)).toBe(answered.length === 11);
      }),
    );
  });

  it('an update carries only the fields the request sent', () => {
    expect(phase2Changes({ uniqueAngle: 'x', selfPurpose: undefined })).toEqual({ uniqueAngle: 'x' });
  });
});
