/** Counts in text: "1 campaign", "2 campaigns", "1 week". */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}
