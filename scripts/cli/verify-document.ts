// ruqsat verify-document — verifies an exported signed document offline with the trust core: the signature over
// the exact bytes, the signatory's chain to the Root CA with CRLs, the signatory's role. It dispatches on the
// document's kind (the signed payload's "document" field); permits and licences.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { UsageError, type Command } from '../cli.ts';
import { derObjects, decodeCertificate, decodeCrl, TrustStore, type Certificate } from '../../core-wasm/src/index.ts';
import type { SignedEnvelope } from '../../gen/ruqsat/common/v1/common.ts';
import { TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';
import { loadConfig } from '../../services/kit/config.ts';
import { clientFor, closeClients } from '../../services/kit/grpc/client.ts';
import { TrustFollower } from '../../services/kit/trust-follower.ts';
import { documentKindOf, importSignedDocument } from '../../services/kit/documents/export.ts';
import { PERMIT_DOCUMENT } from '../../services/permit/domain/document.ts';
import { signatoryPolicy } from '../../services/permit/domain/signatory.ts';
import { verifyPermitEnvelope } from '../../services/permit/domain/verify.ts';
import { verifySignedDocument } from '../../services/kit/documents/verify.ts';
import { LICENCE_DOCUMENT, LICENCE_KIND } from '../../services/licensing/domain/document.ts';
import { parseTime } from './verify.ts';

export interface Verdict {
  ok: boolean;
  code: string;
  message: string;
  /** One line a customs officer reads. */
  summary: string;
  document?: unknown;
  chain: string[];
}

export interface Trust {
  core: TrustStore;
  intermediates: Certificate[];
}

type DocumentVerifier = (envelope: SignedEnvelope, trust: Trust, time?: Date) => Verdict;

// One verifier per document kind, chosen by the signed payload's "document" field.
const VERIFIERS: Record<string, DocumentVerifier> = {
  [PERMIT_DOCUMENT]: (envelope, trust, time) => {
    const v = verifyPermitEnvelope(trust.core, envelope, { intermediates: trust.intermediates, time, signatoryPolicy: signatoryPolicy() });
    const d = v.document;
    const summary = d
      ? `permit ${d.number} (${d.kind}${d.movement_type ? `, ${d.movement_type}` : ''}) for ${d.holder.name} (${d.holder.identifier}), valid ${d.valid_from} to ${d.valid_until}, ${d.goods.length} goods line(s), signed by ${d.signatory.name}`
      : 'permit (document unreadable)';
    return { ok: v.ok, code: v.code, message: v.detail === v.code ? v.message : `${v.detail}: ${v.message}`, summary, document: d, chain: v.chain.map((c) => c.subject.text) };
  },
  [LICENCE_DOCUMENT]: (envelope, trust, time) => {
    const v = verifySignedDocument(trust.core, envelope, LICENCE_KIND, { intermediates: trust.intermediates, time, signatoryPolicy: signatoryPolicy() });
    const d = v.document;
    const summary = d ? `licence ${d.number} (${d.kind}: ${d.sub_kinds.join(', ')}) held by ${d.holder.name} (${d.holder.identifier}), dated ${d.date}${d.reissue ? ', re-issued' : ''}, signed by ${v.chain[0]?.subject.text ?? '?'}` : 'licence (document unreadable)';
    return { ok: v.ok, code: v.code, message: v.detail === v.code ? v.message : `${v.detail}: ${v.message}`, summary, document: d, chain: v.chain.map((c) => c.subject.text) };
  },
};

/** One export's verdict, by the verifier of the kind its payload declares. */
export function verifyEnvelope(envelope: SignedEnvelope, trust: Trust, time?: Date): Verdict {
  const kind = documentKindOf(envelope.payload);
  const verify = kind ? VERIFIERS[kind] : undefined;
  return verify ? verify(envelope, trust, time) : { ok: false, code: 'UNKNOWN_KIND', message: `no verifier for document kind ${JSON.stringify(kind ?? null)}`, summary: '', chain: [] };
}

function read(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new UsageError(`${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Anchors and CRLs from files: a customs post with no connection. */
export function trustFromFiles(ca: string[], crls: string[], untrusted: string[]): Trust {
  const core = new TrustStore();
  const certs = (f: string, what: string) => {
    const all = derObjects(read(f, what), ['CERTIFICATE', 'TRUSTED CERTIFICATE', 'X509 CERTIFICATE']).map(decodeCertificate);
    if (all.length === 0) throw new UsageError(`${what} ${f}: no certificate`);
    return all;
  };
  for (const f of ca) for (const c of certs(f, '--ca')) core.addAnchor(c);
  for (const f of crls) {
    const all = derObjects(read(f, '--crl'), ['X509 CRL']);
    if (all.length === 0) throw new UsageError(`--crl ${f}: no CRL`);
    for (const d of all) core.addCrl(decodeCrl(d));
  }
  return { core, intermediates: untrusted.flatMap((f) => certs(f, '--untrusted')) };
}

/** Anchors, CA certificates and current CRLs from the trust service, once. */
async function trustFromService(address: string): Promise<Trust> {
  const follower = new TrustFollower(clientFor(TrustServiceClient, address), pino({ level: 'silent' }));
  try {
    await follower.start();
  } catch (err) {
    throw new Error(`trust service at ${address} unreachable (${(err as Error).message}); pass --ca and --crl files to verify with no connection`);
  } finally {
    follower.stop();
    closeClients();
  }
  return { core: follower.core, intermediates: follower.intermediates() };
}

export const command: Command = {
  name: 'verify-document',
  summary: `Verifies a signed document export (a permit or a licence) offline: the signature over the exact document bytes, the signatory's
certificate chain to the Root CA with CRLs (revocation), and the signatory's role. Trust anchors and CRLs come from --ca/--crl files,
or, without --ca, from the trust service (--trust, default TRUST_ADDRESS). Exit 0 when every FILE verifies, 2 when any fails.
The export file is JSON: {"format":"ruqsat.signed-document","version":1,"payload":B64,"signature":B64,"certificate_chain":[B64 DER,…]}.`,
  usage: 'ruqsat verify-document [--ca FILE]... [--crl FILE]... [--untrusted FILE]... [--trust HOST:PORT] [--at TIME] [--json] FILE...',
  async run(args) {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        options: {
          ca: { type: 'string', multiple: true }, crl: { type: 'string', multiple: true }, untrusted: { type: 'string', multiple: true },
          trust: { type: 'string' }, at: { type: 'string' }, json: { type: 'boolean' },
        },
      });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const { values: v, positionals: files } = parsed;
    if (files.length === 0) throw new UsageError('no FILE given');
    if (!v.ca?.length && (v.crl?.length || v.untrusted?.length)) throw new UsageError('--crl and --untrusted need --ca (offline); without --ca, everything comes from the trust service');
    const time = v.at === undefined ? undefined : new Date(parseTime(v.at) * 1000);
    const trust = v.ca?.length ? trustFromFiles(v.ca, v.crl ?? [], v.untrusted ?? []) : await trustFromService(v.trust ?? loadConfig().addresses.trust);

    let failed = false;
    for (const file of files) {
      let verdict: Verdict;
      try {
        verdict = verifyEnvelope(importSignedDocument(read(file, 'FILE').toString('utf8')), trust, time);
      } catch (err) {
        if (err instanceof UsageError) throw err;
        verdict = { ok: false, code: 'MALFORMED', message: `cannot read: ${(err as Error).message}`, summary: '', chain: [] };
      }
      failed ||= !verdict.ok;
      const line = v.json
        ? JSON.stringify({ file, ok: verdict.ok, code: verdict.code, message: verdict.message, document: verdict.document, chain: verdict.chain })
        : verdict.ok ? `${file}: OK ${verdict.summary}` : `${file}: FAIL ${verdict.code} ${verdict.message}${verdict.summary ? ` — ${verdict.summary}` : ''}`;
      process.stdout.write(line + '\n');
    }
    return failed ? 2 : 0;
  },
};
