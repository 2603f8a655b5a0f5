// Full-text search words, made here rather than by PostgreSQL's parser: Kazakh and Russian letters
// are lowercased the same way whatever the database's locale (a C-locale server lowercases ASCII only).

/** Words of `text`, NFC, lowercased (Unicode-aware: Қ→қ, Ә→ә, Ё→ё), letters and digits only. */
export function searchWords(text: string): string[] {
  return text.normalize('NFC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** A tsvector literal of the distinct words of the given texts; the words need no escaping. */
export function tsvectorOf(...texts: string[]): string {
  const words = new Set(texts.flatMap(searchWords));
  return [...words].map((w) => `'${w}'`).join(' ');
}

/** A tsquery literal that matches every word of `query` as a prefix; undefined when it has none. */
export function tsqueryOf(query: string): string | undefined {
  const words = [...new Set(searchWords(query))];
  return words.length === 0 ? undefined : words.map((w) => `'${w}':*`).join(' & ');
}
