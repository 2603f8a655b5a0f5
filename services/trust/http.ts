// Plain HTTP for relying parties: CRLs at the URL certificates name, and an RFC 6960 OCSP responder.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { AccreditedCrlStore } from './accredited-crl-store.ts';
import type { Authorities } from './authorities.ts';
import { normalizeSerial } from './domain/names.ts';
import { toPem } from './domain/pki/der.ts';
import { buildOcspResponse, ocspError, OcspRequestError, parseOcspRequest, type OcspSingle } from './domain/pki/ocsp.ts';
import type { TrustStore } from './store.ts';

const MAX_OCSP_REQUEST = 64 * 1024;
// An OCSP answer is as fresh as the database it read: a relying party may cache it this long.
const OCSP_VALIDITY_MS = 10 * 60_000;

export interface TrustHttp {
  port: number;
  /** Starts answering once the authorities are unlocked; until then every request gets 503. */
  serve(authorities: Authorities): void;
  close(): Promise<void>;
}

export async function startTrustHttp(host: string, port: number, store: TrustStore, logger: Logger): Promise<TrustHttp> {
  let authorities: Authorities | undefined;
  const server: Server = createServer((req, res) => {
    if (!authorities) return void res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' }).end('starting\n');
    handle(req, res, store, authorities).catch((err: Error) => {
      logger.error({ err: err.message, url: req.url }, 'trust HTTP request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    serve: (a) => {
      authorities = a;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, store: TrustStore, authorities: Authorities): Promise<void> {
  const path = (req.url ?? '/').split('?')[0]!;
  const crl = /^\/crl\/([a-z0-9._-]+?)(-delta)?\.(crl|pem)$/.exec(path);
  if (req.method === 'GET' && crl) {
    const delta = crl[2] !== undefined;
    // An accredited centre's own CRL, as trust last accepted it, is served at the same place.
    const row = (await store.latestCrl(crl[1]!, delta)) ?? (await new AccreditedCrlStore(store.db).asServed(crl[1]!, delta));
    if (!row) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('no such CRL\n');
    if (crl[3] === 'pem') return void res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(toPem(row.der, 'X509 CRL'));
    return void res.writeHead(200, { 'content-type': 'application/pkix-crl', 'content-length': row.der.length }).end(row.der);
  }
  if (path === '/ocsp' && req.method === 'POST') return answerOcsp(await body(req), res, store, authorities);
  if (path.startsWith('/ocsp/') && req.method === 'GET') {
    // RFC 6960 A.1: GET carries the DER request base64-encoded (and URL-encoded) in the path.
    const encoded = decodeURIComponent(path.slice('/ocsp/'.length));
    return answerOcsp(Buffer.from(encoded, 'base64'), res, store, authorities);
  }
  res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
}

function body(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_OCSP_REQUEST) {
        resolve(undefined);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendOcsp(res: ServerResponse, der: Uint8Array): void {
  res.writeHead(200, { 'content-type': 'application/ocsp-response', 'content-length': der.length }).end(Buffer.from(der));
}

async function answerOcsp(der: Buffer | undefined, res: ServerResponse, store: TrustStore, authorities: Authorities): Promise<void> {
  let request;
  try {
    if (!der || der.length === 0) throw new OcspRequestError('empty or oversized request');
    request = parseOcspRequest(der);
  } catch (err) {
    if (err instanceof OcspRequestError || err instanceof Error) return sendOcsp(res, ocspError('malformedRequest'));
    throw err;
  }
  const first = request.certIds[0];
  const authority = first && authorities.byHashes(first.hashAlgorithm, first.issuerNameHash, first.issuerKeyHash);
  // Only the issuing CA answers for its certificates (responderID byKey): other issuers are not ours.
  if (!authority) return sendOcsp(res, ocspError('unauthorized'));
  const now = new Date();
  const responses: OcspSingle[] = [];
  for (const certId of request.certIds) {
    const sameIssuer = authorities.byHashes(certId.hashAlgorithm, certId.issuerNameHash, certId.issuerKeyHash) === authority;
    const row = sameIssuer ? await store.certificate(authority.id, normalizeSerial(certId.serialNumber.toString(16))!) : undefined;
    const single: OcspSingle = { certId, status: 'unknown', thisUpdate: now, nextUpdate: new Date(now.getTime() + OCSP_VALIDITY_MS) };
    if (row?.status === 'revoked') Object.assign(single, { status: 'revoked', revocationTime: row.revocation_time!, reason: row.revocation_reason ?? undefined });
    else if (row) single.status = 'good';
    responses.push(single);
  }
  const keyHash = Buffer.from(authority.hashes.sha1.keyHash, 'hex');
  sendOcsp(res, buildOcspResponse({ responderKeyHash: keyHash, producedAt: now, responses, nonce: request.nonce }, authority.signer));
}
