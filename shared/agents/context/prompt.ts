import { dataBlock } from '../../ai';
import type { ContextInput } from './schema';

export const SYSTEM = [
  "You are the context analyst of a content-campaign team. From the creator's profile, write:",
  '- positioning: one or two sentences on what makes this creator worth following, for whom, in their niche;',
  '- audienceInsight: what the target audience wants, struggles with and responds to;',
  "- contentPillars: 3 to 5 recurring themes, each with a short unique name (at most 60 characters), a one-sentence description and 2 to 5 concrete example post topics drawn from the creator's own topics, strengths and assets;",
  "- voice: the tone in a few words, with specific dos and don'ts for writing as this creator.",
  "Be specific to this creator's niche, audience and angle; no generic marketing advice. Do not invent follower counts, results or credentials the profile does not state.",
].join('\n');

const list = (items: readonly string[] | undefined) => (items ?? []).map((item) => `- ${item}`).join('\n');

function profileBlocks(profile: ContextInput): string {
  const demographics = profile.targetAudienceDemographics;
  const blocks: [label: string, value: string | undefined, max: number][] = [
    ['creator_name', profile.userName, 100],
    ['creator_type', profile.creatorType, 100],
    ['niche', profile.niche, 200],
    ['target_audience', profile.targetAudienceNiche, 300],
    ['unique_angle', profile.uniqueAngle, 600],
    ['purpose', profile.selfPurpose, 1200],
    ['motivation', profile.selfMotivation, 1200],
    ['strengths', list(profile.selfStrengths) || undefined, 2200],
    ['topics', list(profile.selfTopics) || undefined, 4200],
    [
      'platforms',
      [
        ...(profile.existingPlatforms ?? []).map(
          (p) =>
            `- present on ${p.platform}${p.handle ? ` as ${p.handle}` : ''}${p.followers !== undefined ? `, ${p.followers} followers` : ''}`,
        ),
        ...(profile.targetPlatforms ?? []).map((p) => `- wants to grow on ${p}`),
      ].join('\n') || undefined,
      3000,
    ],
    [
      'audience_demographics',
      demographics
        ? [
            demographics.ageRange && `age range: ${demographics.ageRange}`,
            demographics.genders?.length && `genders: ${demographics.genders.join(', ')}`,
            demographics.locations?.length && `locations: ${demographics.locations.join(', ')}`,
            demographics.interests?.length && `interests: ${demographics.interests.join(', ')}`,
          ]
            .filter(Boolean)
            .join('\n') || undefined
        : undefined,
      3000,
    ],
    ['competitors', list(profile.competitorAccounts) || undefined, 3200],
    ['existing_assets', list(profile.existingAssets) || undefined, 6200],
  ];
  const given = blocks.filter(([, value]) => value !== undefined && value !== '');
  const missing = blocks.filter(([, value]) => value === undefined || value === '').map(([label]) => label);
  return [
    ...given.map(([label, value, max]) => dataBlock(label, value as string, max)),
    profile.recommendedFrequency !== undefined ? `The creator can sustain about ${profile.recommendedFrequency} posts a week.` : '',
    missing.length > 0 ? `Not provided (do not invent them): ${missing.join(', ')}.` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
}

export function prompt(profile: ContextInput): string {
  return ['Analyse this creator for an upcoming content campaign.', profileBlocks(profile)].join('\n\n');
}
