// Who is calling, from the client certificate the TLS handshake accepted: a mesh-CA certificate
// with the service policy, not revoked according to the trust service's CRLs and revocation feed.
import * as grpc from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import type { PeerCertificate } from 'node:tls';
import { parseCertificate, pemBlocks, type Certificate } from '../../../core-wasm/src/index.ts';
import { RuqsatError } from '../errors.ts';
import type { TrustFollower } from '../trust-follower.ts';

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

export interface Caller {
  /** "BIN/system", the key of the access-rights table. */
  id: string;
  bin: string;
  system: string;
  organization: string;
  serialHex: string;
}

// PKI public data a service needs before it can check anyone's revocation status (its own follower's reads).
const BEFORE_REVOCATION_KNOWN = /^\/(ruqsat\.trust\.v1\.TrustService\/(ListTrustAnchors|ListAuthorities|GetCrl|WatchRevocations)|grpc\.health\.v1\.Health\/.*)$/;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export class MeshAuthenticator {
  private readonly meshCa: Certificate;
  private readonly known = new Map<string, { leaf: Certificate; caller: Caller }>();
  private readonly verdicts = new Map<string, { sequence: number; until: number; error?: RuqsatError }>();

  /** Set once the services listen (the trust service's address may be known only then). */
  follower?: TrustFollower;

  /** `bundlePath`: the mesh trust bundle; the CA in it that is not self-signed is the mesh CA. */
  constructor(
    bundlePath: string,
    private readonly servicePolicy: string,
  ) {
    const certs = pemBlocks(readFileSync(bundlePath, 'utf8')).map(({ der }) => parseCertificate(der));
    const meshCa = certs.find((c) => !c.selfIssued);
    if (!meshCa) throw new Error(`${bundlePath}: no mesh CA certificate (a CA under the root) in the bundle`);
    this.meshCa = meshCa;
  }

  /** The caller, or the RuqsatError the call must end with. */
  authenticate(peer: PeerCertificate | undefined, path: string): Caller | RuqsatError {
    if (!peer?.raw) return new RuqsatError(grpc.status.UNAUTHENTICATED, 'NO_CLIENT_CERTIFICATE', 'a mesh client certificate is required');
    const { leaf, caller } = this.parse(peer);
    const follower = this.follower;
    if (!follower?.ready) {
      if (BEFORE_REVOCATION_KNOWN.test(path)) return caller;
      return new RuqsatError(grpc.status.UNAVAILABLE, 'REVOCATION_STATUS_UNKNOWN', 'this instance has not loaded the mesh CA revocation list yet; retry');
    }
    // A verdict holds until a revocation arrives or a second passes (expiry is checked again then).
    const now = Date.now();
    const cached = this.verdicts.get(peer.fingerprint256);
    if (cached && cached.sequence === follower.sequence && cached.until > now) return cached.error ?? caller;
    const error = this.check(leaf, follower);
    if (this.verdicts.size > 10_000) this.verdicts.clear();
    this.verdicts.set(peer.fingerprint256, { sequence: follower.sequence, until: now + 1_000, error });
    return error ?? caller;
  }

  private check(leaf: Certificate, follower: TrustFollower): RuqsatError | undefined {
    const aki = leaf.authorityKeyId?.keyId;
    if (!aki || !this.meshCa.subjectKeyId || Buffer.compare(aki, this.meshCa.subjectKeyId) !== 0) {
      return new RuqsatError(grpc.status.UNAUTHENTICATED, 'NOT_A_MESH_CERTIFICATE', `client certificate "${leaf.subject.text}" is not issued by the mesh CA`);
    }
    const result = follower.core.verify(leaf, { intermediates: [this.meshCa], purpose: CLIENT_AUTH, policies: [this.servicePolicy], crlCheck: 'leaf' });
    if (result.ok) return undefined;
    return new RuqsatError(grpc.status.UNAUTHENTICATED, `CLIENT_CERTIFICATE_${result.code}`, `client certificate "${leaf.subject.text}": ${result.message}`);
  }

  private parse(peer: PeerCertificate): { leaf: Certificate; caller: Caller } {
    const hit = this.known.get(peer.fingerprint256);
    if (hit) return hit;
    const leaf = parseCertificate(new Uint8Array(peer.raw));
    const bin = (first(peer.subject?.OU) ?? '').replace(/^BIN/, '');
    const system = first(peer.subject?.CN) ?? '';
    const entry = { leaf, caller: { id: `${bin}/${system}`, bin, system, organization: first(peer.subject?.O) ?? '', serialHex: leaf.serialHex } };
    if (this.known.size > 10_000) this.known.clear();
    this.known.set(peer.fingerprint256, entry);
    return entry;
  }
}
