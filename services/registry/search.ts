// SearchEntries, for gRPC and HTTP alike: request → checked query → one keyset page.
import type { Entry, SearchEntriesRequest } from '../../gen/ruqsat/registry/v1/registry.ts';
import { EntryStatus } from '../../gen/ruqsat/registry/v1/registry.ts';
import { invalidArgument, notFound } from '../kit/errors.ts';
import { parseName } from '../kit/names.ts';
import { clampedPageSize, decodePageToken, pageOf, type Page } from '../kit/paging.ts';
import { identifierFilter } from '../kit/party.ts';
import { FilterError, parseFilter, type Filter } from './domain/filter.ts';
import { REGISTER } from './domain/names.ts';
import { statusName } from './domain/publish.ts';
import { distinctWords } from './domain/search-text.ts';
import { toEntry } from './entries.ts';
import { whereOf } from './filter-sql.ts';
import type { EntryQuery, RegistryStore } from './store.ts';

const MAX_QUERY = 500;

export interface CheckedSearch {
  query: EntryQuery;
  /** What a page token is bound to: the request without its page fields. */
  fingerprint: object;
  pageSize: number;
}

/** Every field checked; violations together, a malformed filter with its position. */
export function checkSearch(req: SearchEntriesRequest): CheckedSearch {
  const parent = req.parent === '' ? 'registers/-' : req.parent;
  const { register } = parseName(parent, REGISTER, 'parent', true);
  const violations = [];
  if (req.query.length > MAX_QUERY) violations.push({ field: 'query', description: `must be at most ${MAX_QUERY} characters` });
  if (req.number.length > 128) violations.push({ field: 'number', description: 'must be at most 128 characters' });
  if (req.kind.length > 128) violations.push({ field: 'kind', description: 'must be at most 128 characters' });
  const status = req.status === EntryStatus.ENTRY_STATUS_UNSPECIFIED ? undefined : statusName(req.status);
  if (req.status !== EntryStatus.ENTRY_STATUS_UNSPECIFIED && !status) violations.push({ field: 'status', description: 'is not an entry status' });
  let filter: Filter | undefined;
  try {
    filter = parseFilter(req.filter);
  } catch (err) {
    if (!(err instanceof FilterError)) throw err;
    violations.push({ field: 'filter', description: err.message });
  }
  if (violations.length > 0) throw invalidArgument(violations);
  // A query of punctuation alone has no words: no full-text condition, as if it were empty.
  const words = distinctWords(req.query);
  const query: EntryQuery = {
    registerId: register === '-' ? undefined : register,
    holder: identifierFilter(req.holder, 'holder'),
    number: req.number === '' ? undefined : req.number,
    kind: req.kind === '' ? undefined : req.kind,
    status,
    words: words.length === 0 ? undefined : words,
    where: filter ? [whereOf(filter)] : [],
  };
  const fingerprint = { rpc: 'SearchEntries', parent, q: req.query, h: req.holder, n: req.number, k: req.kind, s: req.status, f: req.filter };
  return { query, fingerprint, pageSize: clampedPageSize(req.pageSize) };
}

export async function searchEntries(store: RegistryStore, req: SearchEntriesRequest): Promise<Page<Entry>> {
  const checked = checkSearch(req);
  const cursor = decodePageToken(req.pageToken, checked.fingerprint);
  if (cursor !== undefined && !/^\d{1,19}$/.test(String(cursor[0]))) throw invalidArgument([{ field: 'page_token', description: 'is not a token this service issued' }]);
  if (checked.query.registerId !== undefined && !(await store.register(checked.query.registerId))) throw notFound(`registers/${checked.query.registerId}`);
  const rows = await store.search(checked.query, checked.pageSize + 1, cursor?.[0] as string | undefined);
  return pageOf(rows, checked.pageSize, checked.fingerprint, (row) => [row.seq], toEntry);
}
