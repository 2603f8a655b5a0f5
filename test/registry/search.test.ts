// SearchEntries, WatchRegister and the public HTTP endpoint over a real registry.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { PartyType } from '../../gen/ruqsat/common/v1/common.ts';
import { EntryStatus, RegistryServiceClient, type EntryChange, type SearchEntriesRequest } from '../../gen/ruqsat/registry/v1/registry.ts';
import { ServiceDb } from '../../services/kit/db.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { RegistryStore } from '../../services/registry/store.ts';
import { bind, call, callFails } from '../helpers/grpc.ts';
import { withCheckDigit } from '../helpers/iin.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';
import { collectUntil, COMPANY, freePort, licence, PERSON } from './helpers.ts';

const OTHER = withCheckDigit('99031540021');

describe('registry: search, change feed and public HTTP', () => {
  let t: TestMesh;
  let client: InstanceType<typeof RegistryServiceClient>;
  let http: string;
  const search = (req: Partial<SearchEntriesRequest>) =>
    call(bind(client, 'searchEntries'), { parent: '', query: '', holder: '', number: '', kind: '', status: 0, filter: '', pageSize: 0, pageToken: '', ...req }).then((r) => r.response);
  const numbers = async (req: Partial<SearchEntriesRequest>) => (await search(req)).entries.map((e) => e.number).sort();

  before(async () => {
    const port = await freePort();
    t = await startTestMesh(['registry'], { REGISTRY_HTTP_PORT: String(port) });
    http = `http://127.0.0.1:${port}`;
    client = clientFor(RegistryServiceClient, t.address('registry'));
    const publish = (req: ReturnType<typeof licence>) => call(bind(client, 'publishEntry'), req);
    await publish(licence('s1', 1, { number: 'KZ-L-001', holder: { type: PartyType.PARTY_TYPE_LEGAL_ENTITY, identifier: COMPANY, displayName: 'Қорғау ЖШС' } }));
    await publish(licence('s2', 1, { number: 'KZ-L-002', title: 'Лицензия на разработку средств защиты информации', holder: { type: PartyType.PARTY_TYPE_LEGAL_ENTITY, identifier: OTHER, displayName: 'ТОО «Защита Информации»' }, attributes: { kind: 'leak_detection' } }));
    await publish(licence('s3', 1, { number: 'KZ-L-003', status: EntryStatus.ENTRY_STATUS_REVOKED, effectiveTime: new Date('2025-06-01T00:00:00Z') }));
    await publish(licence('s4', 1, { number: 'KZ-L-004', title: 'Ақпаратты қорғау құралдары', holder: { type: PartyType.PARTY_TYPE_INDIVIDUAL, identifier: PERSON, displayName: 'Әлия Ғабитқызы Һәкімова-Үмбетова' }, attributes: { kind: 'special_means' } }));
    await publish(licence('s5', 1, { register: 'registers/deposited-software', sourceService: 'deposit', sourceResource: 'deposits/s5', number: 'DEP-005', title: 'Өңірлік бағдарлама «Іңкәр»', attributes: { kind: 'program_code' } }));
  });
  after(async () => t?.stop());

  it('finds by holder, number, kind, status and register', async () => {
    expect(await numbers({ holder: COMPANY })).to.deep.equal(['DEP-005', 'KZ-L-001', 'KZ-L-003']);
    expect(await numbers({ number: 'KZ-L-002' })).to.deep.equal(['KZ-L-002']);
    expect(await numbers({ kind: 'leak_detection' })).to.deep.equal(['KZ-L-002']);
    expect(await numbers({ status: EntryStatus.ENTRY_STATUS_REVOKED })).to.deep.equal(['KZ-L-003']);
    expect(await numbers({ parent: 'registers/deposited-software' })).to.deep.equal(['DEP-005']);
    expect(await numbers({ holder: COMPANY, parent: 'registers/nsc-licenses', status: EntryStatus.ENTRY_STATUS_ACTIVE })).to.deep.equal(['KZ-L-001']);
  });

  it('finds Kazakh and Russian names by full text, in any case, by word prefix', async () => {
    expect(await numbers({ query: 'ҚОРҒАУ' })).to.include.members(['KZ-L-001', 'KZ-L-004']);
    expect(await numbers({ query: 'защит информации' })).to.deep.equal(['KZ-L-002']);
    expect(await numbers({ query: 'һәкімова үмбетова' })).to.deep.equal(['KZ-L-004']);
    expect(await numbers({ query: 'ғабитқызы әлия' })).to.deep.equal(['KZ-L-004']);
    expect(await numbers({ query: 'іңкәр өңір' })).to.deep.equal(['DEP-005']);
    expect(await numbers({ query: 'kz-l-002' })).to.deep.equal(['KZ-L-002']);
    expect(await numbers({ query: 'қорғау', holder: PERSON })).to.deep.equal(['KZ-L-004']);
    expect(await numbers({ query: 'нет такого' })).to.deep.equal([]);
  });

  it('applies a filter string with dates and attributes', async () => {
    expect(await numbers({ filter: `holder = "${COMPANY}" AND status = ACTIVE AND update_time >= "2026-01-01T00:00:00Z"` })).to.deep.equal(['DEP-005', 'KZ-L-001']);
    expect(await numbers({ filter: 'effective_time < "2026-01-01T00:00:00Z"' })).to.deep.equal(['KZ-L-003']);
    expect(await numbers({ filter: 'attributes.kind = "special_means" AND register = "registers/nsc-licenses"' })).to.deep.equal(['KZ-L-004']);
    expect(await numbers({ filter: 'status != ENTRY_STATUS_ACTIVE' })).to.deep.equal(['KZ-L-003']);
    expect(await numbers({ filter: 'update_time < "2000-01-01T00:00:00+05:00"' })).to.deep.equal([]);
  });

  it('applies OR, NOT and parentheses with AIP-160 precedence (OR before AND)', async () => {
    // AIP-160 reads this as (leak OR special) AND person; SQL's precedence would also give KZ-L-002.
    expect(await numbers({ filter: `kind = leak_detection OR kind = special_means AND holder = "${PERSON}"` })).to.deep.equal(['KZ-L-004']);
    expect(await numbers({ filter: `(kind = leak_detection OR kind = special_means) AND NOT register = "registers/nsc-licenses"` })).to.deep.equal([]);
    expect(await numbers({ filter: `kind = leak_detection OR (kind = special_means AND holder = "${PERSON}")` })).to.deep.equal(['KZ-L-002', 'KZ-L-004']);
    expect(await numbers({ filter: `NOT (holder = "${COMPANY}" OR holder = "${OTHER}")` })).to.deep.equal(['KZ-L-004']);
    expect(await numbers({ filter: '-status = ACTIVE' })).to.deep.equal(['KZ-L-003']);
    expect(await numbers({ filter: `holder = "${COMPANY}" AND -(register = deposited-software OR status = revoked)` })).to.deep.equal(['KZ-L-001']);
    expect(await numbers({ filter: 'NOT (NOT kind = leak_detection)', query: 'защита' })).to.deep.equal(['KZ-L-002']);
  });

  it('treats a missing time or attribute as unequal to any value and as failing any other comparison, so NOT is the complement', async () => {
    const all = ['DEP-005', 'KZ-L-001', 'KZ-L-002', 'KZ-L-003', 'KZ-L-004'];
    expect(await numbers({ filter: 'expire_time < "2100-01-01T00:00:00Z"' })).to.deep.equal([]);
    expect(await numbers({ filter: 'NOT expire_time < "2100-01-01T00:00:00Z"' })).to.deep.equal(all);
    expect(await numbers({ filter: 'expire_time != "2100-01-01T00:00:00Z"' })).to.deep.equal(all);
    expect(await numbers({ filter: 'attributes.sub_kinds = "development,production"' })).to.deep.equal(['KZ-L-001', 'KZ-L-003']);
    expect(await numbers({ filter: 'NOT attributes.sub_kinds = "development,production"' })).to.deep.equal(['DEP-005', 'KZ-L-002', 'KZ-L-004']);
    expect(await numbers({ filter: 'attributes.sub_kinds != "development,production"' })).to.deep.equal(['DEP-005', 'KZ-L-002', 'KZ-L-004']);
    expect(await numbers({ filter: 'NOT attributes.sub_kinds != "development,production"' })).to.deep.equal(['KZ-L-001', 'KZ-L-003']);
  });

  it('binds filter values as parameters: quotes and SQL in a value are only text', async () => {
    expect(await numbers({ filter: `number = "KZ-L-001' OR '1'='1"` })).to.deep.equal([]);
    expect(await numbers({ filter: `attributes.kind = "x') OR true --" OR number = 'KZ-L-002'` })).to.deep.equal(['KZ-L-002']);
  });

  it('pages newest first with tokens bound to the query, and clamps an oversized page', async () => {
    const seen: string[] = [];
    let pageToken = '';
    do {
      const page = await search({ holder: COMPANY, pageSize: 2, pageToken });
      expect(page.entries.length).to.be.at.most(2);
      seen.push(...page.entries.map((e) => e.number));
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(seen).to.deep.equal(['DEP-005', 'KZ-L-003', 'KZ-L-001']);
    const first = await search({ holder: COMPANY, pageSize: 1 });
    const foreign = await callFails(bind(client, 'searchEntries'), { ...emptySearch(), holder: OTHER, pageSize: 1, pageToken: first.nextPageToken }, grpc.status.INVALID_ARGUMENT);
    expect(foreign.status.fieldViolations[0]).to.include({ field: 'page_token', description: 'was issued for a different query' });
    await callFails(bind(client, 'searchEntries'), { ...emptySearch(), pageToken: 'garbage!' }, grpc.status.INVALID_ARGUMENT);
    expect((await search({ pageSize: 100_000 })).entries).to.have.length(5);
  });

  it('refuses bad input: filter with its position, page size, holder, unknown register', async () => {
    const bad = await callFails(bind(client, 'searchEntries'), { ...emptySearch(), filter: 'holder = "1" OR (number = "2"' }, grpc.status.INVALID_ARGUMENT);
    expect(bad.status.fieldViolations).to.have.length(1);
    expect(bad.status.fieldViolations[0]).to.include({ field: 'filter', description: 'at position 29: expected AND, OR or ")" to close the "(" at position 16, got the end of the filter' });
    expect(bad.status.errorInfo?.reason).to.equal('INVALID_ARGUMENT');
    const status = await callFails(bind(client, 'searchEntries'), { ...emptySearch(), filter: 'status = GREEN' }, grpc.status.INVALID_ARGUMENT);
    expect(status.status.fieldViolations[0]).to.include({ field: 'filter', description: 'at position 9: expected a status (ACTIVE, SUSPENDED, REVOKED or EXPIRED), got "GREEN"' });
    // Every violation at once: the filter's and the other fields'.
    const both = await callFails(bind(client, 'searchEntries'), { ...emptySearch(), filter: 'kind = a AND', number: 'n'.repeat(200) }, grpc.status.INVALID_ARGUMENT);
    expect(both.status.fieldViolations.map((v) => v.field)).to.deep.equal(['number', 'filter']);
    await callFails(bind(client, 'searchEntries'), { ...emptySearch(), pageSize: -1 }, grpc.status.INVALID_ARGUMENT);
    const holder = await callFails(bind(client, 'searchEntries'), { ...emptySearch(), holder: '123456789012' }, grpc.status.INVALID_ARGUMENT);
    expect(holder.status.fieldViolations[0]?.field).to.equal('holder');
    await callFails(bind(client, 'searchEntries'), { ...emptySearch(), parent: 'registers/nope' }, grpc.status.NOT_FOUND);
    await callFails(bind(client, 'searchEntries'), { ...emptySearch(), parent: 'nope' }, grpc.status.INVALID_ARGUMENT);
  });

  it('full text finds the same pages whether matches lie in the newest window or below it', async () => {
    const db = new ServiceDb(t.mesh.database.knex, t.config.schemaPrefix + 'registry');
    const query = { where: [], words: ['қорғау'] };
    const pages = async (store: RegistryStore) => {
      const out: string[][] = [];
      let before: string | undefined;
      for (;;) {
        const rows = await store.search(query, 2, before);
        out.push(rows.map((r) => r.number));
        if (rows.length < 2) return out;
        before = rows[rows.length - 1]!.seq;
      }
    };
    const whole = await pages(new RegistryStore(db));
    expect(whole.flat()).to.have.length.above(2);
    for (const window of [1, 2, 3, 4, 5, 8]) expect(await pages(new RegistryStore(db, window)), `window ${window}`).to.deep.equal(whole);
  });

  it('WatchRegister replays after a cursor, then streams live changes of its register only', async () => {
    const all = await collectUntil<EntryChange>(client.watchRegister({ parent: 'registers/-', afterSequence: 0 }), (got) => got.length === 5);
    expect(all.map((c) => c.sequence)).to.deep.equal([1, 2, 3, 4, 5]);
    expect(all.every((c) => c.created)).to.equal(true);
    // Resume after the second change, on one register: the third and fourth, then a live one.
    const stream = client.watchRegister({ parent: 'registers/nsc-licenses', afterSequence: 2 });
    const got = collectUntil<EntryChange>(stream, (g) => g.length === 3, 10_000);
    await new Promise((r) => setTimeout(r, 200));
    await call(bind(client, 'publishEntry'), licence('s5', 2, { register: 'registers/deposited-software', sourceService: 'deposit', sourceResource: 'deposits/s5', number: 'DEP-005' }));
    await call(bind(client, 'publishEntry'), licence('s1', 2, { number: 'KZ-L-001', status: EntryStatus.ENTRY_STATUS_SUSPENDED }));
    const changes = await got;
    expect(changes.map((c) => [c.sequence, c.entry?.number, c.created])).to.deep.equal([[3, 'KZ-L-003', true], [4, 'KZ-L-004', true], [7, 'KZ-L-001', false]]);
    expect(changes[2]!.entry).to.include({ status: EntryStatus.ENTRY_STATUS_SUSPENDED, sourceSequence: 2 });
  });

  it('WatchRegister refuses a bad cursor and an unknown register', async () => {
    for (const [req, code] of [
      [{ parent: 'registers/-', afterSequence: -1 }, grpc.status.INVALID_ARGUMENT],
      [{ parent: 'registers/nope', afterSequence: 0 }, grpc.status.NOT_FOUND],
      [{ parent: 'bad', afterSequence: 0 }, grpc.status.INVALID_ARGUMENT],
    ] as const) {
      const err = await new Promise<grpc.ServiceError>((resolve) => client.watchRegister(req).on('error', resolve));
      expect(grpc.status[err.code]).to.equal(grpc.status[code]);
    }
  });

  it('serves the same search and get as JSON over HTTP, with the same error reasons', async () => {
    const get = async (path: string) => {
      const res = await fetch(http + path);
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };
    const found = await get(`/v1/entries?q=${encodeURIComponent('қорғау')}&holder=${PERSON}`);
    expect(found.status).to.equal(200);
    expect(found.body.entries.map((e: { number: string }) => e.number)).to.deep.equal(['KZ-L-004']);
    expect(found.body.entries[0]).to.include({ name: 'registers/nsc-licenses/entries/licenses.s4', status: 'ENTRY_STATUS_ACTIVE' });
    expect(found.body.entries[0].holder).to.deep.include({ identifier: PERSON, displayName: 'Әлия Ғабитқызы Һәкімова-Үмбетова' });
    expect(Buffer.from(found.body.entries[0].document.payload, 'base64').toString()).to.equal('{"licence":"s4","v":1}');

    const paged = await get(`/v1/entries?holder=${COMPANY}&page_size=1&status=suspended`);
    expect(paged.body.entries).to.have.length(1);
    const one = await get(`/v1/registers/nsc-licenses/entries/licenses.s1`);
    expect(one.body).to.include({ number: 'KZ-L-001', status: 'ENTRY_STATUS_SUSPENDED' });

    const bad = await get(`/v1/entries?filter=${encodeURIComponent('holder = "1" OR x')}`);
    expect(bad.status).to.equal(400);
    expect(bad.body.error).to.include({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(bad.body.error.details[0]).to.include({ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'INVALID_ARGUMENT', domain: 'ruqsat.kz' });
    expect(bad.body.error.details[1].fieldViolations).to.deep.equal([{ field: 'filter', description: 'at position 17: expected a comparator (=, !=, <, <=, >, >=), got the end of the filter' }]);
    const or = await get(`/v1/entries?filter=${encodeURIComponent(`(kind = leak_detection OR kind = special_means) AND -holder = "${OTHER}"`)}`);
    expect(or.status).to.equal(200);
    expect(or.body.entries.map((e: { number: string }) => e.number)).to.deep.equal(['KZ-L-004']);
    const token = await get(`/v1/entries?holder=${COMPANY}&page_size=1`);
    const foreign = await get(`/v1/entries?holder=${OTHER}&page_token=${token.body.nextPageToken}`);
    expect(foreign.status).to.equal(400);
    expect(foreign.body.error.details[1].fieldViolations[0].field).to.equal('page_token');
    expect((await get('/v1/entries?page_size=ten')).body.error.details[1].fieldViolations[0].field).to.equal('page_size');
    expect((await get('/v1/entries?colour=red')).status).to.equal(400);
    const missing = await get('/v1/registers/nsc-licenses/entries/none');
    expect(missing.status).to.equal(404);
    expect(missing.body.error.details[0].reason).to.equal('NOT_FOUND');
    expect((await get('/v1/registers/NSC/entries/x')).status).to.equal(400);
    expect((await get('/elsewhere')).status).to.equal(404);
    const post = await fetch(`${http}/v1/entries`, { method: 'POST', body: '{}' });
    expect(post.status).to.equal(405);
    expect(post.headers.get('allow')).to.equal('GET, HEAD');
  });
});

function emptySearch(): SearchEntriesRequest {
  return { parent: '', query: '', holder: '', number: '', kind: '', status: 0, filter: '', pageSize: 0, pageToken: '' };
}

describe('registry: WatchRegister across instances', function () {
  const shared = process.env.DATABASE_URL && process.env.REDIS_URL;
  let a: TestMesh | undefined;
  let b: TestMesh | undefined;
  after(async () => {
    // The second instance shares the first one's schema: only the first drops it.
    await b?.stop({ keepData: true });
    await a?.stop();
  });

  (shared ? it : it.skip)('a watcher on one instance hears a publish on another at once (over the Redis bus)', async () => {
    a = await startTestMesh(['registry']);
    b = await startTestMesh(['registry'], { DB_SCHEMA_PREFIX: a.config.schemaPrefix });
    const onA = clientFor(RegistryServiceClient, a.address('registry'));
    const onB = clientFor(RegistryServiceClient, b.address('registry'));
    const stream = onB.watchRegister({ parent: 'registers/-', afterSequence: 0 });
    const got = collectUntil<EntryChange>(stream, (g) => g.length === 2, 3_000);
    await call(bind(onA, 'publishEntry'), licence('x1', 1));
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    await call(bind(onA, 'publishEntry'), licence('x2', 1));
    const changes = await got;
    // Well under the 5 s safety poll: the bus woke the watcher.
    expect(Date.now() - started).to.be.below(1_500);
    expect(changes.map((c) => c.entry?.sourceResource)).to.deep.equal(['licenses/x1', 'licenses/x2']);
  });
});
