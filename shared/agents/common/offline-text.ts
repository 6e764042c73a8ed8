import { platformLabels, type Platform } from '../../schemas/common';

/**
 * Small text helpers for the agents' offline twins: deterministic choices from a seeded random
 * source (shared/ai's seededRandom), and creator text made safe to embed in a generated sentence
 * whose schema caps its length.
 */

export type Random = () => number;

/** One item of a non-empty list, chosen by `random`. */
export function pick<T>(random: Random, items: readonly T[]): T {
  if (items.length === 0) throw new RangeError('pick needs at least one item');
  return items[Math.floor(random() * items.length)] as T;
}

/** A shuffled copy (Fisher–Yates). */
export function shuffle<T>(random: Random, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** One line of text: control characters and runs of whitespace become single spaces. */
export function clean(text: string): string {
  return text.replace(/[\p{Cc}\p{Zl}\p{Zp}\s]+/gu, ' ').trim();
}

const ELLIPSIS = '…';

/** `text` cleaned and cut to at most `max` characters, at a word boundary when one is close, with an ellipsis. */
export function clip(text: string, max: number): string {
  const line = clean(text);
  if (line.length <= max) return line;
  let end = Math.max(0, max - ELLIPSIS.length);
  const space = line.lastIndexOf(' ', end);
  if (space >= end * 0.6) end = space;
  if (/[\uD800-\uDBFF]/.test(line[end - 1] ?? '')) end -= 1;
  return `${line.slice(0, end).replace(/[\s,;:–—-]+$/u, '')}${ELLIPSIS}`;
}

const DANGLING_WORD =
  /(?:[\s,;:–—-]+|\s+(?:a|about|an|and|as|at|but|by|for|from|in|into|nor|of|on|or|so|than|the|to|via|with|without|your|my|our|their))$/iu;

/**
 * `text` cleaned and, when longer than `max`, cut at the last word boundary that fits (no
 * ellipsis), without a dangling preposition, conjunction or article; mid-word only when the text
 * has no space to cut at.
 */
export function cutAtWord(text: string, max: number): string {
  const line = clean(text);
  if (line.length <= max) return line;
  const space = line.lastIndexOf(' ', max);
  let cut = space > 0 ? line.slice(0, space) : line.slice(0, max);
  if (space <= 0 && /[\uD800-\uDBFF]/.test(cut[cut.length - 1] ?? '')) cut = cut.slice(0, -1);
  for (let previous = ''; previous !== cut;) {
    previous = cut;
    const next = cut.replace(DANGLING_WORD, '');
    if (next) cut = next;
  }
  return cut;
}

const DANGLING =
  /(?:[\s,;:–—-]+|\s+(?:a|about|an|and|are|as|at|but|by|for|from|in|into|is|its|my|nor|of|on|or|our|so|than|that|the|their|to|versus|via|vs\.?|with|without|your))$/iu;

/** `value` without trailing punctuation or a trailing preposition, conjunction, article or possessive. */
export function dropDangling(value: string): string {
  let text = value;
  for (let previous = ''; previous !== text;) {
    previous = text;
    text = text.replace(DANGLING, '');
  }
  return text;
}

/**
 * At most `max` characters, cut at a word boundary (never mid-word when the text has a space),
 * without a dangling preposition or conjunction, no ellipsis (for use inside a sentence).
 */
export function shorten(value: string, max: number): string {
  if (value.length <= max) return value;
  const cut = value.slice(0, max + 1);
  const space = cut.lastIndexOf(' ');
  const shortened = space > 0 ? cut.slice(0, space) : value.slice(0, max);
  return dropDangling(shortened) || shortened.replace(/[\s,;:–—-]+$/u, '') || value.slice(0, max);
}

/**
 * A short noun phrase for a longer description: trailing qualifiers ("living on a tight budget",
 * "who …", "with …") trimmed at the first one, then shortened at a word boundary.
 * "first-year students living on a tight budget" → "first-year students".
 */
export function nounPhrase(value: string, max: number, qualifiers: RegExp): string {
  if (value.length <= 24) return shorten(value, max);
  const match = qualifiers.exec(value);
  const head = match && match.index > 0 ? dropDangling(value.slice(0, match.index)) : value;
  return shorten(/\p{L}{3,}/u.test(head) ? head : value, max);
}

const NICHE_QUALIFIERS = /\s(?:for|who|that|which|with|without|on|in|at|from|during|while)\s/iu;

/**
 * The niche as titles and hooks say it: its head before a qualifier, at most `max` characters
 * ("personal finance for university students" → "personal finance"), so a title does not carry
 * the creator's whole niche description.
 */
export function shortNiche(niche: string, max = 30): string {
  return nounPhrase(niche, max, NICHE_QUALIFIERS);
}

/** Without trailing sentence punctuation, so the text can sit inside a generated sentence. */
export function bare(text: string): string {
  return clean(text).replace(/[\s.!?;:,…]+$/u, '');
}

/**
 * Creator text to embed mid-sentence: cleaned, without trailing punctuation, at most `max`
 * characters; text that is nothing but punctuation is kept as it is; `fallback` when it is empty.
 */
export function phrase(text: string, max: number, fallback: string): string {
  return clip(bare(text), max) || clip(text, max) || fallback;
}

/** `text` as one sentence of at most `max` characters, ending in a full stop unless it was cut. */
export function sentence(text: string, max: number): string {
  const clipped = clip(bare(text), max - 1);
  return clipped.endsWith(ELLIPSIS) || clipped === '' ? clipped : `${clipped}.`;
}

/** "a" or "an" before `word` (by its first letter). */
export function article(word: string): string {
  return /^[aeiou]/i.test(word.trim()) ? 'an' : 'a';
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Replaces `{name}` with `values.name`; names without a value stay as they are. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** "a", "a and b", "a, b and c". */
export function joinList(items: readonly string[], conjunction = 'and'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** Cleaned, non-empty, first occurrence kept (case-insensitive). */
export function distinctTexts(items: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const item of items) {
    const text = clean(item);
    const key = text.toLowerCase();
    if (text && !seen.has(key)) {
      seen.add(key);
      out.push(text);
    }
  }
  return out;
}

/**
 * The first candidate not yet in `taken` (compared case-insensitively), clipped to `max`, and
 * records it. When every candidate is taken, the last one gets a numbered suffix.
 */
export function claimDistinct(candidates: readonly string[], taken: Set<string>, max: number): string {
  for (const candidate of candidates) {
    const text = clip(candidate, max);
    if (text && !taken.has(text.toLowerCase())) {
      taken.add(text.toLowerCase());
      return text;
    }
  }
  const base = candidates[candidates.length - 1] ?? '';
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const text = `${clip(base, max - suffix.length)}${suffix}`;
    if (!taken.has(text.toLowerCase())) {
      taken.add(text.toLowerCase());
      return text;
    }
  }
}

/** Platform names as they read inside a sentence ("on the blog"). */
export const platformNames: Record<Platform, string> = { ...platformLabels, blog: 'the blog' };

/** A whole number with thousands separators ("12,500"); one decimal below 10 when it has one. */
export function formatNumber(value: number): string {
  const digits = Math.abs(value) < 10 && !Number.isInteger(value) ? 1 : 0;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}
