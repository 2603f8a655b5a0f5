// VerifyChain, VerifySignature and the trust anchors: the trust core, answering over gRPC.
import type { VerificationResult } from '../../../gen/ruqsat/common/v1/common.ts';
import type { TrustServiceServer } from '../../../gen/ruqsat/trust/v1/trust.ts';
import { createHash } from 'node:crypto';
import { CoreError, parseCertificate, type Certificate, type VerifyResult } from '../../../core-wasm/src/index.ts';
import { invalidArgument } from '../../kit/errors.ts';
import { unary } from '../../kit/grpc/handler.ts';
import { signatureMatches } from '../../kit/signed.ts';
import { knownIntermediates, type TrustContext } from '../context.ts';
import { toAuthority } from './reads.ts';

const MAX_INTERMEDIATES = 16;
const PARSED_CACHE = 10_000;

/** Leaves verified again and again (customs re-checks the same signer) are decoded once. */
class ParsedCertificates {
  private readonly byHash = new Map<string, Certificate>();

  get(der: Uint8Array): Certificate {
    const key = createHash('sha256').update(der).digest('base64');
    let cert = this.byHash.get(key);
    if (!cert) {
      cert = parseCertificate(der);
      if (this.byHash.size >= PARSED_CACHE) this.byHash.delete(this.byHash.keys().next().value as string);
      this.byHash.set(key, cert);
    }
    return cert;
  }
}
const OID = /^[0-2](\.\d+)+$/;

export function toResult(r: VerifyResult): VerificationResult {
  return {
    ok: r.ok,
    code: r.code,
    message: r.message,
    revocationReason: r.revocation?.reasonCode ?? 0,
    chain: r.chain.map((c) => c.subject.text),
  };
}

export function verificationHandlers(ctx: TrustContext): Pick<TrustServiceServer, 'verifyChain' | 'verifySignature' | 'listTrustAnchors'> {
  const { logger } = ctx;
  const parsed = new ParsedCertificates();
  return {
    verifyChain: unary(logger, async (req) => {
      if (req.certificate.length === 0) throw invalidArgument([{ field: 'certificate', description: 'a DER or PEM certificate is required' }]);
      if (req.intermediates.length > MAX_INTERMEDIATES) throw invalidArgument([{ field: 'intermediates', description: `at most ${MAX_INTERMEDIATES}` }]);
      const badOid = [req.purpose, ...req.policies].find((o) => o !== '' && !OID.test(o));
      if (badOid !== undefined) throw invalidArgument([{ field: req.policies.includes(badOid) ? 'policies' : 'purpose', description: `"${badOid}" is not a dotted OID` }]);
      let leaf: Certificate;
      let given: Certificate[];
      try {
        leaf = parsed.get(req.certificate);
        given = req.intermediates.map((d) => parsed.get(d));
      } catch (err) {
        return { ok: false, code: err instanceof CoreError ? err.code : 'MALFORMED', message: (err as Error).message, revocationReason: 0, chain: [] };
      }
      return toResult(
        ctx.core.verify(leaf, {
          intermediates: [...given, ...knownIntermediates(ctx)],
          time: req.time,
          crlCheck: req.checkWholeChain ? 'all' : 'leaf',
          purpose: req.purpose || undefined,
          policies: req.policies.length > 0 ? req.policies : undefined,
        }),
      );
    }),

    verifySignature: unary(logger, async (req) => {
      const env = req.envelope;
      if (!env || env.certificateChain.length === 0 || env.signature.length === 0) {
        throw invalidArgument([{ field: 'envelope', description: 'payload, signature and the signer certificate are required' }]);
      }
      let spki: Uint8Array;
      try {
        spki = parseCertificate(env.certificateChain[0]!).spki;
      } catch (err) {
        return { ok: false, code: 'MALFORMED', message: `the signer certificate cannot be read: ${(err as Error).message}`, revocationReason: 0, chain: [] };
      }
      if (!signatureMatches(spki, env.payload, env.signature)) {
        return { ok: false, code: 'BAD_SIGNATURE', message: 'the signature does not match the payload and the signer key', revocationReason: 0, chain: [] };
      }
      return toResult(ctx.core.verifyBytes(env.certificateChain[0]!, { intermediates: [...env.certificateChain.slice(1), ...knownIntermediates(ctx)], time: req.time, crlCheck: 'all' }));
    }),

    listTrustAnchors: unary(logger, async () => {
      const rows = await ctx.store.allAuthorities();
      return { anchors: rows.filter((r) => r.parent_id === null && ctx.authorities.get(r.id)).map(toAuthority) };
    }),
  };
}
