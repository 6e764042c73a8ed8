import { describe, expect, it } from 'vitest';
import { CALIBRATION } from '../../shared/domain/estimate';
import { hookOf } from '../../shared/domain/platform-rules';
import { agentConfigSchema } from '../../shared/schemas/campaign-fields';
import { calibration, measureQuality, writeSampleCampaigns } from '../bench/quality';

/**
 * The quality bench, reduced (`npm run bench -- quality` runs it at full size): the four sample
 * creators' 14-day campaigns on three platforms, written offline, meet the zero-violation goals.
 */
const campaigns = writeSampleCampaigns(14, 7).filter((campaign, i, all) => all.findIndex((c) => c.creator === campaign.creator) === i);

describe('offline content quality (reduced bench)', () => {
  const numbers = measureQuality(campaigns);

  it('breaks no promise, claims nothing beyond the campaign, and tags every post well', () => {
    expect(numbers.posts).toBe(4 * 42);
    expect(numbers.violations).toMatchObject({ promise: 0, horizon: 0, hashtag: 0, cta: 0, repetition: 0 });
    expect(numbers.distinctSentences).toBeGreaterThanOrEqual(0.9);
  });

  it('writes no word salad: no unfilled slot, the subject named, prose sentences of 6–30 words', () => {
    for (const campaign of campaigns) {
      for (const post of campaign.posts) {
        const text = [post.title, post.post, post.script?.hook ?? '', post.script?.body ?? '', post.cta].join('\n');
        expect(text, post.title).not.toMatch(/[{}]|undefined|\bnull\b|\.\.(?!\.)/u);
        const subject = `${post.topic} ${post.pillar} ${campaign.niche}`.toLowerCase();
        expect(
          (post.title.toLowerCase().match(/\p{L}{4,}/gu) ?? []).some((word) => subject.includes(word)),
          `${post.day} ${post.platform}: ${post.title}`,
        ).toBe(true);
        // The hook counts as one unit ("Want better X? Here are 3 tips."); list items, headings, chapters and tags are not prose.
        const hook = hookOf(post);
        const prose = [post.post, post.script?.body ?? '']
          .join('\n')
          .split('\n')
          .map((line) => line.trim())
          .filter(
            (line) => line && line !== hook && line !== post.cta && !/^(?:#|\d{1,2}[.:)]|[-•→]|(?:step|tip|mistake) \d)|:$/iu.test(line),
          );
        const units = [hook, ...prose.flatMap((line) => line.split(/(?<=[.!?])\s+/u))];
        for (const unit of units) {
          const words = unit.split(/\s+/u).filter(Boolean).length;
          expect(words, `${post.day} ${post.platform}: "${unit}"`).toBeGreaterThanOrEqual(6);
          expect(words, `${post.day} ${post.platform}: "${unit}"`).toBeLessThanOrEqual(30);
        }
      }
    }
  });

  it("passes a first campaign's drafts at the default bar, as the estimate assumes (no rewrite round offline)", () => {
    const bar = agentConfigSchema.parse({}).critiqueBar;
    expect(CALIBRATION.rewriteShare.every((share) => share === 0)).toBe(true);
    for (const run of ['a', 'b', 'c', 'd', 'e', 'f']) {
      const firstCampaigns = writeSampleCampaigns(7, 7, run).filter((campaign) => campaign.durationDays === 7);
      const { posts, scores } = measureQuality(firstCampaigns);
      expect(posts).toBe(4 * 21);
      expect(scores.under4 + scores.from4to7, `run ${run}: posts under the bar of ${bar}`).toBe(0);
    }
  });

  it('calibrates the critic on the planted-defect set: ≥ 95 % flagged, ≥ 95 % of clean posts passed', () => {
    const { planted, flagged, clean, passed } = calibration();
    expect(flagged / planted).toBeGreaterThanOrEqual(0.95);
    expect(passed / clean).toBeGreaterThanOrEqual(0.95);
  });
});
