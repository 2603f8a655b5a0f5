// AIP-158 paging: page sizes checked, page tokens opaque and bound to the query that made them.
import { createHash } from 'node:crypto';
import { invalidArgument } from './errors.ts';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

export function pageSizeOf(requested: number): number {
  if (!Number.isInteger(requested) || requested < 0) {
    throw invalidArgument([{ field: 'page_size', description: 'must be zero (the default) or positive' }]);
  }
  if (requested > MAX_PAGE_SIZE) {
    throw invalidArgument([{ field: 'page_size', description: `must be at most ${MAX_PAGE_SIZE}` }]);
  }
  return requested === 0 ? DEFAULT_PAGE_SIZE : requested;
}

type Cursor = (string | number)[];

function fingerprint(query: object): string {
  return createHash('sha256').update(JSON.stringify(query)).digest('base64url').slice(0, 16);
}

/** A token that resumes after `cursor`, valid only for the same query. */
export function encodePageToken(query: object, cursor: Cursor): string {
  return Buffer.from(JSON.stringify({ q: fingerprint(query), c: cursor })).toString('base64url');
}

/** The cursor a token carries; undefined for the first page. */
export function decodePageToken(token: string, query: object): Cursor | undefined {
  if (token === '') return undefined;
  let parsed: { q?: unknown; c?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidArgument([{ field: 'page_token', description: 'is not a token this service issued' }]);
  }
  const cursorOk = Array.isArray(parsed?.c) && parsed.c.every((v) => typeof v === 'string' || typeof v === 'number');
  if (typeof parsed?.q !== 'string' || !cursorOk) {
    throw invalidArgument([{ field: 'page_token', description: 'is not a token this service issued' }]);
  }
  if (parsed.q !== fingerprint(query)) {
    throw invalidArgument([{ field: 'page_token', description: 'was issued for a different query' }]);
  }
  return parsed.c as Cursor;
}

export interface Page<T> {
  items: T[];
  nextPageToken: string;
}

/** Cuts one page from rows fetched with limit pageSize + 1, and makes the next token. */
export function pageOf<Row, T>(rows: Row[], pageSize: number, query: object, cursorOf: (row: Row) => Cursor, toItem: (row: Row) => T): Page<T> {
  const more = rows.length > pageSize;
  const kept = more ? rows.slice(0, pageSize) : rows;
  const last = kept[kept.length - 1];
  return {
    items: kept.map(toItem),
    nextPageToken: more && last !== undefined ? encodePageToken(query, cursorOf(last)) : '',
  };
}

/** One page of rows in `seq` order (keyset, so deep pages cost what the first one does). */
export async function listPage<Row extends { seq: string }, T>(
  request: { pageSize: number; pageToken: string },
  query: object,
  fetch: (limit: number, cursorSeq?: string) => Promise<Row[]>,
  toItem: (row: Row) => T,
): Promise<Page<T>> {
  const pageSize = pageSizeOf(request.pageSize);
  const cursor = decodePageToken(request.pageToken, query);
  const rows = await fetch(pageSize + 1, cursor?.[0] as string | undefined);
  return pageOf(rows, pageSize, query, (row) => [row.seq], toItem);
}

/** AIP-158 for searches: a page size over the maximum is lowered to it rather than refused. */
export function clampedPageSize(requested: number): number {
  return pageSizeOf(Math.min(requested, MAX_PAGE_SIZE));
}
