// The AIP-160 subset SearchEntries accepts, and where it says a filter goes wrong.
import { expect } from 'chai';
import { FilterError, parseFilter } from '../../services/registry/domain/filter.ts';
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

describe('registry: filter strings', () => {
  it('parses comparisons joined by AND', () => {
    const c = parseFilter('holder = "123456789012" AND status = ACTIVE AND update_time >= "2026-01-01T00:00:00Z" AND attributes.kind != "x\\"y"');
    expect(c).to.deep.equal([
      { kind: 'text', field: 'holder', op: '=', value: '123456789012' },
      { kind: 'text', field: 'status', op: '=', value: 'ACTIVE' },
      { kind: 'time', field: 'update_time', op: '>=', value: new Date('2026-01-01T00:00:00Z') },
      { kind: 'attribute', key: 'kind', op: '!=', value: 'x"y' },
    ]);
    expect(parseFilter('')).to.deep.equal([]);
    expect(parseFilter('  number="KZ-1"')).to.deep.equal([{ kind: 'text', field: 'number', op: '=', value: 'KZ-1' }]);
  });

  it('says where a malformed filter goes wrong', () => {
    expect(errorOf('holder = "1').position).to.equal(9);
    expect(errorOf('holder = "1" AND').message).to.match(/^at position 16: expected a field name/);
    expect(errorOf('holder = "1" OR number = "2"').message).to.match(/^at position 13: OR is not supported/);
    expect(errorOf('colour = "red"').message).to.match(/^at position 0: unknown field "colour"/);
    expect(errorOf('holder < "1"').position).to.equal(6);
    expect(errorOf('update_time > "yesterday"').message).to.match(/^at position 14: update_time needs an RFC 3339 time/);
    expect(errorOf('update_time > "2026-02-30T00:00:00Z"').position).to.equal(14);
    expect(errorOf('holder = "1" number = "2"').message).to.match(/^at position 13: expected AND/);
    expect(errorOf('(holder = "1")').message).to.match(/parentheses/);
    expect(errorOf('holder ! "1"').position).to.equal(7);
    expect(errorOf('holder = ;').message).to.match(/^at position 9: unexpected character/);
    expect(errorOf('holder').message).to.match(/^at position 6: expected a comparison operator, got the end/);
    expect(errorOf('x'.repeat(3000)).message).to.match(/longer than 2000/);
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
