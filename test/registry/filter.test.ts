// The AIP-160 subset SearchEntries accepts, and where it says a filter goes wrong.
import { expect } from 'chai';
import knex from 'knex';
import { FilterError, parseFilter, type Filter } from '../../services/registry/domain/filter.ts';
import { whereOf } from '../../services/registry/filter-sql.ts';
import { searchWords, tsqueryOf, tsvectorOf } from '../../services/registry/domain/search-text.ts';

const errorOf = (src: string): FilterError => {
  try {
    parseFilter(src);
  } catch (err) {
    if (err instanceof FilterError) return err;
    throw err;
  }
  throw new Error(`${src} parsed`);
};

// The tree in a compact form: and(…), or(…), not(…), field op value.
const shape = (f: Filter | undefined): string => {
  if (f === undefined) return '';
  if (f.kind === 'and' || f.kind === 'or') return `${f.kind}(${f.of.map(shape).join(', ')})`;
  if (f.kind === 'not') return `not(${shape(f.of)})`;
  if (f.kind === 'time') return `${f.field}${f.op}${f.value.toISOString()}`;
  return `${f.kind === 'attribute' ? `attributes.${f.key}` : f.field}${f.op}${f.value}`;
};

describe('registry: filter strings', () => {
  it('parses comparisons joined by AND', () => {
    const c = parseFilter('holder = "123456789012" AND status = ACTIVE AND update_time >= "2026-01-01T00:00:00Z" AND attributes.kind != "x\\"y"');
    expect(c).to.deep.equal({
      kind: 'and',
      of: [
        { kind: 'text', field: 'holder', op: '=', value: '123456789012' },
        { kind: 'text', field: 'status', op: '=', value: 'active' },
        { kind: 'time', field: 'update_time', op: '>=', value: new Date('2026-01-01T00:00:00Z') },
        { kind: 'attribute', key: 'kind', op: '!=', value: 'x"y' },
      ],
    });
    expect(parseFilter('')).to.equal(undefined);
    expect(parseFilter('   ')).to.equal(undefined);
    expect(parseFilter("  number='KZ-1'")).to.deep.equal({ kind: 'text', field: 'number', op: '=', value: 'KZ-1' });
    expect(shape(parseFilter('register = "registers/eir-is" AND status = entry_status_revoked'))).to.equal('and(register=eir-is, status=revoked)');
  });

  it('binds OR tighter than AND, as AIP-160 does, and parentheses override it', () => {
    expect(shape(parseFilter('kind = a AND kind = b OR kind = c'))).to.equal('and(kind=a, or(kind=b, kind=c))');
    expect(shape(parseFilter('kind = a OR kind = b AND kind = c'))).to.equal('and(or(kind=a, kind=b), kind=c)');
    expect(shape(parseFilter('kind = a OR kind = b OR kind = c AND number = n'))).to.equal('and(or(kind=a, kind=b, kind=c), number=n)');
    expect(shape(parseFilter('(kind = a AND kind = b) OR kind = c'))).to.equal('or(and(kind=a, kind=b), kind=c)');
    expect(shape(parseFilter('((kind = a))'))).to.equal('kind=a');
    expect(shape(parseFilter('(kind = a OR (number = n AND (status = active OR status = suspended)))'))).to.equal('or(kind=a, and(number=n, or(status=active, status=suspended)))');
  });

  it('negates one condition or a group with NOT or "-", and "-" inside a value is a hyphen', () => {
    expect(shape(parseFilter('NOT kind = a AND kind = b'))).to.equal('and(not(kind=a), kind=b)');
    expect(shape(parseFilter('-kind = a OR -(number = KZ-1 AND status = active)'))).to.equal('or(not(kind=a), not(and(number=KZ-1, status=active)))');
    expect(shape(parseFilter('NOT (NOT kind = a)'))).to.equal('not(not(kind=a))');
    expect(shape(parseFilter('number = -5'))).to.equal('number=-5');
  });

  it('says where a malformed filter goes wrong and what it expected there', () => {
    const cases: [string, number, RegExp][] = [
      ['holder = "1', 9, /unterminated string: expected a closing "/],
      ["holder = 'abc", 9, /unterminated string: expected a closing '/],
      ['holder = "1" AND', 16, /expected a field name, "\(", NOT or "-", got the end of the filter/],
      ['holder = "1" OR', 15, /expected a field name, "\(", NOT or "-", got the end/],
      ['AND holder = "1"', 0, /expected a field name, "\(", NOT or "-", got "AND"/],
      ['holder = "1" number = "2"', 13, /expected AND or OR between conditions, got "number"/],
      ['(holder = "1"', 13, /expected AND, OR or "\)" to close the "\(" at position 0, got the end/],
      ['(holder = "1" number = 2)', 14, /to close the "\(" at position 0, got "number"/],
      ['holder = "1")', 12, /this "\)" closes nothing/],
      ['()', 1, /expected a field name, "\(", NOT or "-", got "\)"/],
      ['NOT', 3, /expected a field name or "\(" after NOT, got the end/],
      ['NOT NOT kind = a', 4, /expected a field name or "\(" after NOT, got "NOT"/],
      ['- - kind = a', 2, /after -, got "-"/],
      ['holder', 6, /expected a comparator \(=, !=, <, <=, >, >=\), got the end/],
      ['holder AND kind = a', 7, /expected a comparator .*, got "AND"/],
      ['holder = ', 9, /expected a value \(a word or a quoted string\), got the end/],
      ['holder = OR', 9, /expected a value .*, got "OR"/],
      ['holder = (', 9, /expected a value/],
      ['holder : "1"', 7, /the has operator ":" is not supported/],
      ['holder ! "1"', 7, /expected "!="/],
      ['holder = ;', 9, /unexpected character ";"/],
      ['colour = "red"', 0, /unknown field "colour"/],
      ['holder < "1"', 6, /holder compares only with = or !=/],
      ['status = GREEN', 9, /expected a status \(ACTIVE, SUSPENDED, REVOKED or EXPIRED\), got "GREEN"/],
      ['status = constructor', 9, /expected a status/],
      ['attributes.Bad = 1', 0, /not an attribute key/],
      ['update_time > "yesterday"', 14, /update_time needs an RFC 3339 time/],
      ['update_time > "2026-02-30T00:00:00Z"', 14, /is not a valid time/],
      ['x'.repeat(3000), 2000, /longer than 2000/],
    ];
    for (const [src, position, message] of cases) {
      const err = errorOf(src);
      expect(err.position, src).to.equal(position);
      expect(err.message, src).to.match(message);
      expect(err.message, src).to.match(new RegExp(`^at position ${position}: `));
    }
  });

  it('limits the number of conditions and the depth of parentheses', () => {
    const many = Array.from({ length: 21 }, (_, i) => `kind = k${i}`).join(' OR ');
    expect(errorOf(many).message).to.match(/at most 20 conditions/);
    expect(shape(parseFilter(Array.from({ length: 20 }, (_, i) => `kind = k${i}`).join(' OR ')))).to.match(/^or\(/);
    expect(shape(parseFilter(`${'('.repeat(8)}kind = a${')'.repeat(8)}`))).to.equal('kind=a');
    const deep = errorOf(`${'('.repeat(9)}kind = a${')'.repeat(9)}`);
    expect(deep.position).to.equal(8);
    expect(deep.message).to.match(/nest at most 8 deep/);
  });
});

describe('registry: filter to SQL', () => {
  const sqlOf = (src: string) => {
    const q = knex({ client: 'pg' }).table('entries').select('id');
    q.where(whereOf(parseFilter(src)!));
    return q.toSQL().toNative();
  };

  it('binds every value as a parameter and keeps the tree\'s grouping', () => {
    const { sql, bindings } = sqlOf(`status = active AND (number = "x'; drop table entries; --" OR NOT attributes.kind = k) AND -expire_time < "2027-01-01T00:00:00Z"`);
    expect(sql).to.equal(
      'select "id" from "entries" where (("status" = $1) and (("number" = $2) or (not (coalesce(attributes->>$3 = $4, false)))) and (not ("expire_at" < $5 and "expire_at" is not null)))',
    );
    expect(bindings).to.deep.equal(['active', "x'; drop table entries; --", 'kind', 'k', new Date('2027-01-01T00:00:00Z')]);
  });
});

describe('registry: search words', () => {
  it('lowercases Kazakh and Russian letters whatever the database locale', () => {
    expect(searchWords('ҚОРҒАУ ЖШС «Әділет-Һ» ӨҢІР ҰҮ; ООО Защита №5')).to.deep.equal(['қорғау', 'жшс', 'әділет', 'һ', 'өңір', 'ұү', 'ооо', 'защита', '5']);
    expect(tsvectorOf('Қорғау', 'қорғау KZ-1')).to.equal("'қорғау' 'kz' '1'");
    expect(tsqueryOf("Өнім o'reilly")).to.equal("'өнім':* & 'o':* & 'reilly':*");
    expect(tsqueryOf(' -- ')).to.equal(undefined);
  });
});
