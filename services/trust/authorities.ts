// The certifying centres this instance signs for: keys unlocked once at start, never logged or returned.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { AuditLog } from '../kit/audit.ts';
import { parseCertificate, type Certificate } from '../../core-wasm/src/index.ts';
import { HIERARCHY } from './domain/hierarchy.ts';
import { templateFor, type Endpoints, type Issuer } from './domain/issue.ts';
import { normalizeSerial } from './domain/names.ts';
import { buildCertificate } from './domain/pki/certificate.ts';
import { decryptPrivateKey, ed25519Signer, ed25519Spki, encryptPrivateKey, generateEd25519, keyIdentifier, type Signer } from './domain/pki/keys.ts';
import { encodeName, formatName } from './domain/pki/names.ts';
import { issuerHashes } from './domain/pki/ocsp.ts';
import { profiles, type Profile } from './domain/pki/profiles.ts';
import type { TrustStore, Tx } from './store.ts';

export interface Authority extends Issuer {
  kind: string;
  displayName: string;
  parentId: string | null;
  certificate: Certificate;
  subjectDer: Uint8Array;
  keyId: Uint8Array;
  signer: Signer;
  /** For matching OCSP CertIDs: SHA-1 and SHA-256 of the issuer name and key. */
  hashes: Record<'sha1' | 'sha256', { nameHash: string; keyHash: string }>;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function unlock(id: string, kind: string, displayName: string, parentId: string | null, certificateDer: Uint8Array, envelope: string, passphrase: string): Authority {
  const certificate = parseCertificate(certificateDer);
  const seed = decryptPrivateKey(envelope, passphrase);
  const hashes = {} as Authority['hashes'];
  for (const alg of ['sha1', 'sha256'] as const) {
    const h = issuerHashes(certificateDer, alg);
    hashes[alg] = { nameHash: hex(h.nameHash), keyHash: hex(h.keyHash) };
  }
  return {
    id,
    kind,
    displayName,
    parentId,
    certificateDer,
    certificate,
    subjectDer: certificate.subject.raw,
    keyId: certificate.subjectKeyId ?? keyIdentifier(certificate.spki),
    signer: ed25519Signer(seed),
    hashes,
  };
}

export class Authorities {
  private readonly byId = new Map<string, Authority>();
  /** Every CA certificate under a root, ours or an accredited centre's, parsed once: chain material for verification. */
  private caCertificates: Certificate[] = [];
  readonly profiles: Record<string, Profile>;

  constructor(
    readonly store: TrustStore,
    private readonly passphrase: string,
    readonly endpoints: Endpoints,
    policyArc?: string,
  ) {
    this.profiles = profiles(policyArc);
  }

  /** Unlocks every authority with a key; creates the hierarchy first when there is none. */
  async open(logger: Logger): Promise<void> {
    let rows = await this.store.allAuthorities();
    if (rows.length === 0) {
      logger.warn('no certifying centres yet: running the key ceremony (Root CA, NCA, mesh CA)');
      await this.store.db.transaction((trx) => this.ceremony(trx, new Date()));
      rows = await this.store.allAuthorities();
    }
    for (const row of rows) {
      if (!row.key_envelope) continue;
      this.byId.set(row.id, unlock(row.id, row.kind, row.display_name, row.parent_id, row.certificate_der, row.key_envelope, this.passphrase));
    }
    await this.reload();
  }

  /** Re-reads the CA certificates (an accredited centre was registered, here or on another instance). */
  async reload(): Promise<void> {
    this.caCertificates = (await this.store.allAuthorities()).filter((r) => r.parent_id !== null).map((r) => parseCertificate(r.certificate_der));
  }

  intermediates(): Certificate[] {
    return this.caCertificates;
  }

  /** Keys made and used with @noble/ed25519; each CA certificate signed by its parent. */
  async ceremony(trx: Tx, now: Date): Promise<void> {
    const made = new Map<string, Authority>();
    for (const spec of HIERARCHY) {
      const key = generateEd25519();
      const spki = ed25519Spki(key.publicKey);
      const subjectDer = encodeName(spec.subject);
      const parent = spec.parent ? made.get(spec.parent) : undefined;
      const template = templateFor(this.profile(spec.profile), subjectDer, spki, parent, now, this.endpoints);
      const signer = parent?.signer ?? ed25519Signer(key.privateKey);
      const der = buildCertificate(template, signer);
      const envelope = encryptPrivateKey(key.privateKey, this.passphrase);
      await this.store.insertAuthority(
        { id: spec.id, kind: spec.kind, display_name: spec.displayName, subject: formatName(spec.subject), certificate_der: Buffer.from(der), parent_id: spec.parent ?? null, key_envelope: envelope },
        trx,
      );
      if (parent) await this.recordIssued(trx, parent.id, der, spec.profile, null);
      made.set(spec.id, unlock(spec.id, spec.kind, spec.displayName, spec.parent ?? null, der, envelope, this.passphrase));
      await new AuditLog(this.store.db).append(trx, { actor: 'key ceremony', action: 'create_authority', resource: `authorities/${spec.id}`, payload: { subject: formatName(spec.subject), parent: spec.parent ?? null } });
    }
  }

  /** Records a certificate an authority issued, so it can be listed, revoked and answered for by OCSP. */
  async recordIssued(trx: Tx, authorityId: string, der: Uint8Array, profile: string, subjectIdentifier: string | null): Promise<Certificate> {
    const cert = parseCertificate(der);
    await this.store.insertCertificate(
      {
        authority_id: authorityId,
        serial_number: normalizeSerial(cert.serialHex)!,
        subject: cert.subject.text,
        not_before: new Date(cert.notBefore * 1000),
        not_after: new Date(cert.notAfter * 1000),
        status: 'valid',
        revocation_reason: null,
        revocation_time: null,
        sha256_fingerprint: createHash('sha256').update(der).digest('hex'),
        certificate_der: Buffer.from(der),
        profile,
        subject_identifier: subjectIdentifier,
      },
      trx,
    );
    return cert;
  }

  profile(id: string): Profile {
    const p = this.profiles[id];
    if (!p) throw new Error(`no certificate profile "${id}"`);
    return p;
  }

  get(id: string): Authority | undefined {
    return this.byId.get(id);
  }

  all(): Authority[] {
    return [...this.byId.values()];
  }

  /** Self-signed roots: what every relying party anchors on. */
  anchors(): Authority[] {
    return this.all().filter((a) => a.parentId === null);
  }

  /** The authority an OCSP CertID names, by its issuer name and key hashes. */
  byHashes(alg: 'sha1' | 'sha256', nameHash: Uint8Array, keyHash: Uint8Array): Authority | undefined {
    return this.all().find((a) => a.hashes[alg].nameHash === hex(nameHash) && a.hashes[alg].keyHash === hex(keyHash));
  }
}

