// A parsed filter as knex where-clauses: every value a bound parameter, never spliced into SQL.
// Each condition is two-valued (true or false, never NULL), so NOT selects exactly what its operand
// does not: an entry without an expiry time or without an attribute is "!=" any value, and no other
// comparison holds for it.
import type { Knex } from 'knex';
import type { Condition, Filter, TextField, TimeField } from './domain/filter.ts';

export type Where = (q: Knex.QueryBuilder) => void;

const TEXT_COLUMNS: Record<TextField, string> = {
  holder: 'holder_identifier',
  number: 'number',
  kind: 'kind',
  status: 'status',
  register: 'register_id',
  source_service: 'source_service',
  source_resource: 'source_resource',
};
const TIME_COLUMNS: Record<TimeField, { column: string; nullable: boolean }> = {
  create_time: { column: 'created_at', nullable: false },
  update_time: { column: 'updated_at', nullable: false },
  effective_time: { column: 'effective_at', nullable: true },
  expire_time: { column: 'expire_at', nullable: true },
};

export function whereOf(f: Filter): Where {
  switch (f.kind) {
    case 'and': {
      const parts = f.of.map(whereOf);
      return (q) => parts.forEach((part) => void q.where(part));
    }
    case 'or': {
      const parts = f.of.map(whereOf);
      return (q) => parts.forEach((part, i) => void (i === 0 ? q.where(part) : q.orWhere(part)));
    }
    case 'not': {
      const part = whereOf(f.of);
      return (q) => void q.whereNot(part);
    }
    default:
      return conditionOf(f);
  }
}

function conditionOf(c: Condition): Where {
  if (c.kind === 'attribute') {
    return c.op === '=' ? (q) => void q.whereRaw('coalesce(attributes->>? = ?, false)', [c.key, c.value]) : (q) => void q.whereRaw('attributes->>? is distinct from ?', [c.key, c.value]);
  }
  if (c.kind === 'text') {
    const column = TEXT_COLUMNS[c.field];
    return c.op === '=' ? (q) => void q.where(column, c.value) : (q) => void q.whereNot(column, c.value);
  }
  const { column, nullable } = TIME_COLUMNS[c.field];
  if (c.op === '!=') return (q) => void q.whereRaw('?? is distinct from ?', [column, c.value]);
  // "col < v AND col IS NOT NULL" is false, not NULL, for a missing time, and keeps the index usable.
  return nullable ? (q) => void q.where(column, c.op, c.value).whereNotNull(column) : (q) => void q.where(column, c.op, c.value);
}
