// ruqsat verify — validates certificate chains with the trust core, like `openssl verify` but with reason codes.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../cli.ts';
import { TrustStore, createNodeBackend, derObjects, decodeCertificate, decodeCrl, fingerprint, type Certificate, type VerifyResult } from '../../core-wasm/src/index.ts';

const PURPOSES: Record<string, string> = {
  serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2', codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4', timeStamping: '1.3.6.1.5.5.7.3.8', OCSPSigning: '1.3.6.1.5.5.7.3.9',
};
const OID_RE = /^[0-2](\.\d+)+$/;

function read(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new UsageError(`${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

// Every certificate in a --ca/--untrusted file; a file with none is a usage error, not a silent no-op.
function certificates(file: string, what: string): Certificate[] {
  try {
    const all = derObjects(read(file, what), ['CERTIFICATE', 'TRUSTED CERTIFICATE', 'X509 CERTIFICATE']).map(decodeCertificate);
    if (all.length === 0) throw new Error('no certificate');
    return all;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${what} ${file}: ${(err as Error).message}`);
  }
}

/** ISO 8601 or Unix seconds to Unix seconds. */
export function parseTime(text: string): number {
  const t = /^-?\d+$/.test(text) ? Number(text) : Date.parse(text) / 1000;
  if (!Number.isFinite(t)) throw new UsageError(`--at ${text}: not ISO 8601 or Unix seconds`);
  return t;
}

function chainOf(r: VerifyResult): { subject: string; serial: string; sha256: string }[] {
  return r.chain.map((c) => ({ subject: c.subject.text, serial: c.serialHex, sha256: fingerprint(c.der) }));
}

export const command: Command = {
  name: 'verify',
  summary: 'Verifies each CERT against the --ca trust anchors through --untrusted intermediates, optionally with CRLs, a time, a purpose, policies and a host name. Exit 0 when all are OK, 2 when any fails.',
  usage: 'ruqsat verify [--ca FILE]... [--untrusted FILE]... [--crl FILE]... [--crl-check | --crl-check-all] [--at TIME] [--purpose OID] [--policy OID]... [--host NAME] [--x509-strict] [--legacy-sha1] [--json] CERT...',
  async run(args) {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        options: {
          ca: { type: 'string', multiple: true }, untrusted: { type: 'string', multiple: true }, crl: { type: 'string', multiple: true },
          'crl-check': { type: 'boolean' }, 'crl-check-all': { type: 'boolean' }, at: { type: 'string' }, purpose: { type: 'string' },
          policy: { type: 'string', multiple: true }, host: { type: 'string' }, json: { type: 'boolean' }, 'x509-strict': { type: 'boolean' },
          'legacy-sha1': { type: 'boolean' },
        },
      });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const { values: v, positionals: files } = parsed;
    if (files.length === 0) throw new UsageError('no CERT given');
    if (!v.ca?.length) throw new UsageError('at least one --ca FILE (trust anchors) is required');
    if (v['crl-check'] && v['crl-check-all']) throw new UsageError('--crl-check and --crl-check-all are exclusive');
    const purpose = v.purpose === undefined ? undefined : PURPOSES[v.purpose] ?? v.purpose;
    if (purpose !== undefined && !OID_RE.test(purpose)) throw new UsageError(`--purpose ${v.purpose}: not an OID or a known purpose name`);
    for (const p of v.policy ?? []) if (!OID_RE.test(p)) throw new UsageError(`--policy ${p}: not an OID`);
    const time = v.at === undefined ? undefined : parseTime(v.at);

    // SHA-1 signatures are refused unless asked for (openssl verify accepts them): legacy chains only.
    const store = new TrustStore(v['legacy-sha1'] ? { backend: createNodeBackend({ legacySha1: true }) } : {});
    for (const f of v.ca) for (const c of certificates(f, '--ca')) store.addAnchor(c);
    const untrusted = (v.untrusted ?? []).flatMap((f) => certificates(f, '--untrusted'));
    for (const f of v.crl ?? []) {
      try {
        const crls = derObjects(read(f, '--crl'), ['X509 CRL']);
        if (crls.length === 0) throw new Error('no CRL');
        for (const d of crls) store.addCrl(decodeCrl(d));
      } catch (err) {
        if (err instanceof UsageError) throw err;
        throw new UsageError(`--crl ${f}: ${(err as Error).message}`);
      }
    }
    const crlCheck = v['crl-check-all'] ? 'all' : v['crl-check'] ? 'leaf' : 'none';

    let failed = false;
    for (const file of files) {
      let r: VerifyResult;
      try {
        const [leaf, ...rest] = derObjects(readFileSync(file), ['CERTIFICATE', 'X509 CERTIFICATE']);
        // Extra certificates after the leaf in a CERT file are treated as untrusted intermediates.
        r = leaf === undefined
          ? { ok: false, code: 'MALFORMED', message: 'no certificate in file', chain: [] }
          : store.verifyBytes(leaf, { intermediates: [...untrusted, ...rest], time, purpose, policies: v.policy, host: v.host, crlCheck, strict: v['x509-strict'] });
      } catch (err) {
        r = { ok: false, code: 'MALFORMED', message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, chain: [] };
      }
      failed ||= !r.ok;
      const line = v.json
        ? JSON.stringify({ file, ok: r.ok, code: r.code, message: r.message, ...(r.revocation ? { revocation: r.revocation } : {}), chain: chainOf(r) })
        : r.ok ? `${file}: OK` : `${file}: FAIL ${r.code} ${r.message}`;
      process.stdout.write(line + '\n');
    }
    return failed ? 2 : 0;
  },
};
