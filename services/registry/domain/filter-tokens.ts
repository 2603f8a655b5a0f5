// The filter string's tokens (AIP-160 lexis): names and bare values, quoted strings, comparators,
// parentheses, the AND / OR / NOT keywords and the "-" negation.

/** A filter that does not parse; `position` is the 0-based character offset of the trouble. */
export class FilterError extends Error {
  constructor(
    readonly position: number,
    message: string,
  ) {
    super(`at position ${position}: ${message}`);
  }
}

export type TokenType = 'word' | 'string' | 'op' | '(' | ')' | 'AND' | 'OR' | 'NOT' | '-';

export interface Token {
  type: TokenType;
  text: string;
  at: number;
}

const WORD_CHAR = /[\p{L}\p{N}_.\-+]/u;
const KEYWORDS = new Set(['AND', 'OR', 'NOT']);

/** How an error names what it found: the token as written, or the end. */
export const shown = (t: Token | undefined): string => (t === undefined ? 'the end of the filter' : t.type === 'string' ? `the string ${JSON.stringify(t.text)}` : JSON.stringify(t.text));

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'") {
      const at = i;
      let text = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new FilterError(at, `unterminated string: expected a closing ${c}`);
        const d = src[i]!;
        if (d === '\\') {
          if (i + 1 >= src.length) throw new FilterError(at, `unterminated string: expected a closing ${c}`);
          text += src[i + 1];
          i += 2;
        } else if (d === c) {
          i++;
          break;
        } else {
          text += d;
          i++;
        }
      }
      out.push({ type: 'string', text, at });
    } else if (/[<>=!:]/.test(c)) {
      const two = src.slice(i, i + 2);
      const op = ['<=', '>=', '!='].includes(two) ? two : c;
      if (op === '!') throw new FilterError(i, 'expected "!=" (negate a condition with NOT or "-")');
      out.push({ type: 'op', text: op, at: i });
      i += op.length;
    } else if (c === '(' || c === ')') {
      out.push({ type: c, text: c, at: i });
      i++;
    } else if (c === '-' && out[out.length - 1]?.type !== 'op') {
      // A "-" where a condition may start negates it; after a comparator it begins a value.
      out.push({ type: '-', text: c, at: i });
      i++;
    } else if (WORD_CHAR.test(c)) {
      const at = i;
      while (i < src.length && WORD_CHAR.test(src[i]!)) i++;
      const text = src.slice(at, i);
      out.push({ type: KEYWORDS.has(text) ? (text as TokenType) : 'word', text, at });
    } else {
      throw new FilterError(i, `unexpected character ${JSON.stringify(c)}`);
    }
  }
  return out;
}
