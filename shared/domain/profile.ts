import type { Completion, OnboardingRequest, Phase2Request, Profile } from '../schemas/profile';
import { phase1FieldNames, phase2FieldNames } from '../schemas/profile';

/** The profile as stored: phase-1 and phase-2 answers plus bookkeeping. Derived values are not stored. */
export type ProfileRecord = Omit<Profile, 'phase2Completed'>;

export function newProfile(userId: string, answers: OnboardingRequest, now: string): ProfileRecord {
  return {
    userId,
    ...answers,
    agentContext: { status: 'pending' },
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

const isAnswered = (value: unknown) => value !== undefined && value !== null && value !== '';

export function missingFields(profile: Partial<ProfileRecord>): string[] {
  return [...phase1FieldNames, ...phase2FieldNames].filter((field) => !isAnswered(profile[field]));
}

/** Phase 2 is complete once every one of its 11 fields has an answer (an explicit empty list counts). */
export function isPhase2Complete(profile: Partial<ProfileRecord>): boolean {
  return phase2FieldNames.every((field) => isAnswered(profile[field]));
}

export function toProfile(record: ProfileRecord): Profile {
  return { ...record, phase2Completed: isPhase2Complete(record) };
}

export function completionOf(record: ProfileRecord): Completion {
  const total = phase1FieldNames.length + phase2FieldNames.length;
  const missing = missingFields(record);
  return {
    percentage: Math.round(((total - missing.length) / total) * 100),
    phase1Completed: phase1FieldNames.every((field) => isAnswered(record[field])),
    phase2Completed: isPhase2Complete(record),
    missingFields: missing,
  };
}

/** Only the phase-2 fields the request actually carries; the update touches nothing else. */
export function phase2Changes(request: Phase2Request): Partial<Phase2Request> {
  return Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined));
}
