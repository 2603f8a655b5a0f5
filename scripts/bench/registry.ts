// npm run bench:registry — SearchEntries latency over gRPC on 1,000,000 entries in PostgreSQL.
// Loads the entries once into the schema "bench_registry" (BENCH_RELOAD=1 loads again), then
// times each kind of query from a client in this process against the registry service.
import * as grpc from '@grpc/grpc-js';
import { loadavg } from 'node:os';
import pg from 'pg';
import { RegistryServiceClient, type SearchEntriesRequest, type SearchEntriesResponse } from '../../gen/ruqsat/registry/v1/registry.ts';
import { loadConfig, SERVICE_NAMES } from '../../services/kit/config.ts';
import { createLogger } from '../../services/kit/logger.ts';
import { isValidIinBin } from '../../services/kit/party.ts';
import { startMesh } from '../../services/mesh.ts';
import { REGISTERS } from '../../services/registry/domain/registers.ts';
import { tsvectorOf } from '../../services/registry/domain/search-text.ts';

const TOTAL = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const CALLS = Number(process.env.BENCH_CALLS ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PREFIX = 'bench_';
const SCHEMA = `${PREFIX}registry`;
const BATCH = 10_000;
const HOLDERS = 100_000;

// A deterministic generator, so every run loads the same register.
// mulberry32: 32-bit integer arithmetic, so it never loses bits to floating point.
let seed = 42;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const KK_GIVEN = ['Әлия', 'Нұрлан', 'Ғалым', 'Қанат', 'Айгүл', 'Өмір', 'Ұлан', 'Үміт', 'Іңкәр', 'Һамит', 'Дәурен', 'Жаңыл', 'Сәуле', 'Ерлан', 'Мағжан'];
const KK_FAMILY = ['Өмірбекова', 'Нұрланұлы', 'Ғабитов', 'Қасымова', 'Әбдірахманов', 'Жұмабаев', 'Сүлейменова', 'Үсенов', 'Іскаков', 'Һәкімова', 'Бөкейханов', 'Тоқаев', 'Құнанбаев', 'Аңсағанова'];
const RU_FAMILY = ['Иванов', 'Смирнова', 'Ким', 'Петренко', 'Соколова', 'Волков', 'Ли', 'Фёдорова', 'Шевченко', 'Ахметова'];
const COMPANY_WORD = ['Қорғау', 'Ақпарат', 'Сенім', 'Қауіпсіз', 'Цифрлық', 'Защита', 'Инфобез', 'Криптосервис', 'Телеком', 'Сервис', 'Жүйе', 'Кілт', 'Шифр', 'Дата', 'Сарапшы', 'Альфа', 'Тұмар', 'Өркен', 'Нұр', 'Байтерек'];
const COMPANY_FORM = ['ЖШС', 'АҚ', 'ТОО', 'АО', 'LLP', 'ЖК'];
const CITY = ['Астана', 'Алматы', 'Шымкент', 'Қарағанды', 'Ақтөбе', 'Өскемен', 'Павлодар', 'Түркістан', 'Атырау', 'Көкшетау'];
const KINDS: Record<string, string[]> = {
  'eir-is': ['information_system', 'electronic_resource'],
  'kkm-computer-systems': ['kkm_computer_system'],
  'nsc-licenses': ['special_technical_means', 'crypto_development', 'leak_channel_detection'],
  'accreditation-certificates': ['certifying_centre'],
  'nsc-permits': ['import_crypto', 'export_crypto', 'transit_crypto', 'covert_means_import', 'sale_crypto'],
  'deposited-software': ['program_code', 'information_system', 'documentation'],
  'registration-certificates': ['signing', 'authentication'],
};
const TITLES: Record<string, string[]> = {
  'eir-is': ['Ақпараттық жүйе', 'Электрондық ақпараттық ресурс', 'Информационная система учёта', 'Портал'],
  'kkm-computer-systems': ['Бақылау-касса машинасының компьютер жүйесі', 'Компьютерная система ККМ'],
  'nsc-licenses': ['Лицензия на разработку средств криптографической защиты', 'Арнайы техникалық құралдарға лицензия', 'Ақпараттың жылыстау арналарын анықтау'],
  'accreditation-certificates': ['Куәландырушы орталықты аккредиттеу туралы куәлік', 'Свидетельство об аккредитации удостоверяющего центра'],
  'nsc-permits': ['Шифрлау құралдарын әкелуге қорытынды', 'Заключение на вывоз шифровальных средств', 'Криптографиялық құралдарды сатуға рұқсат'],
  'deposited-software': ['Бағдарламалық өнім', 'Исходный код программы', 'Техникалық құжаттама'],
  'registration-certificates': ['Тіркеу куәлігі', 'Регистрационное свидетельство'],
};
const STATUSES = ['active', 'active', 'active', 'active', 'active', 'active', 'active', 'active', 'active', 'active', 'active', 'active', 'active', 'active', 'active', 'active', 'active', 'suspended', 'revoked', 'expired'];

function iinBin(n: number): string {
  for (let base = n; ; base += 7_919) {
    const eleven = String(10_000_000_000 + (base % 89_999_999_999)).slice(0, 11);
    for (let d = 0; d <= 9; d++) if (isValidIinBin(eleven + d)) return eleven + d;
  }
}

interface Holder {
  type: 'individual' | 'legal_entity';
  identifier: string;
  name: string;
}

function holders(): Holder[] {
  const out: Holder[] = [];
  const seen = new Set<string>();
  for (let i = 0; out.length < HOLDERS; i++) {
    const identifier = iinBin(i * 104_729 + 17);
    if (seen.has(identifier)) continue;
    seen.add(identifier);
    const person = rand() < 0.4;
    const name = person
      ? `${pick(rand() < 0.7 ? KK_FAMILY : RU_FAMILY)} ${pick(KK_GIVEN)}`
      : `${pick(COMPANY_FORM)} «${pick(COMPANY_WORD)} ${pick(COMPANY_WORD)}» ${pick(CITY)}`;
    out.push({ type: person ? 'individual' : 'legal_entity', identifier, name });
  }
  return out;
}

const COLUMNS = ['register_id', 'id', 'number', 'title', 'holder_type', 'holder_identifier', 'holder_name', 'status', 'source_resource', 'source_service',
  'source_sequence', 'effective_at', 'attributes', 'kind', 'search', 'created_at', 'updated_at'] as const;
const TYPES = ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'int8', 'timestamptz', 'jsonb', 'text', 'tsvector', 'timestamptz', 'timestamptz'];
// Secondary indexes are built after the load: one sort each instead of a million inserts into them.
const INDEXES = ['entries_search', 'entries_holder_seq', 'entries_number', 'entries_kind_seq', 'entries_updated', 'entries_effective', 'entries_seq_index'];

async function load(client: pg.Client, people: Holder[]): Promise<{ numbers: string[] }> {
  const definitions = (await client.query<{ indexname: string; indexdef: string }>(`select indexname, indexdef from pg_indexes where schemaname = $1 and indexname = any($2)`, [SCHEMA, INDEXES])).rows;
  for (const d of definitions) await client.query(`drop index ${SCHEMA}.${d.indexname}`);
  await client.query(`truncate ${SCHEMA}.entries, ${SCHEMA}.changes, ${SCHEMA}.search_words`);
  const numbers: string[] = [];
  const started = Date.now();
  for (let from = 0; from < TOTAL; from += BATCH) {
    const cols: unknown[][] = COLUMNS.map(() => []);
    for (let i = from; i < Math.min(TOTAL, from + BATCH); i++) {
      const reg = REGISTERS[i % REGISTERS.length]!;
      const h = people[Math.floor(rand() * people.length)]!;
      const kind = pick(KINDS[reg.id]!);
      const year = 2015 + Math.floor(rand() * 12);
      const number = `KZ-${reg.id.split('-').map((w) => w[0]!.toUpperCase()).join('')}-${year}-${String(i).padStart(7, '0')}`;
      const title = `${pick(TITLES[reg.id]!)} ${pick(COMPANY_WORD)}`;
      const effective = new Date(Date.UTC(year, Math.floor(rand() * 12), 1 + Math.floor(rand() * 28)));
      const updated = new Date(Math.min(Date.parse('2026-11-01T00:00:00Z'), effective.getTime() + rand() * 400 * 86_400_000));
      if (i % 97 === 0) numbers.push(number);
      const row = [reg.id, `src.${i}`, number, title, h.type, h.identifier, h.name, pick(STATUSES), `src/${i}`, reg.sourceService,
        1, effective.toISOString(), JSON.stringify({ kind }), kind, tsvectorOf(number, title, h.name), effective.toISOString(), updated.toISOString()];
      row.forEach((v, c) => cols[c]!.push(v));
    }
    const unnest = TYPES.map((t, c) => `$${c + 1}::${t === 'tsvector' ? 'text' : t}[]`).join(', ');
    const select = COLUMNS.map((c, k) => (TYPES[k] === 'tsvector' ? `${c}::tsvector` : c)).join(', ');
    await client.query(`insert into ${SCHEMA}.entries (${COLUMNS.join(', ')}) select ${select} from unnest(${unnest}) as u(${COLUMNS.join(', ')})`, cols);
    if ((from / BATCH) % 10 === 9) process.stderr.write(`  ${from + BATCH} entries, ${Math.round((Date.now() - started) / 1000)} s\n`);
  }
  const loaded = Date.now();
  for (const d of definitions) await client.query(d.indexdef);
  // What PublishEntry adds word by word, all at once.
  await client.query(`insert into ${SCHEMA}.search_words (word) select word from ts_stat('select search from ${SCHEMA}.entries')`);
  await client.query(`analyze ${SCHEMA}.entries`);
  process.stderr.write(`loaded ${TOTAL} entries in ${((loaded - started) / 1000).toFixed(0)} s, indexes in ${((Date.now() - loaded) / 1000).toFixed(0)} s\n`);
  return { numbers };
}

type Search = Partial<SearchEntriesRequest>;

async function measure(client: InstanceType<typeof RegistryServiceClient>, make: (i: number) => Search) {
  const latencies: number[] = [];
  let rows = 0;
  let next = 0;
  const one = (req: Search) =>
    new Promise<SearchEntriesResponse>((resolve, reject) =>
      client.searchEntries({ parent: '', query: '', holder: '', number: '', kind: '', status: 0, filter: '', pageSize: 0, pageToken: '', ...req }, new grpc.Metadata(), { deadline: Date.now() + 30_000 }, (err, res) => (err ? reject(err) : resolve(res))),
    );
  for (let i = 0; i < 20; i++) await one(make(i));
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < CALLS) {
        const req = make(next++);
        const start = performance.now();
        const res = await one(req);
        latencies.push(performance.now() - start);
        rows += res.entries.length;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!;
  return { p50: pct(0.5), p99: pct(0.99), rows: rows / latencies.length };
}

async function main(): Promise<void> {
  const env: Record<string, string | undefined> = { ...process.env, DATABASE_URL, DB_SCHEMA_PREFIX: PREFIX, LOG_LEVEL: 'error', METRICS_PORT: '-1', REGISTRY_HTTP_PORT: '-1', MESH_TLS: 'off' };
  for (const n of SERVICE_NAMES) env[`${n.toUpperCase()}_PORT`] = '0';
  const config = loadConfig(env);
  // The service's own migrations make the schema and its indexes; the bench only fills it.
  const mesh = await startMesh(config, ['registry'], createLogger('error'));
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  const people = holders();
  const count = Number((await db.query(`select count(*) from ${SCHEMA}.entries`)).rows[0].count);
  let numbers: string[];
  if (count !== TOTAL || process.env.BENCH_RELOAD === '1') {
    process.stderr.write(`loading ${TOTAL} entries into ${SCHEMA} …\n`);
    numbers = (await load(db, people)).numbers;
  } else {
    process.stderr.write(`${SCHEMA} already holds ${TOTAL} entries (BENCH_RELOAD=1 loads again)\n`);
    numbers = (await db.query<{ number: string }>(`select number from ${SCHEMA}.entries tablesample system (1) limit 5000`)).rows.map((r) => r.number);
  }
  const usedHolders = (await db.query<{ holder_identifier: string }>(`select holder_identifier from ${SCHEMA}.entries tablesample system (1) limit 5000`)).rows.map((r) => r.holder_identifier);
  const size = (await db.query(`select pg_size_pretty(pg_total_relation_size('${SCHEMA}.entries')) as s`)).rows[0].s as string;
  await db.end();

  const client = new RegistryServiceClient(mesh.services[0]!.address, grpc.credentials.createInsecure());
  const at = (xs: string[], i: number) => xs[(i * 7_919) % xs.length]!;
  const words = [...KK_FAMILY, ...RU_FAMILY, ...COMPANY_WORD];
  const pageTwo = await new Promise<string>((resolve, reject) =>
    client.searchEntries({ parent: '', query: '', holder: '', number: '', kind: '', status: 0, filter: 'status = ACTIVE AND kind = "crypto_development" AND update_time >= "2025-01-01T00:00:00Z"', pageSize: 50, pageToken: '' }, (err, res) => (err ? reject(err) : resolve(res.nextPageToken))),
  );
  const cases: [string, (i: number) => Search][] = [
    ['holder (IIN/BIN)', (i) => ({ holder: at(usedHolders, i) })],
    ['number', (i) => ({ number: at(numbers, i) })],
    ['full text, one word (1–10 % of entries match)', (i) => ({ query: at(words, i) })],
    ['full text, two words, prefix (Kazakh/Russian)', (i) => ({ query: `${at(words, i).slice(0, 5)} ${at(CITY, i + 3)}` })],
    ['full text + register + status', (i) => ({ query: at(COMPANY_WORD, i), parent: 'registers/nsc-permits', status: 1 })],
    ['full text, family and given name (0.1 % match)', (i) => ({ query: `${at([...KK_FAMILY, ...RU_FAMILY], i)} ${at(KK_GIVEN, i + 5)}` })],
    ['filter: (kind OR kind) AND NOT status', () => ({ filter: '(kind = "import_crypto" OR kind = "export_crypto") AND NOT status = ACTIVE' })],
    ['filter: holder OR holder', (i) => ({ filter: `holder = "${at(usedHolders, i)}" OR holder = "${at(usedHolders, i + 1)}"` })],
    ['filter: status, kind, update_time ≥, page 1 of 50', () => ({ filter: 'status = ACTIVE AND kind = "crypto_development" AND update_time >= "2025-01-01T00:00:00Z"', pageSize: 50 })],
    ['same filter, page 2 (token)', () => ({ filter: 'status = ACTIVE AND kind = "crypto_development" AND update_time >= "2025-01-01T00:00:00Z"', pageSize: 50, pageToken: pageTwo })],
    ['filter: holder AND effective_time range', (i) => ({ filter: `holder = "${at(usedHolders, i)}" AND effective_time >= "2020-01-01T00:00:00Z" AND effective_time < "2024-01-01T00:00:00Z"` })],
  ];
  const loadBefore = loadavg()[0];
  const results = [];
  // BENCH_ONLY=regex runs only the queries whose names match (for runs alternated with another build).
  const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
  for (const [name, make] of cases.filter(([n]) => !only || only.test(n))) {
    const r = await measure(client, make);
    process.stderr.write(`${name}: p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms\n`);
    results.push({ name, ...r });
  }
  client.close();
  await mesh.stop();
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const lines = [
    `SearchEntries over gRPC (${new Date().toISOString().slice(0, 10)}; ${TOTAL.toLocaleString('en')} entries in PostgreSQL, ${size} with indexes; ${CALLS} calls per query, ${CONCURRENCY} in flight; default page of 50; load average ${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)}):`,
    '',
    '| query | p50 | p99 | entries per answer |',
    '|---|---|---|---|',
    ...results.map((r) => `| ${r.name} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.rows.toFixed(1)} |`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

await main();
