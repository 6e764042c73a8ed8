/**
 * The family a creator's niche belongs to, from its words: the offline writer picks its phrasing
 * bank by it, and the critic counts a family word in a tag as naming the niche ("#budgeting" for
 * "personal finance for students"). Pure.
 */

export const NICHE_FAMILIES = [
  'finance',
  'fitness',
  'food',
  'tech',
  'crafts',
  'travel',
  'education',
  'beauty',
  'gaming',
  'general',
] as const;
export type NicheFamily = (typeof NICHE_FAMILIES)[number];

/** Word stems that place a niche in a family, most specific family first (an indie game developer is gaming, not tech). */
const FAMILY_STEMS: Record<Exclude<NicheFamily, 'general'>, readonly string[]> = {
  gaming: ['game', 'gaming', 'esport', 'speedrun', 'twitch', 'godot', 'unity', 'steam', 'indiedev'],
  finance: ['financ', 'money', 'budget', 'saving', 'invest', 'debt', 'frugal', 'credit', 'retire', 'tax', 'bank', 'wealth', 'stock'],
  fitness: ['fitness', 'strength', 'workout', 'training', 'gym', 'running', 'yoga', 'lifting', 'muscle', 'cardio', 'mobility', 'athlet'],
  food: ['cook', 'food', 'recipe', 'baking', 'kitchen', 'meal', 'dinner', 'vegan', 'chef', 'cuisine', 'grill'],
  beauty: ['skin', 'beauty', 'makeup', 'hair', 'nail', 'cosmetic', 'fragrance', 'grooming'],
  travel: ['travel', 'trip', 'backpack', 'hostel', 'vanlife', 'tourism', 'destination', 'nomad'],
  crafts: ['craft', 'knit', 'crochet', 'sewing', 'woodwork', 'pottery', 'ceramic', 'quilt', 'embroider', 'diy', 'handmade', 'paint'],
  tech: ['tech', 'software', 'coding', 'programming', 'developer', 'web', 'app', 'gadget', 'computer', 'cloud', 'data', 'ai'],
  education: ['educat', 'teach', 'study', 'studying', 'language', 'learn', 'exam', 'tutor', 'school', 'math', 'science', 'history'],
};

/** Words a tag may use to name a niche of the family (besides the niche's own words). */
export const FAMILY_TAG_WORDS: Record<NicheFamily, readonly string[]> = {
  finance: ['money', 'budget', 'finance', 'saving', 'invest', 'frugal', 'debt', 'personalfinance'],
  fitness: ['fitness', 'strength', 'workout', 'training', 'gym', 'fit'],
  food: ['cooking', 'food', 'recipe', 'dinner', 'meal', 'homecook', 'foodie'],
  tech: ['tech', 'coding', 'software', 'developer', 'programming'],
  crafts: ['craft', 'handmade', 'diy', 'maker'],
  travel: ['travel', 'trip', 'backpacking', 'wanderlust'],
  education: ['learn', 'study', 'education', 'teach'],
  beauty: ['skincare', 'skin', 'beauty', 'makeup', 'hair'],
  gaming: ['gamedev', 'indiedev', 'gaming', 'game', 'indiegame'],
  general: [],
};

const wordsOf = (text: string) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .match(/\p{L}+/gu) ?? [];

/** The niche's family: the first family one of whose stems starts a word of the niche, else `general`. */
export function nicheFamily(niche: string): NicheFamily {
  const words = wordsOf(niche);
  for (const [family, stems] of Object.entries(FAMILY_STEMS) as [Exclude<NicheFamily, 'general'>, readonly string[]][]) {
    if (words.some((word) => stems.some((stem) => (stem.length <= 3 ? word === stem : word.startsWith(stem))))) return family;
  }
  return 'general';
}
