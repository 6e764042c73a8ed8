import { seededRandom } from '../../ai';
import {
  article,
  bare,
  capitalize,
  phrase,
  claimDistinct,
  clip,
  distinctTexts,
  fill,
  joinList,
  pick,
  platformNames,
  shortNiche,
  shuffle,
  type Random,
} from '../common/offline-text';
import type { ContextInput, ContentPillar, ContextAnalysis } from './schema';

interface Facts {
  name: string;
  type: string;
  niche: string;
  /** The niche as a title says it ("personal finance for university students" → "personal finance"). */
  short: string;
  audience: string;
  topics: string[];
  strengths: string[];
  platforms: string[];
  competitors: string[];
  assets: string[];
  angle?: string;
  purpose?: string;
}

function facts(profile: ContextInput): Facts {
  const niche = phrase(profile.niche, 60, 'their niche');
  const platforms = distinctTexts([
    ...(profile.targetPlatforms ?? []).map((p) => platformNames[p] ?? p),
    ...(profile.existingPlatforms ?? []).map((p) => platformNames[p.platform] ?? p.platform),
  ]);
  return {
    name: phrase(profile.userName, 40, 'This creator'),
    type: phrase(profile.creatorType, 40, 'creator'),
    niche,
    short: shortNiche(niche),
    audience: phrase(profile.targetAudienceNiche, 60, 'their audience'),
    // Without topics of their own, the niche itself (as titles say it) anchors the first pillar.
    topics: profile.selfTopics?.length
      ? distinctTexts(profile.selfTopics.map((t) => clip(bare(t), 48) || clip(t, 48)))
      : [shortNiche(niche)],
    strengths: distinctTexts((profile.selfStrengths ?? []).map((s) => clip(bare(s), 60))),
    platforms,
    competitors: distinctTexts((profile.competitorAccounts ?? []).map((c) => clip(c, 40))),
    assets: distinctTexts((profile.existingAssets ?? []).map((a) => clip(bare(a), 50))),
    angle: profile.uniqueAngle ? clip(bare(profile.uniqueAngle), 200) || undefined : undefined,
    purpose: profile.selfPurpose ? clip(bare(profile.selfPurpose), 160) || undefined : undefined,
  };
}

const TOPIC_DESCRIPTIONS = [
  'Practical {topic} content for {audience}, grounded in what {name} knows about {niche}.',
  'Step-by-step {topic} posts that turn {niche} know-how into something {audience} can act on this week.',
  'Clear, repeatable takes on {topic} for {audience} who want results, not theory.',
];

const TOPIC_EXAMPLES = [
  '{Topic}: where to start',
  '3 mistakes I see all the time with {topic}',
  'What I wish I knew about {topic} sooner',
  '{Topic}: myth vs. reality',
  'A week of {topic}, documented',
  'The {topic} question I get asked most',
  '{Topic}, shown on a real example',
];

interface Archetype {
  name: string;
  description: string;
  examples: string[];
  /** An example built on one of the creator's topics that has no pillar of its own. */
  aboutTopic: string;
}

function archetypes(f: Facts): Archetype[] {
  const bank: Archetype[] = [
    {
      name: 'Myths vs. facts',
      description: 'Correcting the {niche} advice {audience} keep hearing, with evidence and a better alternative.',
      examples: ['The {short} myth I believed for years', 'Fact-checking popular {short} advice', '{Short} rules you can safely ignore'],
      aboutTopic: 'Myths about {topic}, corrected',
    },
    {
      name: 'Behind the scenes',
      description: 'How {name} actually works as a {type}: process, tools and honest numbers.',
      examples: [
        'My real {short} workflow, start to finish',
        'The tools I use every week for {short}',
        ...f.assets.slice(0, 2).map((asset) => `Behind the making of ${asset}`),
      ],
      aboutTopic: 'How I handle {topic} myself',
    },
    {
      name: 'Your questions, answered',
      description: 'Real questions from {audience}, turned from comments and DMs into posts.',
      examples: [
        'Answering your top {short} question',
        'The {short} question I get asked every week',
        "Reviewing a follower's {short} setup",
      ],
      aboutTopic: 'Your questions about {topic}, answered',
    },
    {
      name: 'Wins and lessons',
      description: 'What worked and what did not in {niche}, from {name} and from the community, with the lesson spelled out.',
      examples: [
        'My biggest {short} mistake and what it taught me',
        'A {short} win from the community',
        'What I would do differently in {short}',
      ],
      aboutTopic: 'What {topic} taught me',
    },
    {
      name: `What's changing in ${f.short}`,
      description: 'News, trends and new tools in {niche}, translated into what they mean for {audience}.',
      examples: ['The {short} trend worth your attention', 'Is this new {short} tool worth it?', 'What changed in {short} this month'],
      aboutTopic: "What's new in {topic}",
    },
  ];
  if (f.angle) {
    bank.unshift({
      name: `The ${clip(f.type, 40)}'s take`,
      description: clip(`Posts built on ${f.name}'s own angle: "${f.angle}".`, 300),
      examples: [
        'Why I approach {short} differently',
        'The {short} advice I disagree with, and why',
        'My way of explaining {short}, without the jargon',
      ],
      aboutTopic: 'My take on {topic}',
    });
  }
  return bank;
}

function values(f: Facts, topic = ''): Record<string, string> {
  return {
    name: f.name,
    type: f.type,
    a_type: `${article(f.type)} ${f.type}`,
    niche: f.niche,
    short: f.short,
    Short: capitalize(f.short),
    audience: f.audience,
    topic,
    Topic: capitalize(topic),
  };
}

function topicPillar(f: Facts, topic: string, random: Random): ContentPillar {
  const v = values(f, topic);
  return {
    name: clip(capitalize(topic), 60),
    description: clip(fill(pick(random, TOPIC_DESCRIPTIONS), v), 300),
    exampleTopics: distinctTexts(shuffle(random, TOPIC_EXAMPLES).map((template) => clip(fill(template, v), 120))).slice(0, 3),
  };
}

/**
 * Up to four of the creator's topics become pillars of their own; archetypes (myths, behind the
 * scenes, questions, …; the creator's angle first when they gave one) complete 3 to 5 pillars and
 * carry the remaining topics as examples.
 */
function offlinePillars(f: Facts, random: Random): ContentPillar[] {
  const topicCount = Math.min(f.topics.length, 4);
  const archetypeCount = Math.max(3 - topicCount, 1);
  const pillars: ContentPillar[] = [];
  const names = new Set<string>();
  for (const topic of f.topics.slice(0, topicCount)) {
    const pillar = topicPillar(f, topic, random);
    pillars.push({ ...pillar, name: claimDistinct([pillar.name], names, 60) });
  }
  const extras = f.topics.slice(topicCount);
  const bank = archetypes(f);
  const [first, ...rest] = bank;
  const ordered = (f.angle && first ? [first, ...shuffle(random, rest)] : shuffle(random, bank)).slice(0, archetypeCount);
  ordered.forEach((archetype, i) => {
    const v = values(f);
    const own = extras.filter((_, j) => j % ordered.length === i).slice(0, 2);
    const examples = [...own.map((topic) => fill(archetype.aboutTopic, values(f, topic))), ...archetype.examples.map((e) => fill(e, v))];
    pillars.push({
      name: claimDistinct([archetype.name], names, 60),
      description: clip(fill(archetype.description, v), 300),
      exampleTopics: distinctTexts(examples.map((e) => clip(e, 120))).slice(0, 5),
    });
  });
  return pillars;
}

const POSITIONING = [
  '{name} is the {type} who makes {niche} practical for {audience}.',
  'For {audience} who feel lost in {niche}, {name} is the {type} who turns it into clear, doable steps.',
  "{name} brings {a_type}'s eye to {niche}, speaking directly to {audience} instead of to everyone.",
];
const WANTS = [
  'want quick, trustworthy answers they can use the same day',
  'are looking for someone who has been where they are',
  'hope to skip the beginner mistakes everyone else makes',
];
const RESPONDS = ['concrete examples and real numbers', 'short step-by-step formats they can save', 'honest before-and-after stories'];
const TUNES_OUT = [
  'vague motivation and jargon',
  'polished content that hides the hard parts',
  'advice that assumes a budget or expertise they do not have',
];
const TONES = ['warm, direct and practical', 'curious, upbeat and clear', 'calm, expert and encouraging', 'playful but precise'];

export function offlineContext(profile: ContextInput, seed: string): ContextAnalysis {
  const random = seededRandom(`context|${seed}`);
  const f = facts(profile);
  const v = values(f);

  const positioning = [
    fill(pick(random, POSITIONING), v),
    f.angle ? `What sets ${f.name} apart: "${f.angle}".` : '',
    f.strengths.length > 0 ? `Strengths to lead with: ${joinList(f.strengths.slice(0, 3))}.` : '',
    f.platforms.length > 0 ? `Home turf for this campaign: ${joinList(f.platforms.slice(0, 4))}.` : '',
  ];

  const demo = profile.targetAudienceDemographics;
  const ageRange = demo?.ageRange ? clip(bare(demo.ageRange), 30) : '';
  const locations = distinctTexts((demo?.locations ?? []).map((l) => clip(bare(l), 30))).slice(0, 3);
  const interests = distinctTexts((demo?.interests ?? []).map((i) => clip(bare(i), 30))).slice(0, 3);
  const who = `${capitalize(f.audience)}${ageRange ? ` (${ageRange})` : ''}${locations.length > 0 ? ` in ${joinList(locations)}` : ''}`;
  const audienceInsight = [
    `${who} come to ${f.niche} content because they ${pick(random, WANTS)}.`,
    `They respond to ${pick(random, RESPONDS)} and tune out ${pick(random, TUNES_OUT)}.`,
    interests.length > 0 ? `Interests to connect with: ${joinList(interests)}.` : '',
    f.purpose ? `${f.name}'s purpose ("${f.purpose}") gives them a reason to come back.` : '',
  ];

  const dos = [
    `Open with a problem ${f.audience} recognise, in the first line`,
    f.topics.length > 0 ? `Use concrete examples from ${joinList(f.topics.slice(0, 2))}` : `Use one concrete ${f.niche} example per post`,
    f.strengths.length > 0 ? `Lean on your strength: ${f.strengths[0]}` : `Show your own ${f.niche} process, not just conclusions`,
    `Close with one clear action tied to the post's ${f.niche} takeaway`,
    f.platforms.length > 0
      ? `Write natively for ${f.platforms[0]} rather than cross-posting the same cut`
      : 'Adapt each idea to the platform instead of cross-posting it',
  ];
  const donts = [
    `Don't pile on ${f.niche} jargon without a one-line definition`,
    "Don't promise results you can't show",
    "Don't bury the hook after a long intro",
    f.competitors.length > 0
      ? `Don't copy ${f.competitors[0]}'s formats; answer what they leave out`
      : `Don't chase every ${f.niche} trend; stay on your pillars`,
  ];

  return {
    positioning: clip(positioning.filter(Boolean).join(' '), 600),
    audienceInsight: clip(audienceInsight.filter(Boolean).join(' '), 600),
    contentPillars: offlinePillars(f, random),
    voice: {
      tone: clip(`${pick(random, TONES)}, like ${article(f.type)} ${f.type} talking to ${f.audience}`, 160),
      dos: shuffle(random, dos)
        .slice(0, 4)
        .map((d) => clip(d, 200)),
      donts: shuffle(random, donts)
        .slice(0, 3)
        .map((d) => clip(d, 200)),
    },
  };
}
