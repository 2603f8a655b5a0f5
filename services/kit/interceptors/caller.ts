// Who is calling: the peer address until mTLS gives each caller a certificate identity.
export function callerOf(call: { getPeer(): string }): string {
  return call.getPeer();
}

/** "/ruqsat.trust.v1.TrustService/GetCertificate" → its service and method. */
export function methodParts(path: string): { service: string; method: string } {
  const [, service = '', method = ''] = path.split('/');
  return { service, method };
}
