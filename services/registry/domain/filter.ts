// An AIP-160 subset for SearchEntries: `field op value` comparisons joined by AND.
// holder = "123456789012" AND status = ACTIVE AND update_time >= "2026-01-01T00:00:00Z"

export type Op = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { kind: 'text'; field: TextField; op: '=' | '!='; value: string }
  | { kind: 'attribute'; key: string; op: '=' | '!='; value: string }
  | { kind: 'time'; field: TimeField; op: Op; value: Date };

export const TEXT_FIELDS = ['holder', 'number', 'kind', 'status', 'register', 'source_service', 'source_resource'] as const;
export const TIME_FIELDS = ['create_time', 'update_time', 'effective_time', 'expire_time'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];
export type TimeField = (typeof TIME_FIELDS)[number];

/** A filter that does not parse; `position` is the 0-based character offset of the trouble. */
export class FilterError extends Error {
  constructor(
    readonly position: number,
    message: string,
  ) {
    super(`at position ${position}: ${message}`);
  }
}

export const MAX_FILTER_LENGTH = 2000;
const MAX_CONDITIONS = 20;
const ATTRIBUTE_KEY = /^[a-z][a-z0-9_]{0,62}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

interface Token {
  type: 'word' | 'string' | 'op' | 'paren';
  text: string;
  at: number;
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      const at = i;
      let text = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new FilterError(at, 'unterminated string');
        const d = src[i]!;
        if (d === '\\') {
          if (i + 1 >= src.length) throw new FilterError(i, 'unterminated string');
          text += src[i + 1];
          i += 2;
        } else if (d === '"') {
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
      if (op === '!' ) throw new FilterError(i, 'expected "!="');
      out.push({ type: 'op', text: op, at: i });
      i += op.length;
    } else if (c === '(' || c === ')') {
      out.push({ type: 'paren', text: c, at: i });
      i++;
    } else if (/[\p{L}\p{N}_.\-+]/u.test(c)) {
      const at = i;
      while (i < src.length && /[\p{L}\p{N}_.\-+]/u.test(src[i]!)) i++;
      out.push({ type: 'word', text: src.slice(at, i), at });
    } else {
      throw new FilterError(i, `unexpected character "${c}"`);
    }
  }
  return out;
}

/** Parses a filter string; empty means no conditions. Throws FilterError with the position. */
export function parseFilter(src: string): Condition[] {
  if (src.length > MAX_FILTER_LENGTH) throw new FilterError(MAX_FILTER_LENGTH, `longer than ${MAX_FILTER_LENGTH} characters`);
  const tokens = tokenize(src);
  const conditions: Condition[] = [];
  let i = 0;
  const end = src.length;
  const next = (what: string): Token => {
    const t = tokens[i];
    if (!t) throw new FilterError(end, `expected ${what}, got the end of the filter`);
    i++;
    return t;
  };
  if (tokens.length === 0) return conditions;
  for (;;) {
    const field = next('a field name');
    if (field.type === 'paren') throw new FilterError(field.at, 'parentheses are not supported');
    if (field.type !== 'word' || /^(AND|OR|NOT)$/.test(field.text)) throw new FilterError(field.at, `expected a field name, got ${JSON.stringify(field.text)}`);
    const op = next('a comparison operator');
    if (op.type !== 'op') throw new FilterError(op.at, `expected a comparison operator (=, !=, <, <=, >, >=), got ${JSON.stringify(op.text)}`);
    if (op.text === ':') throw new FilterError(op.at, 'the has operator ":" is not supported; use =');
    const value = next('a value');
    if (value.type !== 'word' && value.type !== 'string') throw new FilterError(value.at, `expected a value, got ${JSON.stringify(value.text)}`);
    conditions.push(condition(field, op.text as Op, value));
    if (conditions.length > MAX_CONDITIONS) throw new FilterError(field.at, `at most ${MAX_CONDITIONS} conditions`);
    if (i >= tokens.length) return conditions;
    const join = next('AND');
    if (join.text === 'OR') throw new FilterError(join.at, 'OR is not supported; only AND');
    if (join.text !== 'AND') throw new FilterError(join.at, `expected AND, got ${JSON.stringify(join.text)}`);
  }
}

function condition(field: Token, op: Op, value: Token): Condition {
  const name = field.text;
  if ((TIME_FIELDS as readonly string[]).includes(name)) {
    if (!RFC3339.test(value.text)) throw new FilterError(value.at, `${name} needs an RFC 3339 time such as "2026-01-01T00:00:00Z"`);
    const date = new Date(value.text);
    if (Number.isNaN(date.getTime()) || !calendarValid(value.text)) throw new FilterError(value.at, `${JSON.stringify(value.text)} is not a valid time`);
    return { kind: 'time', field: name as TimeField, op, value: date };
  }
  const equality = (): '=' | '!=' => {
    if (op !== '=' && op !== '!=') throw new FilterError(field.at + name.length, `${name} compares only with = or !=`);
    return op;
  };
  if (name.startsWith('attributes.')) {
    const key = name.slice('attributes.'.length);
    if (!ATTRIBUTE_KEY.test(key)) throw new FilterError(field.at, `${JSON.stringify(key)} is not an attribute key (snake_case)`);
    return { kind: 'attribute', key, op: equality(), value: value.text };
  }
  if ((TEXT_FIELDS as readonly string[]).includes(name)) return { kind: 'text', field: name as TextField, op: equality(), value: value.text };
  throw new FilterError(field.at, `unknown field ${JSON.stringify(name)}; known: ${[...TEXT_FIELDS, ...TIME_FIELDS, 'attributes.KEY'].join(', ')}`);
}

// Date would roll 2026-02-30 over to March 2; a filter with it is a mistake to report.
function calendarValid(text: string): boolean {
  const [y, m, d, h, mi, s] = text.match(/\d+/g)!.slice(0, 6).map(Number) as [number, number, number, number, number, number];
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return m >= 1 && m <= 12 && d >= 1 && d <= days && h <= 23 && mi <= 59 && s <= 59;
}
