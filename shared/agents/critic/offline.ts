import { GOAL_CTA } from '../../domain/content-checks';
import {
  HOOK_WORDS,
  hookLengthFits,
  hookOf,
  measure,
  platformGuidance,
  platformRules,
  requiresScript,
  wordCount,
} from '../../domain/platform-rules';
import { platformNames } from '../common/offline-text';
import { keywordsOf } from '../writer/offline';
import type { WriterGoal } from '../writer/schema';
import type { CriticPost, CriticInput, CriticOutput } from './schema';

// ---------------------------------------------------------------------------------------------
// Measurable qualities (the offline twin, and the fallback for a post the model did not review)

const ACTION =
  /\b(subscribe|follow|join|turn on|watch|share|save|rewatch|comment|tell|reply|answer|vote|download|grab|sign up|get|shop|buy|book|enrol|enroll|order|try|read|visit|click|tap|dm|message)\b/i;

const paragraphs = (text: string) => text.split(/\n\s*\n/).filter((part) => part.trim()).length;
const squash = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
export const round1 = (value: number) => Math.round(value * 10) / 10;
export const clamp = (value: number) => Math.min(10, Math.max(0, value));

export interface Measured {
  score: number;
  reasons: string[];
}

/**
 * A post's score from what can be measured: the hook (3 points: 4–14 words, a number, a question or
 * "you", the topic), the call to action (2: an action, the goal's action, present in the text), the
 * topic (2: its words in the post, the niche or pillar), the length (1.5: within the platform's
 * reading range), the structure (1: beats, paragraphs or headings) and the tag count (0.5).
 */
export function measurePost(post: CriticPost, goal: WriterGoal, context: { niche?: string; pillars?: readonly string[] } = {}): Measured {
  const issues: string[] = [];
  const good: string[] = [];
  const platform = post.platform;
  const name = platformNames[platform];
  const role = platformRules[platform].postRole;
  const body = `${post.title}\n${post.post}\n${post.script ? `${post.script.hook}\n${post.script.body}` : ''}`.toLowerCase();
  const topicWords = keywordsOf(post.topic ?? '').slice(0, 3);
  let score = 0;

  // Hook: 3 points.
  const hook = hookOf(post);
  const hookWords = wordCount(hook);
  let hookScore = 0;
  if (hookLengthFits(hook)) hookScore += 1;
  else if (hookWords > HOOK_WORDS.max)
    issues.push(`The hook runs ${hookWords} words; cut it under ${HOOK_WORDS.max} so it lands in the first seconds.`);
  else issues.push(`The hook is only ${hookWords} word${hookWords === 1 ? '' : 's'}; make a concrete promise.`);
  if (/\d/.test(hook)) hookScore += 0.75;
  else issues.push('The hook has no number; a concrete figure (steps, minutes, results) makes it specific.');
  if (/\?|\byou(r|'re)?\b/i.test(hook)) hookScore += 0.75;
  else issues.push('The hook does not speak to the viewer; ask a question or address them directly.');
  if (topicWords.length === 0 || topicWords.some((word) => hook.toLowerCase().includes(word))) hookScore += 0.5;
  else issues.push(`The hook does not name the topic (${topicWords.join(', ')}).`);
  if (hookScore >= 3) good.push('Strong hook: short, concrete and aimed at the viewer.');
  score += hookScore;

  // Call to action: 2 points.
  const cta = post.cta.trim();
  let ctaScore = 0;
  const { ask, pattern } = GOAL_CTA[goal.type];
  const servesGoal = pattern.test(cta);
  if (servesGoal || ACTION.test(cta)) ctaScore += 1;
  else issues.push(`The call to action asks for nothing; ask for ${ask} to move ${goal.metric}.`);
  if (servesGoal) ctaScore += 0.5;
  else if (ACTION.test(cta)) issues.push(`The call to action does not serve the goal (${goal.metric}); ask for ${ask}.`);
  const ctaCore = squash(cta).split(' ').slice(0, 5).join(' ');
  if (ctaCore && squash(post.post).includes(ctaCore)) ctaScore += 0.5;
  else issues.push(`The call to action is not in the ${role}; end the ${role} with it.`);
  if (ctaScore >= 2) good.push('Clear call to action tied to the goal.');
  score += ctaScore;

  // Topic: 2 points.
  const present = topicWords.filter((word) => body.includes(word));
  const missing = topicWords.filter((word) => !body.includes(word));
  score += topicWords.length === 0 ? 1.5 : (1.5 * present.length) / topicWords.length;
  if (missing.length) issues.push(`The post drifts from its topic: ${missing.join(', ')} never comes up.`);
  const anchors = [...keywordsOf(context.niche ?? ''), ...keywordsOf(post.pillar ?? ''), ...(context.pillars ?? []).flatMap(keywordsOf)];
  if (anchors.length === 0 || anchors.some((word) => body.includes(word))) score += 0.5;
  else issues.push('Tie the post back to the niche or its content pillar.');
  if (missing.length === 0 && topicWords.length) good.push('Stays on topic.');

  // Length: 1.5 points.
  const [min, max] = platformGuidance[platform].postChars;
  const length = measure(post.post, platform === 'x' ? 'x-weighted' : 'utf16');
  if (length >= min && length <= max) score += 1.5;
  else if (length < min) {
    score += (1.5 * length) / min;
    issues.push(`The ${role} is ${length} characters; ${name} posts read best at ${min}–${max}: add a concrete example or step.`);
  } else {
    score += 0.75;
    issues.push(`The ${role} is ${length} characters; ${name} posts read best under ${max}: tighten it.`);
  }

  // Structure: 1 point.
  if (requiresScript(platform, post.format)) {
    const beats = (post.script?.body ?? '').split('\n').filter((line) => line.trim()).length;
    if (beats >= 3) score += 1;
    else issues.push('The script needs at least three beats: problem, idea, proof or steps.');
  } else if (platform === 'blog') {
    const headings = (post.post.match(/^#{2,3}\s+\S/gm) ?? []).length;
    if (headings >= 3) score += 1;
    else issues.push('Give the article at least three ## section headings so it can be skimmed.');
  } else if (platform === 'linkedin') {
    if (paragraphs(post.post) >= 4) score += 1;
    else issues.push('Break the post into short paragraphs: LinkedIn readers skim.');
  } else if (paragraphs(post.post) >= 2) score += 1;
  else issues.push('Set the hook apart on its own line before the point.');

  // Tags: 0.5 point.
  const [fewest, most] = platformGuidance[platform].tags;
  if (post.seoTags.length >= fewest && post.seoTags.length <= most) score += 0.5;
  else issues.push(`Use ${fewest === most ? fewest : `${fewest}–${most}`} tags on ${name} (now ${post.seoTags.length}).`);

  const reasons = [...issues, ...good];
  return { score: round1(clamp(score)), reasons: reasons.length ? reasons.slice(0, 8) : ['Ready to post.'] };
}

/** The deterministic critic: every post scored from its measurable qualities (the seed is not needed). */
export function reviewOffline(input: CriticInput, _seed: string): CriticOutput {
  const context = { niche: input.niche, pillars: input.strategy.pillars };
  return {
    reviews: input.posts.map((post) => {
      const { score, reasons } = measurePost(post, input.goal, context);
      return { day: post.day, platform: post.platform, score, reasons: input.bar === undefined || score < input.bar ? reasons : [] };
    }),
  };
}
