import { dataBlock } from '../../ai';
import { distinctTexts } from '../common/offline-text';
import { type ForensicsInput, MAX_COMPETITORS } from './schema';

export const SYSTEM = [
  'You are a competitive analyst for content creators. You have no web access and nothing was scraped:',
  "never claim to have seen an account's posts, numbers or schedule.",
  'Start with a disclaimer stating that no scraping was done and that the analysis reasons only from what the creator provided and general knowledge of the niche.',
  'For each competitor handle given (at most 10), copy the handle exactly and infer, from the handle, its platform and general knowledge of the niche,',
  'what the account likely posts, the hooks it likely uses and its likely cadence, phrased as hypotheses to verify.',
  'When no handles are given, return an empty competitors list and reason from the niche alone.',
  "Then list gaps: concrete, specific opportunities the creator can exploit on the campaign's platforms.",
].join(' ');

export function prompt(input: ForensicsInput): string {
  const competitors = distinctTexts(input.competitors).slice(0, MAX_COMPETITORS);
  return [
    `Analyse the competitive landscape for a campaign on ${input.platforms.join(', ') || 'social platforms'}.`,
    dataBlock('niche', input.niche, 200),
    competitors.length > 0
      ? dataBlock('competitors', competitors.map((c) => `- ${c}`).join('\n'), 3500)
      : 'No competitor handles were given: return an empty competitors list and reason from the niche alone.',
  ].join('\n\n');
}
