// Every profile yields a certificate whose key usages, EKUs and policies openssl shows as the profile says, and that verifies for its purpose.
import { expect } from 'chai';
import { buildCertificate } from '../../../services/trust/domain/pki/certificate.ts';
import { fromPem } from '../../../services/trust/domain/pki/der.ts';
import { templateFromProfile, ProfileError } from '../../../services/trust/domain/pki/issue.ts';
import { ed25519Signer, ed25519Spki, generateEd25519 } from '../../../services/trust/domain/pki/keys.ts';
import { encodeName, type NameAttribute } from '../../../services/trust/domain/pki/names.ts';
import { ANY_POLICY, POLICY_ARC, policyOids, profiles, subjectViolations, type Profile } from '../../../services/trust/domain/pki/profiles.ts';
import { makeHierarchy, NOW, PROFILES } from './fixtures.ts';
import { OpenSslDir } from './openssl.ts';

const KU_TEXT: Record<string, string> = {
  digitalSignature: 'Digital Signature', nonRepudiation: 'Non Repudiation', keyEncipherment: 'Key Encipherment',
  dataEncipherment: 'Data Encipherment', keyAgreement: 'Key Agreement', keyCertSign: 'Certificate Sign', cRLSign: 'CRL Sign',
};
const KU_ORDER = Object.keys(KU_TEXT);
const EKU_TEXT: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'TLS Web Server Authentication', '1.3.6.1.5.5.7.3.2': 'TLS Web Client Authentication', '1.3.6.1.5.5.7.3.4': 'E-mail Protection',
};
const PERSON: NameAttribute[] = [{ type: 'C', value: 'KZ' }, { type: 'CN', value: 'ӘЛИЕВ ӘЛИ' }, { type: 'SERIALNUMBER', value: 'IIN880101300123' }];
const EMPLOYEE: NameAttribute[] = [...PERSON, { type: 'O', value: 'КНБ РК' }, { type: 'OU', value: 'BIN990240000123' }];
const SERVICE: NameAttribute[] = [{ type: 'O', value: 'Ruqsat' }, { type: 'OU', value: 'BIN990240000123' }, { type: 'CN', value: 'permit' }];

describe('pki/profiles', () => {
  const o = new OpenSslDir();
  const { root, nca } = makeHierarchy();
  const at = String(NOW.getTime() / 1000 + 60);
  const issued: Record<string, string> = {};
  const mesh = generateEd25519();

  before(() => {
    o.writePem('root.pem', root.cert);
    o.writePem('nca_issuing_ca.pem', nca.cert);
    issued.root_ca = 'root.pem';
    issued.nca_issuing_ca = 'nca_issuing_ca.pem';
    for (const id of ['accredited_ca', 'mesh_ca']) {
      const key = id === 'mesh_ca' ? mesh : generateEd25519();
      o.writePem(`${id}.pem`, buildCertificate(templateFromProfile(PROFILES[id], {
        serialNumber: 100n + BigInt(id.length), issuerCertificate: root.cert, notBefore: NOW, subjectPublicKeyInfo: ed25519Spki(key.publicKey),
        subject: encodeName([{ type: 'C', value: 'KZ' }, { type: 'O', value: 'Ruqsat' }, { type: 'CN', value: id }]),
      }), root.signer));
      issued[id] = `${id}.pem`;
    }
    const meshCert = fromPem(o.readText('mesh_ca.pem'))!;
    let serial = 1000n;
    for (const p of Object.values(PROFILES).filter((x) => !x.basicConstraints)) {
      const underMesh = p.id === 'service_mtls';
      const subject = underMesh ? SERVICE : p.subjectRequires.includes('O') ? EMPLOYEE : PERSON;
      o.writePem(`${p.id}.pem`, buildCertificate(templateFromProfile(p, {
        serialNumber: serial++, issuerCertificate: underMesh ? meshCert : nca.cert, notBefore: NOW,
        subjectPublicKeyInfo: ed25519Spki(generateEd25519().publicKey), subject: encodeName(subject),
        subjectAltNames: underMesh ? { dns: ['permit.ruqsat.internal'], ip: ['10.0.0.7'] } : undefined,
      }), underMesh ? ed25519Signer(mesh.privateKey) : nca.signer));
      issued[p.id] = `${p.id}.pem`;
    }
  });
  after(() => o.remove());

  it('defines exactly the agreed profiles, with documented validity periods', () => {
    expect(Object.keys(PROFILES).sort()).to.deep.equal([
      'accredited_ca', 'individual_auth', 'individual_sign', 'legal_entity_auth', 'legal_entity_sign', 'mesh_ca', 'nca_issuing_ca',
      'official_commission_member', 'official_executor', 'official_head', 'official_registrar', 'official_signatory', 'ra_operator', 'root_ca', 'service_mtls',
    ]);
    expect(PROFILES.root_ca.validityDays).to.equal(7305);
    expect(PROFILES.nca_issuing_ca.validityDays).to.equal(3653);
    expect(PROFILES.individual_sign.validityDays).to.equal(365);
    expect(PROFILES.service_mtls.validityDays).to.equal(90);
    const roles = ['ra_operator', 'official_registrar', 'official_executor', 'official_head', 'official_signatory', 'official_commission_member'];
    const rolePolicies = roles.map((r) => PROFILES[r].policies.find((x) => x.startsWith(`${POLICY_ARC}.2.`)));
    expect(new Set(rolePolicies).size).to.equal(roles.length);
    expect(profiles('1.2.398.3.99').official_head.policies).to.include('1.2.398.3.99.2.4');
    expect(policyOids().officialHead).to.equal(`${POLICY_ARC}.2.4`);
  });

  for (const p of Object.values(profiles())) {
    it(`${p.id}: openssl shows the profile's key usage, EKU, policies and validity`, () => {
      const text = o.ok('x509', '-in', issued[p.id], '-text', '-noout');
      // Every key here is Ed25519, which may carry signing usages only (RFC 8410 §5).
      const ku = p.keyUsage.filter((u) => !['keyEncipherment', 'dataEncipherment', 'keyAgreement'].includes(u)).sort((a, b) => KU_ORDER.indexOf(a) - KU_ORDER.indexOf(b)).map((k) => KU_TEXT[k]).join(', ');
      expect(text).to.match(new RegExp(`X509v3 Key Usage: critical\\s+${ku}\\n`));
      if (p.extendedKeyUsage.length) expect(text).to.match(new RegExp(`X509v3 Extended Key Usage:\\s+${p.extendedKeyUsage.map((e) => EKU_TEXT[e]).join(', ')}\\n`));
      else expect(text).not.to.include('Extended Key Usage');
      for (const pol of p.policies) expect(text).to.include(pol === ANY_POLICY ? 'Policy: X509v3 Any Policy' : `Policy: ${pol}\n`);
      if (p.basicConstraints) expect(text).to.match(/Basic Constraints: critical\s+CA:TRUE/);
      const days = (Date.parse(o.ok('x509', '-in', issued[p.id], '-noout', '-enddate').split('=')[1]) - Date.parse(o.ok('x509', '-in', issued[p.id], '-noout', '-startdate').split('=')[1])) / 86_400_000;
      expect(days).to.equal(p.validityDays);
    });
  }

  const verify = (file: string, untrusted: string, ...args: string[]) =>
    o.run('verify', '-attime', at, '-CAfile', 'root.pem', '-untrusted', untrusted, ...args, file).out.trim();

  it('openssl verify accepts each end-entity certificate for the purpose its EKU names, and refuses others', () => {
    expect(verify('service_mtls.pem', 'mesh_ca.pem', '-purpose', 'sslserver', '-verify_hostname', 'permit.ruqsat.internal')).to.equal('service_mtls.pem: OK');
    expect(verify('service_mtls.pem', 'mesh_ca.pem', '-purpose', 'sslclient', '-verify_ip', '10.0.0.7')).to.equal('service_mtls.pem: OK');
    expect(verify('service_mtls.pem', 'mesh_ca.pem', '-verify_hostname', 'other.ruqsat.internal')).to.match(/hostname mismatch/);
    expect(verify('individual_auth.pem', 'nca_issuing_ca.pem', '-purpose', 'sslclient')).to.equal('individual_auth.pem: OK');
    expect(verify('individual_sign.pem', 'nca_issuing_ca.pem', '-purpose', 'smimesign')).to.equal('individual_sign.pem: OK');
    expect(verify('individual_sign.pem', 'nca_issuing_ca.pem', '-purpose', 'sslclient')).to.match(/error 26 at 0 depth lookup: unsuitable certificate purpose/);
    expect(verify('legal_entity_sign.pem', 'nca_issuing_ca.pem', '-purpose', 'sslserver')).to.match(/error 26 at 0 depth lookup: unsuitable certificate purpose/);
  });

  it('openssl policy checking: a role certificate satisfies its role policy through the anyPolicy CA, and not another role', () => {
    const p = policyOids();
    expect(verify('official_head.pem', 'nca_issuing_ca.pem', '-policy_check', '-explicit_policy', '-policy', p.officialHead)).to.equal('official_head.pem: OK');
    expect(verify('official_head.pem', 'nca_issuing_ca.pem', '-policy_check', '-explicit_policy', '-policy', p.officialSignatory)).to.match(/no explicit policy/);
  });

  it('subject rules: IIN as SERIALNUMBER "IIN"+12 digits, BIN as OU "BIN"+12 digits, O for legal entities, SAN only where allowed', () => {
    const le: Profile = PROFILES.legal_entity_auth;
    expect(subjectViolations(le, EMPLOYEE)).to.deep.equal([]);
    expect(subjectViolations(le, PERSON)).to.deep.equal(['subject needs O', 'subject needs OU']);
    expect(subjectViolations(le, EMPLOYEE.map((a) => a.type === 'OU' ? { ...a, value: '990240000123' } : a))).to.deep.equal(['subject OU "990240000123" does not match ^BIN[0-9]{12}$']);
    expect(subjectViolations(PROFILES.individual_auth, PERSON.map((a) => a.type === 'SERIALNUMBER' ? { ...a, value: 'IIN12345' } : a))).to.have.length(1);
    expect(() => templateFromProfile(PROFILES.nca_issuing_ca, {
      serialNumber: 5n, issuerCertificate: root.cert, notBefore: NOW, subjectPublicKeyInfo: nca.spki,
      subject: encodeName([{ type: 'C', value: 'KZ' }, { type: 'O', value: 'X' }, { type: 'CN', value: 'X' }]), subjectAltNames: { dns: ['x.kz'] },
    })).to.throw(ProfileError, /does not allow subjectAltNames/);
  });
});
