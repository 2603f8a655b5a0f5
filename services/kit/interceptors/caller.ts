// Who is calling: "BIN/system" from a mesh client certificate, else the peer address (MESH_TLS=off).
import type { PeerCertificate } from 'node:tls';

type AuthContext = { sslPeerCertificate?: PeerCertificate };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export function callerOf(call: { getPeer(): string; getAuthContext?(): AuthContext | null }): string {
  const subject = call.getAuthContext?.()?.sslPeerCertificate?.subject;
  if (!subject?.CN) return call.getPeer();
  return `${(first(subject.OU) ?? '').replace(/^BIN/, '')}/${first(subject.CN)}`;
}

/** "/ruqsat.trust.v1.TrustService/GetCertificate" → its service and method. */
export function methodParts(path: string): { service: string; method: string } {
  const [, service = '', method = ''] = path.split('/');
  return { service, method };
}
