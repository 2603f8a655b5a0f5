// Runs one fixture through the core and through `openssl verify`, so every case also checks agreement.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { TrustStore, parseCrl, derObjects, decodeCertificate, type VerifyResult } from '../../src/index.ts';
import { opensslVerify, type Pki } from './pki.ts';

export interface Case {
  leaf: string;
  ca: string[];
  untrusted?: string[];
  crls?: string[];
  crlCheck?: 'leaf' | 'all';
  at: number;
  purpose?: { oid: string; openssl: string };
  policies?: string[];
  host?: string;
  /** OpenSSL's -x509_strict rules, on both sides. */
  strict?: boolean;
}

export function runCore(c: Case): VerifyResult {
  const store = new TrustStore();
  for (const f of c.ca) for (const d of derObjects(readFileSync(f), ['CERTIFICATE'])) store.addAnchor(d);
  for (const f of c.crls ?? []) store.addCrl(parseCrl(readFileSync(f)));
  const intermediates = (c.untrusted ?? []).flatMap((f) => derObjects(readFileSync(f), ['CERTIFICATE']).map(decodeCertificate));
  return store.verifyBytes(readFileSync(c.leaf), {
    intermediates, time: c.at, purpose: c.purpose?.oid, policies: c.policies, host: c.host, crlCheck: c.crlCheck ?? 'none', strict: c.strict,
  });
}

/** Asserts the core's code and that openssl agrees on OK / not OK. */
export function expectBoth(pki: Pki, c: Case, code: string): VerifyResult {
  const r = runCore(c);
  expect(r.code, r.message).to.equal(code);
  expect(r.ok).to.equal(code === 'OK');
  const ossl = opensslVerify(pki, c.leaf, {
    ca: c.ca, untrusted: c.untrusted, crls: c.crls, crlCheck: c.crlCheck, deltas: true, at: c.at,
    purpose: c.purpose?.openssl, policies: c.policies, host: c.host, strict: c.strict,
  });
  expect(ossl.ok, `openssl verify disagrees (core: ${r.code}):\n${ossl.output}`).to.equal(code === 'OK');
  return r;
}

