// RFC 5280 §4 profile rules a relying party can check on each certificate of a path (OpenSSL's -x509_strict set).
import { KU } from './extensions.ts';
import { OID } from './oid.ts';
import type { Certificate } from './x509.ts';

// §4.2.1.1, §4.2.1.2, §4.2.2.1, §4.2.2.2, §5.2.6: conforming CAs MUST mark these non-critical.
const NEVER_CRITICAL: Record<string, string> = {
  [OID.authorityKeyId]: 'authorityKeyIdentifier', [OID.subjectKeyId]: 'subjectKeyIdentifier',
  [OID.authorityInfoAccess]: 'authorityInfoAccess', '1.3.6.1.5.5.7.1.11': 'subjectInfoAccess', [OID.freshestCrl]: 'freshestCRL',
};

const critical = (c: Certificate, oid: string) => c.extensions.some((e) => e.oid === oid && e.critical);

/** Whether child's authorityKeyIdentifier can name issuer: key id, issuer name and serial where present (§4.2.1.1). */
export function akiMatches(child: Certificate, issuer: Certificate): boolean {
  const aki = child.authorityKeyId;
  if (!aki) return true;
  if (aki.keyId && issuer.subjectKeyId && Buffer.compare(aki.keyId, issuer.subjectKeyId) !== 0) return false;
  if (aki.serial && Buffer.compare(aki.serial, issuer.serial) !== 0) return false;
  return !aki.issuer?.some((n) => n.type === 'dir' && n.name.key !== issuer.issuer.key);
}

/**
 * The rule c breaks, or null; issuing: c signs another certificate of the path. `strict` adds the rules only OpenSSL's
 * -x509_strict holds a path to: a CA that leaves out keyUsage or a critical basicConstraints is common in certificates
 * made with openssl's own defaults, and plain `openssl verify` accepts it.
 */
export function profileViolation(c: Certificate, issuing: boolean, strict = false): string | null {
  // §4.1.2.4: the issuer field MUST contain a non-empty distinguished name.
  if (c.issuer.rdns.length === 0) return 'empty issuer name';
  // §4.1.2.6: a CA's subject MUST be a non-empty distinguished name.
  if (issuing && c.subject.rdns.length === 0) return 'CA with an empty subject name';
  // §4.2.1.9: a CA certificate whose key verifies certificates MUST mark basicConstraints critical.
  if (strict && issuing && c.basicConstraints && !critical(c, OID.basicConstraints)) return 'basicConstraints of a CA not marked critical';
  // §4.1.2.6, §4.2.1.6: an empty subject leaves the identity to a subjectAltName that MUST be critical.
  if (c.subject.rdns.length === 0 && !critical(c, OID.subjectAltName)) return 'empty subject without a critical subjectAltName';
  for (const e of c.extensions) if (e.critical && NEVER_CRITICAL[e.oid]) return `${NEVER_CRITICAL[e.oid]} marked critical`;
  // §4.1.2.9: extensions MUST appear only in version 3 certificates.
  if (c.version < 3) return strict && c.extensions.length ? `extensions in a version ${c.version} certificate` : null;
  // §4.2.1.3: a CA certificate whose key verifies certificates MUST carry keyUsage.
  if (strict && issuing && c.keyUsage === undefined) return 'CA certificate without keyUsage';
  // §4.2.1.1: the keyIdentifier MUST be present; only a self-signed certificate may leave the extension out.
  if (c.authorityKeyId ? !c.authorityKeyId.keyId : !c.selfIssued) return c.authorityKeyId ? 'authorityKeyIdentifier without keyIdentifier' : 'no authorityKeyIdentifier';
  // §4.2.1.2: every CA certificate MUST carry a subjectKeyIdentifier.
  if (c.basicConstraints?.ca && !c.subjectKeyId) return 'CA certificate without subjectKeyIdentifier';
  return null;
}

/** §4.2.1.3, §4.2.1.9: keyCertSign, cA and pathLenConstraint must agree; a cA whose key usage omits keyCertSign is incoherent. */
export function keyUsageViolation(c: Certificate, strict = false): string | null {
  const ca = c.basicConstraints?.ca === true;
  const certSign = c.keyUsage !== undefined && (c.keyUsage & KU.keyCertSign) !== 0;
  if (certSign && !ca) return 'keyCertSign asserted without cA';
  if (strict && c.basicConstraints?.pathLen !== undefined && !ca) return 'pathLenConstraint without cA';
  return ca && c.keyUsage !== undefined && !certSign ? 'cA asserted but key usage lacks keyCertSign' : null;
}
