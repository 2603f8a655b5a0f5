// Signing certificates for the demo's people, by flow A: a CSR to the NCA, checked against the reference registry,
// confirmed by an RA operator's EDS. Fresh keys and request ids every run, so the demo repeats on one mesh.
import type { KeyObject } from 'node:crypto';
import { parseCertificate } from '../../core-wasm/src/index.ts';
import { PartyType } from '../../gen/ruqsat/common/v1/common.ts';
import type { TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';
import { fromPem } from '../../services/trust/domain/pki/der.ts';
import { keyFromPem, newHolderKey } from './keys.ts';
import type { DemoOperatorFiles } from './provision.ts';
import { ask, signAct } from './rpc.ts';

type Trust = InstanceType<typeof TrustServiceClient>;

export interface Identity {
  key: KeyObject;
  /** The holder's certificate, then the CA certificate that issued it. */
  chain: Uint8Array[];
  /** "authorities/nca/certificates/…" */
  certificate: string;
  subject: string;
  serialHex: string;
  notAfter: Date;
  applicationNumber: string;
}

export interface Operator {
  key: KeyObject;
  chain: Uint8Array[];
}

export const operatorOf = (files: DemoOperatorFiles): Operator => ({ key: keyFromPem(files.keyPem), chain: [fromPem(files.certificatePem)!] });

export interface Applicant {
  /** The person's IIN. */
  iin: string;
  /** A legal entity's BIN when the person acts for it (an employee's or an official's certificate). */
  bin?: string;
  profile: string;
}

/** Flow A: submit the CSR, the RA operator confirms; returns the certificate with its key. */
export async function obtainCertificate(trust: Trust, operator: Operator, who: Applicant, requestId: string): Promise<Identity> {
  const key = newHolderKey(`demo ${who.profile} ${who.iin}`);
  const application = await ask(trust.submitCertificateApplication.bind(trust), {
    requestId,
    applicant: who.bin ? { type: PartyType.PARTY_TYPE_LEGAL_ENTITY, identifier: who.bin, displayName: '' } : { type: PartyType.PARTY_TYPE_INDIVIDUAL, identifier: who.iin, displayName: '' },
    representativeIin: who.bin ? who.iin : '',
    email: 'demo@example.kz',
    region: 'Astana',
    keyStorage: 'token',
    profile: who.profile,
    csr: Buffer.from(key.csrPem),
  });
  // The operator confirms exactly this request: the act names the CSR's hash.
  const confirmation = signAct(operator.key, { act: 'confirm_certificate_application', application: application.name, csr_sha256: application.csrSha256 }, operator.chain);
  const confirmed = await ask(trust.confirmCertificateApplication.bind(trust), { name: application.name, confirmation });
  const der = (await ask(trust.getCertificate.bind(trust), { name: confirmed.certificate })).certificateDer;
  const leaf = parseCertificate(der);
  const { authorities } = await ask(trust.listAuthorities.bind(trust), { pageSize: 100, pageToken: '' });
  const issuer = authorities.find((a) => parseCertificate(a.certificateDer).subject.text === leaf.issuer.text);
  return {
    key: key.privateKey,
    chain: issuer ? [der, issuer.certificateDer] : [der],
    certificate: confirmed.certificate,
    subject: leaf.subject.text,
    serialHex: leaf.serialHex,
    notAfter: new Date(leaf.notAfter * 1000),
    applicationNumber: application.number || application.name,
  };
}
