// The public read-only JSON endpoint, for systems that do not speak gRPC: the same search and get.
//   GET /v1/entries?q=&holder=&number=&kind=&status=&register=&filter=&page_size=&page_token=
//   GET /v1/registers/{register}/entries/{entry}
import * as grpc from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { Entry, EntryStatus, SearchEntriesRequest } from '../../gen/ruqsat/registry/v1/registry.ts';
import { ERROR_DOMAIN, invalidArgument, notFound, RuqsatError, toRuqsatError } from '../kit/errors.ts';
import { parseName } from '../kit/names.ts';
import { ENTRY } from './domain/names.ts';
import { toEntry } from './entries.ts';
import { searchEntries } from './search.ts';
import type { RegistryStore } from './store.ts';

// google.rpc.Code → HTTP, as the Google JSON APIs map them.
const HTTP_STATUS: Partial<Record<grpc.status, number>> = {
  [grpc.status.INVALID_ARGUMENT]: 400,
  [grpc.status.FAILED_PRECONDITION]: 400,
  [grpc.status.OUT_OF_RANGE]: 400,
  [grpc.status.UNAUTHENTICATED]: 401,
  [grpc.status.PERMISSION_DENIED]: 403,
  [grpc.status.NOT_FOUND]: 404,
  [grpc.status.ALREADY_EXISTS]: 409,
  [grpc.status.ABORTED]: 409,
  [grpc.status.RESOURCE_EXHAUSTED]: 429,
  [grpc.status.UNIMPLEMENTED]: 501,
  [grpc.status.UNAVAILABLE]: 503,
  [grpc.status.DEADLINE_EXCEEDED]: 504,
};

const SEARCH_PARAMS = ['q', 'holder', 'number', 'kind', 'status', 'register', 'filter', 'page_size', 'page_token'];

export interface RegistryHttp {
  port: number;
  close(): Promise<void>;
}

export async function startRegistryHttp(host: string, port: number, store: RegistryStore, logger: Logger): Promise<RegistryHttp> {
  const server: Server = createServer((req, res) => {
    const requestId = String(req.headers['x-request-id'] ?? '') || randomUUID();
    res.setHeader('x-request-id', requestId);
    handle(req, res, store).catch((err: unknown) => {
      const error = toRuqsatError(err);
      if (error.code === grpc.status.INTERNAL) logger.error({ err, url: req.url, requestId }, 'registry HTTP request failed');
      sendError(res, error, requestId);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, store: RegistryStore): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://registry');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    throw new RuqsatError(grpc.status.UNIMPLEMENTED, 'METHOD_NOT_ALLOWED', 'this endpoint is read-only: GET only');
  }
  if (url.pathname === '/v1/entries') {
    const page = await searchEntries(store, searchRequestOf(url.searchParams));
    return sendJson(res, 200, { entries: page.items.map((e) => Entry.toJSON(e)), nextPageToken: page.nextPageToken });
  }
  if (url.pathname.startsWith('/v1/registers/')) {
    const name = decodeURIComponent(url.pathname.slice('/v1/'.length));
    const { register, entry } = parseName(name, ENTRY, 'name');
    const row = await store.entry(register!, entry!);
    if (!row) throw notFound(name);
    return sendJson(res, 200, Entry.toJSON(toEntry(row)));
  }
  throw new RuqsatError(grpc.status.NOT_FOUND, 'NOT_FOUND', `no such path ${url.pathname}; see /v1/entries and /v1/registers/{register}/entries/{entry}`);
}

function searchRequestOf(params: URLSearchParams): SearchEntriesRequest {
  const violations = [];
  for (const key of new Set(params.keys())) {
    if (!SEARCH_PARAMS.includes(key)) violations.push({ field: key, description: `unknown parameter; known: ${SEARCH_PARAMS.join(', ')}` });
    else if (params.getAll(key).length > 1) violations.push({ field: key, description: 'given more than once' });
  }
  const get = (key: string) => params.get(key) ?? '';
  const sizeText = get('page_size');
  if (sizeText !== '' && !/^\d{1,9}$/.test(sizeText)) violations.push({ field: 'page_size', description: 'must be a non-negative integer' });
  let status = EntryStatus.ENTRY_STATUS_UNSPECIFIED;
  if (get('status') !== '') {
    const upper = get('status').toUpperCase();
    const found = EntryStatus[(upper.startsWith('ENTRY_STATUS_') ? upper : `ENTRY_STATUS_${upper}`) as keyof typeof EntryStatus];
    if (found === undefined || found === EntryStatus.UNRECOGNIZED) violations.push({ field: 'status', description: 'must be ACTIVE, SUSPENDED, REVOKED or EXPIRED' });
    else status = found;
  }
  if (violations.length > 0) throw invalidArgument(violations);
  const register = get('register');
  return SearchEntriesRequest.fromPartial({
    parent: register === '' ? '' : register.startsWith('registers/') ? register : `registers/${register}`,
    query: get('q'),
    holder: get('holder'),
    number: get('number'),
    kind: get('kind'),
    status,
    filter: get('filter'),
    pageSize: sizeText === '' ? 0 : Number(sizeText),
    pageToken: get('page_token'),
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' }).end(text);
}

// The Google JSON error shape: the same code, reason and field violations a gRPC caller gets.
function sendError(res: ServerResponse, err: RuqsatError, requestId: string): void {
  if (res.headersSent) return void res.destroy();
  const details: object[] = [
    { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: err.reason, domain: ERROR_DOMAIN, metadata: { ...err.metadata, request_id: requestId } },
  ];
  if (err.violations.length > 0) details.push({ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: err.violations });
  const httpStatus = HTTP_STATUS[err.code] ?? 500;
  sendJson(res, err.reason === 'METHOD_NOT_ALLOWED' ? 405 : httpStatus, { error: { code: httpStatus, status: grpc.status[err.code], message: err.message, details } });
}
