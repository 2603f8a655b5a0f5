// Full text through the search words (a query word searched as the exact words it completes to finds
// exactly what a prefix search would; too short a word stays a prefix search), and paging past the cap.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { RegistryServiceClient, type SearchEntriesRequest } from '../../gen/ruqsat/registry/v1/registry.ts';
import { ServiceDb } from '../../services/kit/db.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { distinctWords, tsqueryOf } from '../../services/registry/domain/search-text.ts';
import { searchWords } from '../../services/registry/migrations/006_search_words.ts';
import { RegistryStore } from '../../services/registry/store.ts';
import { bind, call, callFails } from '../helpers/grpc.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';
import { licence, PERSON } from './helpers.ts';

describe('registry: full text through the search words', () => {
  let t: TestMesh;
  let client: InstanceType<typeof RegistryServiceClient>;
  let db: ServiceDb;
  let store: RegistryStore;
  const publish = (req: ReturnType<typeof licence>) => call(bind(client, 'publishEntry'), req);
  const search = async (query: string) => {
    const req = { parent: '', query, holder: '', number: '', kind: '', status: 0, filter: '', pageSize: 1000, pageToken: '' } satisfies SearchEntriesRequest;
    return (await call(bind(client, 'searchEntries'), req)).response.entries.map((e) => e.number);
  };
  // What a prefix search finds, straight from the table: the answer the completions must give.
  const byPrefix = async (query: string) => {
    const rows = (await db.table('entries').whereRaw('search @@ ?::tsquery', [tsqueryOf(query)!]).orderBy('seq', 'desc').select('number')) as { number: string }[];
    return rows.map((r) => r.number);
  };

  before(async () => {
    t = await startTestMesh(['registry']);
    client = clientFor(RegistryServiceClient, t.address('registry'));
    db = new ServiceDb(t.mesh.database.knex, t.config.schemaPrefix + 'registry');
    store = new RegistryStore(db);
    // 70 words that start with "б": more than a query word is completed to.
    for (let i = 0; i < 70; i++) {
      await publish(licence(`w${i}`, 1, { number: `KZ-W-${i}`, title: `Бағдарлама б${i} ${i % 3 === 0 ? 'Қауіпсіздік' : 'Ақпарат'}` }));
    }
    await publish(licence('w70', 1, { number: 'KZ-W-70', title: 'Шифрлау құралы', holder: { type: 2, identifier: '010440001231', displayName: 'ТОО «Защита»' } }));
  });
  after(async () => t?.stop());

  it('completes each query word to the indexed words it begins, or leaves a word with too many as a prefix', async () => {
    const [program, none, b, exact] = await store.completions(['бағдар', 'жоқ', 'б', 'шифрлау']);
    expect(program).to.deep.equal({ prefix: 'бағдар', words: ['бағдарлама'] });
    expect(none).to.deep.equal({ prefix: 'жоқ', words: [] });
    expect(b).to.deep.equal({ prefix: 'б', words: undefined });
    expect(exact).to.deep.equal({ prefix: 'шифрлау', words: ['шифрлау'] });
    expect((await store.completions(['б1'])).map((c) => c.words)).to.deep.equal([['б1', 'б10', 'б11', 'б12', 'б13', 'б14', 'б15', 'б16', 'б17', 'б18', 'б19']]);
  });

  it('finds what a prefix search finds, newest first, for exact, completed, too-short and missing words', async () => {
    for (const query of ['бағдарлама', 'бағдар қауіп', 'б', 'б1 ақпарат', 'б6', 'kz-w-7', 'защ', 'шифр құрал', 'қауіпсіздік жоқ', 'жоқ']) {
      const expected = await byPrefix(query);
      expect(await search(query), query).to.deep.equal(expected);
    }
    expect(await search('б')).to.have.length(70);
    expect(await search('бағдар қауіп')).to.have.length(24);
  });

  it('learns the words of a changed entry when it is published again', async () => {
    expect(await search('өзгертілген')).to.deep.equal([]);
    await publish(licence('w1', 2, { number: 'KZ-W-1', title: 'Өзгертілген атауы' }));
    expect(await search('өзгерт')).to.deep.equal(['KZ-W-1']);
    // The old words stay known; they complete, but no longer match this entry.
    expect(await search('б1 бағдар')).to.not.include('KZ-W-1');
    expect(await search('б1 бағдар')).to.deep.equal(await byPrefix('б1 бағдар'));
  });

  it('the migration fills the search words from entries that were already there', async () => {
    await db.knex.raw('drop table ??', [`${db.schema}.search_words`]);
    await searchWords.up(db.knex, db.schema);
    const known = (await db.table<{ word: string }>('search_words').pluck('word')) as string[];
    expect(known).to.include.members(distinctWords('Өзгертілген атауы KZ-W-70 ТОО «Защита»', 'б69'));
    expect(await search('өзгерт')).to.deep.equal(['KZ-W-1']);
  });

  it('clamps an oversized page to 1000 entries, pages on from there, and refuses a token from another query', async () => {
    // 1001 entries of one holder, written straight into the table (the search needs no words for them).
    await db.knex.raw(
      `insert into ?? (register_id, id, number, title, holder_type, holder_identifier, holder_name, status, source_resource)
       select 'nsc-licenses', 'bulk.' || g, 'KZ-B-' || g, 'Bulk', 'individual', ?, 'Bulk Holder', 'active', 'licenses/bulk' || g from generate_series(1, 1001) g`,
      [`${db.schema}.entries`, PERSON],
    );
    const req = { parent: '', query: '', holder: PERSON, number: '', kind: '', status: 0, filter: '', pageSize: 50_000, pageToken: '' } satisfies SearchEntriesRequest;
    const first = (await call(bind(client, 'searchEntries'), req)).response;
    expect(first.entries).to.have.length(1000);
    expect(first.entries[0]!.number).to.equal('KZ-B-1001');
    expect(first.nextPageToken).to.not.equal('');
    const second = (await call(bind(client, 'searchEntries'), { ...req, pageSize: 2_147_483_647, pageToken: first.nextPageToken })).response;
    expect(second.entries.map((e) => e.number)).to.deep.equal(['KZ-B-1']);
    expect(second.nextPageToken).to.equal('');

    const changed = await callFails(bind(client, 'searchEntries'), { ...req, filter: 'status = ACTIVE', pageToken: first.nextPageToken }, grpc.status.INVALID_ARGUMENT);
    expect(changed.status.fieldViolations[0]).to.include({ field: 'page_token', description: 'was issued for a different query' });
    const listed = (await call(bind(client, 'listEntries'), { parent: 'registers/nsc-licenses', pageSize: 1, pageToken: '' })).response;
    const foreign = await callFails(bind(client, 'searchEntries'), { ...req, parent: 'registers/nsc-licenses', holder: '', pageToken: listed.nextPageToken }, grpc.status.INVALID_ARGUMENT);
    expect(foreign.status.fieldViolations[0]).to.include({ field: 'page_token', description: 'was issued for a different query' });
  });
});
