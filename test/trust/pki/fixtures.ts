// Test fixture: a Root CA and an NCA issuing CA built with the library itself, as the trust service will build them.
import { buildCertificate, type CertificateTemplate } from '../../../services/trust/domain/pki/certificate.ts';
import { templateFromProfile } from '../../../services/trust/domain/pki/issue.ts';
import { ed25519Signer, ed25519Spki, generateEd25519, keyIdentifier, type Ed25519Key, type Signer } from '../../../services/trust/domain/pki/keys.ts';
import { encodeName } from '../../../services/trust/domain/pki/names.ts';
import { profiles } from '../../../services/trust/domain/pki/profiles.ts';

export interface Ca { key: Ed25519Key; signer: Signer; cert: Uint8Array; subject: Uint8Array; spki: Uint8Array; keyId: Uint8Array }

export const PROFILES = profiles();
export const NOW = new Date(Date.UTC(2026, 0, 15, 9, 0, 0));
export const DAY = 86_400_000;

function ca(subjectAttrs: { type: string; value: string }[], build: (spki: Uint8Array, subject: Uint8Array) => CertificateTemplate, signerOf: (self: Signer) => Signer): Ca {
  const key = generateEd25519();
  const spki = ed25519Spki(key.publicKey);
  const subject = encodeName(subjectAttrs);
  const signer = ed25519Signer(key.privateKey);
  const cert = buildCertificate(build(spki, subject), signerOf(signer));
  return { key, signer, cert, subject, spki, keyId: keyIdentifier(spki) };
}

/** Root (self-signed, serial 1) and the NCA issuing CA under it (serial 2), valid from NOW minus a day. */
export function makeHierarchy(): { root: Ca; nca: Ca } {
  const notBefore = new Date(NOW.getTime() - DAY);
  const root = ca(
    [{ type: 'C', value: 'KZ' }, { type: 'O', value: 'Ruqsat' }, { type: 'CN', value: 'Ruqsat Root CA' }],
    (spki, subject) => templateFromProfile(PROFILES.root_ca, { serialNumber: 1n, subject, subjectPublicKeyInfo: spki, notBefore }),
    (self) => self,
  );
  const nca = ca(
    [{ type: 'C', value: 'KZ' }, { type: 'O', value: 'Ruqsat' }, { type: 'CN', value: 'ҰКО (NCA) issuing CA' }],
    (spki, subject) => templateFromProfile(PROFILES.nca_issuing_ca, {
      serialNumber: 2n, issuerCertificate: root.cert, subject, subjectPublicKeyInfo: spki, notBefore,
      crlDistributionPoints: ['http://pki.ruqsat.test/root.crl'],
    }),
    () => root.signer,
  );
  return { root, nca };
}
