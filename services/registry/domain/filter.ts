// The AIP-160 subset SearchEntries accepts, parsed to a tree. As in AIP-160, OR binds tighter than
// AND, so `a AND b OR c` is `a AND (b OR c)`; NOT or "-" negates one condition or a parenthesised group.
//   expression  = factor { AND factor }
//   factor      = term { OR term }
//   term        = [ NOT | "-" ] ( restriction | "(" expression ")" )
//   restriction = field comparator value
// Left out of AIP-160: the has operator ":", functions, wildcards, and juxtaposition as an implicit AND.
import { shown, FilterError, tokenize, type Token } from './filter-tokens.ts';
import { STATUS_NAMES, type EntryStatusName } from './publish.ts';

export { FilterError } from './filter-tokens.ts';

export type Op = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { kind: 'text'; field: TextField; op: '=' | '!='; value: string }
  | { kind: 'attribute'; key: string; op: '=' | '!='; value: string }
  | { kind: 'time'; field: TimeField; op: Op; value: Date };

export type Filter = Condition | { kind: 'and'; of: Filter[] } | { kind: 'or'; of: Filter[] } | { kind: 'not'; of: Filter };

export const TEXT_FIELDS = ['holder', 'number', 'kind', 'status', 'register', 'source_service', 'source_resource'] as const;
export const TIME_FIELDS = ['create_time', 'update_time', 'effective_time', 'expire_time'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];
export type TimeField = (typeof TIME_FIELDS)[number];

export const MAX_FILTER_LENGTH = 2000;
export const MAX_CONDITIONS = 20;
export const MAX_DEPTH = 8;
const ATTRIBUTE_KEY = /^[a-z][a-z0-9_]{0,62}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const COMPARATORS = 'a comparator (=, !=, <, <=, >, >=)';
const CONDITION_START = 'a field name, "(", NOT or "-"';

/** Parses a filter string; empty (or blank) means no filter. Throws FilterError with the position. */
export function parseFilter(src: string): Filter | undefined {
  if (src.length > MAX_FILTER_LENGTH) throw new FilterError(MAX_FILTER_LENGTH, `longer than ${MAX_FILTER_LENGTH} characters`);
  const tokens = tokenize(src);
  if (tokens.length === 0) return undefined;
  let i = 0;
  let conditions = 0;
  const peek = (): Token | undefined => tokens[i];
  const fail = (expected: string): never => {
    const t = peek();
    throw new FilterError(t?.at ?? src.length, `expected ${expected}, got ${shown(t)}`);
  };

  const expression = (depth: number): Filter => {
    const of = [factor(depth)];
    while (peek()?.type === 'AND') {
      i++;
      of.push(factor(depth));
    }
    return of.length === 1 ? of[0]! : { kind: 'and', of };
  };
  const factor = (depth: number): Filter => {
    const of = [term(depth)];
    while (peek()?.type === 'OR') {
      i++;
      of.push(term(depth));
    }
    return of.length === 1 ? of[0]! : { kind: 'or', of };
  };
  const term = (depth: number): Filter => {
    const t = peek();
    if (t?.type === 'NOT' || t?.type === '-') {
      i++;
      return { kind: 'not', of: simple(depth, `a field name or "(" after ${t.text}`) };
    }
    return simple(depth, CONDITION_START);
  };
  const simple = (depth: number, expected: string): Filter => {
    const t = peek();
    if (t?.type === '(') {
      if (depth >= MAX_DEPTH) throw new FilterError(t.at, `parentheses nest at most ${MAX_DEPTH} deep`);
      i++;
      const inner = expression(depth + 1);
      if (peek()?.type !== ')') fail(`AND, OR or ")" to close the "(" at position ${t.at}`);
      i++;
      return inner;
    }
    if (t?.type !== 'word') return fail(expected);
    i++;
    if (++conditions > MAX_CONDITIONS) throw new FilterError(t.at, `at most ${MAX_CONDITIONS} conditions`);
    const op = peek();
    if (op?.type !== 'op') return fail(COMPARATORS);
    if (op.text === ':') throw new FilterError(op.at, 'the has operator ":" is not supported; expected =');
    i++;
    const value = peek();
    if (value?.type !== 'word' && value?.type !== 'string') return fail('a value (a word or a quoted string)');
    i++;
    return condition(t, op.text as Op, value);
  };

  const filter = expression(0);
  if (i < tokens.length) fail(tokens[i]!.type === ')' ? 'AND or OR (this ")" closes nothing)' : 'AND or OR between conditions');
  return filter;
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
  if (name === 'status') return { kind: 'text', field: 'status', op: equality(), value: statusOf(value) };
  if (name === 'register') return { kind: 'text', field: 'register', op: equality(), value: value.text.replace(/^registers\//, '') };
  if ((TEXT_FIELDS as readonly string[]).includes(name)) return { kind: 'text', field: name as TextField, op: equality(), value: value.text };
  throw new FilterError(field.at, `unknown field ${JSON.stringify(name)}; known: ${[...TEXT_FIELDS, ...TIME_FIELDS, 'attributes.KEY'].join(', ')}`);
}

/** ACTIVE, ENTRY_STATUS_ACTIVE or active → 'active'. */
function statusOf(value: Token): EntryStatusName {
  const name = value.text.toLowerCase().replace(/^entry_status_/, '');
  if (Object.hasOwn(STATUS_NAMES, name)) return name as EntryStatusName;
  throw new FilterError(value.at, `expected a status (ACTIVE, SUSPENDED, REVOKED or EXPIRED), got ${shown(value)}`);
}

// Date would roll 2026-02-30 over to March 2; a filter with it is a mistake to report.
function calendarValid(text: string): boolean {
  const [y, m, d, h, mi, s] = text.match(/\d+/g)!.slice(0, 6).map(Number) as [number, number, number, number, number, number];
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return m >= 1 && m <= 12 && d >= 1 && d <= days && h <= 23 && mi <= 59 && s <= 59;
}
