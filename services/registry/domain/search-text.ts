// Full-text search words, made here rather than by PostgreSQL's parser: Kazakh and Russian letters
// are lowercased the same way whatever the database's locale (a C-locale server lowercases ASCII only).

/** Words of `text`, NFC, lowercased (Unicode-aware: Қ→қ, Ә→ә, Ё→ё), letters and digits only. */
export function searchWords(text: string): string[] {
  return text.normalize('NFC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The distinct words of the given texts, in first-seen order. */
export function distinctWords(...texts: string[]): string[] {
  return [...new Set(texts.flatMap(searchWords))];
}

/** A tsvector literal of the distinct words of the given texts; the words need no escaping. */
export function tsvectorOf(...texts: string[]): string {
  return distinctWords(...texts).map((w) => `'${w}'`).join(' ');
}

/** A tsquery literal that matches every word of `query` as a prefix; undefined when it has none. */
export function tsqueryOf(query: string): string | undefined {
  const words = distinctWords(query);
  return words.length === 0 ? undefined : words.map((w) => `'${w}':*`).join(' & ');
}

/**
 * A query word and what it completes to among the indexed words: the exact words, or undefined
 * when there are too many to list (then it is searched as a prefix).
 */
export interface Completion {
  prefix: string;
  words: string[] | undefined;
}

/**
 * The tsquery literal for completed query words: every query word must match, each as any of its
 * completions; undefined when a word completes to nothing, so nothing can match.
 */
export function tsqueryOfCompletions(completions: Completion[]): string | undefined {
  if (completions.length === 0 || completions.some((c) => c.words?.length === 0)) return undefined;
  return completions.map((c) => (c.words === undefined ? `'${c.prefix}':*` : c.words.length === 1 ? `'${c.words[0]}'` : `(${c.words.map((w) => `'${w}'`).join(' | ')})`)).join(' & ');
}
