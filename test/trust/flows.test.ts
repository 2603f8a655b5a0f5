// The NCA's flows A, C and E end to end over gRPC, with every refusal, checked by OpenSSL.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PartyType } from '../../gen/ruqsat/common/v1/common.ts';
import { AuthorityKind, CertificateApplicationStatus, CertificateStatus, TrustServiceClient, type RevocationEvent } from '../../gen/ruqsat/trust/v1/trust.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import type { RegistrationStore } from '../../services/trust/registration-store.ts';
import { ServiceDb } from '../../services/kit/db.ts';
import { verifyChain } from '../../services/kit/audit.ts';
import { profiles } from '../../services/trust/domain/pki/profiles.ts';
import { bind, call, callFails } from '../helpers/grpc.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';
import { issueCertificate, makeKey, openssl, opensslAsync, pem, provisionOperator, signAct, type TestKey } from './helpers.ts';

const PERSON = '870601300126'; // Seitkali Aidar, in the demo reference registry
const OTHER = '900315400215'; // Omarova Dana
const COMPANY = '010440001231'; // Qorgau Security LLP
const UNKNOWN = '000000000101'; // a valid IIN nobody holds

describe('trust: NCA flows A, C, E', function () {
  this.timeout(120_000);
  let t: TestMesh;
  let client: InstanceType<typeof TrustServiceClient>;
  let dir: string;
  let operatorKey: TestKey;
  let operatorCert: Uint8Array;
  let operatorId: string;
  let registration: RegistrationStore;
  const chainOf = (leaf: Uint8Array) => [leaf];

  async function authorityDer(id: string): Promise<Uint8Array> {
    return (await call(bind(client, 'getAuthority'), { name: `authorities/${id}` })).response.certificateDer;
  }

  async function submit(key: TestKey, requestId: string, overrides: Record<string, unknown> = {}) {
    return call(bind(client, 'submitCertificateApplication'), {
      requestId,
      applicant: { type: PartyType.PARTY_TYPE_INDIVIDUAL, identifier: PERSON, displayName: '' },
      representativeIin: '',
      email: 'aidar@example.kz',
      region: 'Astana',
      keyStorage: 'token',
      profile: 'individual_sign',
      csr: Buffer.from(key.csrPem),
      ...overrides,
    });
  }

  async function confirm(name: string, csrSha256: string, key = operatorKey, cert = operatorCert) {
    return call(bind(client, 'confirmCertificateApplication'), {
      name,
      confirmation: signAct(key, { act: 'confirm_certificate_application', application: name, csr_sha256: csrSha256 }, chainOf(cert)),
    });
  }

  const issue = (key: TestKey, requestId: string, identifier = PERSON) =>
    issueCertificate(client, { key: operatorKey, certificate: operatorCert, id: operatorId, registration }, key, requestId, identifier);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ruqsat-trust-'));
    t = await startTestMesh(['trust'], { PGLITE_DIR: join(dir, 'pglite') });
    client = clientFor(TrustServiceClient, t.address('trust'));
    // The provider issues the operator's certificate on the office's official letter (as `ruqsat ca` would).
    const operator = await provisionOperator(t, dir, OTHER);
    operatorKey = operator.key;
    operatorCert = operator.certificate;
    operatorId = operator.id;
    registration = operator.registration;
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('A: issue', () => {
    it('registers an application with a unique number, idempotently, and issues on the operator\u2019s confirmation', async () => {
      const key = makeKey(dir, 'aidar-sign', 'p256', '/CN=whatever the applicant typed');
      const first = await submit(key, 'req-a-1');
      expect(first.response.status).to.equal(CertificateApplicationStatus.CERTIFICATE_APPLICATION_STATUS_REGISTERED);
      expect(first.response.number).to.match(/^NCA-\d{8}$/);
      const again = await submit(key, 'req-a-1');
      expect(again.response.name).to.equal(first.response.name);
      expect(again.response.number).to.equal(first.response.number);

      const { response } = await confirm(first.response.name, first.response.csrSha256);
      expect(response.status).to.equal(CertificateApplicationStatus.CERTIFICATE_APPLICATION_STATUS_ISSUED);
      const cert = (await call(bind(client, 'getCertificate'), { name: response.certificate })).response;
      expect(cert.status).to.equal(CertificateStatus.CERTIFICATE_STATUS_VALID);
      // The subject comes from the registry, not from what the CSR said.
      expect(cert.subject).to.include(`IIN${PERSON}`).and.include('SEITKALI AIDAR').and.not.include('whatever');

      writeFileSync(join(dir, 'root.pem'), pem(await authorityDer('root')));
      writeFileSync(join(dir, 'nca.pem'), pem(await authorityDer('nca')));
      writeFileSync(join(dir, 'a.pem'), pem(cert.certificateDer));
      const verify = openssl(['verify', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'nca.pem'), join(dir, 'a.pem')]);
      expect(verify.output).to.include('a.pem: OK');
      const text = openssl(['x509', '-in', join(dir, 'a.pem'), '-noout', '-text']).output;
      expect(text).to.include('Non Repudiation').and.include('CRL Distribution Points').and.include('OCSP');
    });

    it('refuses what is wrong before registering anything', async () => {
      const key = makeKey(dir, 'x', 'ed25519');
      const bad = await callFails(bind(client, 'submitCertificateApplication'), { requestId: '', applicant: undefined, representativeIin: '', email: 'nope', region: '', keyStorage: 'usb', profile: 'root_ca', csr: Buffer.alloc(0) }, grpc.status.INVALID_ARGUMENT);
      expect(bad.status.fieldViolations.map((v) => v.field)).to.include.members(['request_id', 'applicant.type', 'applicant.identifier', 'email', 'region', 'key_storage', 'csr']);
      // A CSR whose signature does not match its key: no proof of possession.
      const tampered = Buffer.from(key.csrPem.replace(/-----BEGIN CERTIFICATE REQUEST-----\n([\s\S]*?)\n-----END/, (_m, body: string) => {
        const der = Buffer.from(body.replace(/\s+/g, ''), 'base64');
        der[der.length - 5]! ^= 0x01;
        return `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END`;
      }));
      const badCsr = await callFails(bind(client, 'submitCertificateApplication'), { requestId: 'req-bad-csr', applicant: { type: PartyType.PARTY_TYPE_INDIVIDUAL, identifier: PERSON, displayName: '' }, representativeIin: '', email: 'a@b.kz', region: 'Astana', keyStorage: 'file', profile: 'individual_auth', csr: tampered }, grpc.status.INVALID_ARGUMENT);
      expect(badCsr.status.fieldViolations[0]).to.include({ field: 'csr' });
      expect(badCsr.status.fieldViolations[0]!.description).to.match(/BAD_SIGNATURE/);
      const unknown = await callFails(bind(client, 'submitCertificateApplication'), { requestId: 'req-unknown', applicant: { type: PartyType.PARTY_TYPE_INDIVIDUAL, identifier: UNKNOWN, displayName: '' }, representativeIin: '', email: 'a@b.kz', region: 'Astana', keyStorage: 'file', profile: 'individual_auth', csr: Buffer.from(key.csrPem) }, grpc.status.FAILED_PRECONDITION);
      expect(unknown.status.errorInfo?.reason).to.equal('APPLICANT_NOT_IN_REGISTRY');
      const company = await callFails(bind(client, 'submitCertificateApplication'), { requestId: 'req-le', applicant: { type: PartyType.PARTY_TYPE_LEGAL_ENTITY, identifier: COMPANY, displayName: '' }, representativeIin: UNKNOWN, email: 'a@b.kz', region: 'Astana', keyStorage: 'file', profile: 'legal_entity_sign', csr: Buffer.from(key.csrPem) }, grpc.status.FAILED_PRECONDITION);
      expect(company.status.errorInfo?.reason).to.equal('APPLICANT_NOT_IN_REGISTRY');
      // The same request_id with another body is a client bug, not a new application.
      await submit(key, 'req-a-2');
      const reused = await callFails(bind(client, 'submitCertificateApplication'), { requestId: 'req-a-2', applicant: { type: PartyType.PARTY_TYPE_INDIVIDUAL, identifier: PERSON, displayName: '' }, representativeIin: '', email: 'other@b.kz', region: 'Astana', keyStorage: 'token', profile: 'individual_sign', csr: Buffer.from(key.csrPem) }, grpc.status.ALREADY_EXISTS);
      expect(reused.status.errorInfo?.reason).to.equal('REQUEST_ID_REUSED');
    });

    it('issues a legal entity\u2019s certificate with its BIN and the representative\u2019s IIN', async () => {
      const key = makeKey(dir, 'qorgau', 'rsa');
      const { response: app } = await submit(key, 'req-le-ok', { applicant: { type: PartyType.PARTY_TYPE_LEGAL_ENTITY, identifier: COMPANY, displayName: '' }, representativeIin: PERSON, profile: 'legal_entity_sign' });
      const { response } = await confirm(app.name, app.csrSha256);
      const cert = (await call(bind(client, 'getCertificate'), { name: response.certificate })).response;
      expect(cert.subject).to.include(`BIN${COMPANY}`).and.include(`IIN${PERSON}`).and.include('Qorgau Security LLP');

      // A state body applies for an official's role certificate: the role is a policy OID in it.
      const officialKey = makeKey(dir, 'signatory', 'ed25519');
      const { response: roleApp } = await submit(officialKey, 'req-official', { applicant: { type: PartyType.PARTY_TYPE_LEGAL_ENTITY, identifier: COMPANY, displayName: '' }, representativeIin: PERSON, profile: 'official_signatory' });
      const issued = await confirm(roleApp.name, roleApp.csrSha256);
      const role = (await call(bind(client, 'getCertificate'), { name: issued.response.certificate })).response;
      writeFileSync(join(dir, 'signatory.pem'), pem(role.certificateDer));
      const rolePolicy = profiles().official_signatory!.policies[0]!;
      expect(openssl(['x509', '-in', join(dir, 'signatory.pem'), '-noout', '-text']).output).to.include(rolePolicy);
    });

    it('accepts only a valid, active operator\u2019s signature over this very application, once', async () => {
      const key = makeKey(dir, 'aidar-auth', 'ed25519');
      const { response: app } = await submit(key, 'req-a-3', { profile: 'individual_auth' });
      const confirmation = (k: TestKey, chain: Uint8Array[], act: object) => ({ name: app.name, confirmation: signAct(k, act, chain) });
      const goodAct = { act: 'confirm_certificate_application', application: app.name, csr_sha256: app.csrSha256 };

      const unsigned = await callFails(bind(client, 'confirmCertificateApplication'), { name: app.name, confirmation: undefined }, grpc.status.UNAUTHENTICATED);
      expect(unsigned.status.errorInfo?.reason).to.equal('UNSIGNED');
      // Signed by a key whose certificate no trusted CA issued.
      const stranger = makeKey(dir, 'stranger', 'ed25519');
      writeFileSync(join(dir, 'stranger.csr'), stranger.csrPem);
      const selfSigned = openssl(['req', '-x509', '-key', stranger.keyPath, '-subj', '/CN=Stranger', '-days', '2', '-outform', 'DER']);
      expect(selfSigned.status).to.equal(0);
      const selfDer = new Uint8Array(Buffer.from(openssl(['req', '-x509', '-key', stranger.keyPath, '-subj', '/CN=Stranger', '-days', '2']).output.split('-----BEGIN CERTIFICATE-----')[1]!.split('-----END')[0]!.replace(/\s+/g, ''), 'base64'));
      const unknownIssuer = await callFails(bind(client, 'confirmCertificateApplication'), confirmation(stranger, [selfDer], goodAct), grpc.status.UNAUTHENTICATED);
      expect(unknownIssuer.status.errorInfo?.reason).to.be.oneOf(['UNKNOWN_ISSUER', 'BAD_SIGNATURE']);
      // The operator's signature, but the payload altered after signing.
      const forged = confirmation(operatorKey, [operatorCert], goodAct);
      forged.confirmation.payload = Buffer.from(JSON.stringify({ ...goodAct, csr_sha256: '00' }));
      expect((await callFails(bind(client, 'confirmCertificateApplication'), forged, grpc.status.UNAUTHENTICATED)).status.errorInfo?.reason).to.equal('BAD_SIGNATURE');
      // A valid signature over another application's act.
      const wrong = await callFails(bind(client, 'confirmCertificateApplication'), confirmation(operatorKey, [operatorCert], { ...goodAct, csr_sha256: 'ab'.repeat(32) }), grpc.status.INVALID_ARGUMENT);
      expect(wrong.status.fieldViolations[0]).to.include({ field: 'confirmation.payload' });
      // An operator whose certificate has expired (issued two years ago for one year) cannot confirm.
      const expired = await provisionOperator(t, dir, '851120300359', new Date(Date.now() - 2 * 365 * 86_400_000));
      const stale = await callFails(bind(client, 'confirmCertificateApplication'), confirmation(expired.key, [expired.certificate], goodAct), grpc.status.UNAUTHENTICATED);
      expect(stale.status.errorInfo?.reason).to.equal('EXPIRED');
      // A suspended operator cannot confirm.
      await registration.setOperatorStatus(operatorId, 'suspended');
      const suspended = await callFails(bind(client, 'confirmCertificateApplication'), confirmation(operatorKey, [operatorCert], goodAct), grpc.status.PERMISSION_DENIED);
      expect(suspended.status.errorInfo?.reason).to.equal('OPERATOR_SUSPENDED');
      await registration.setOperatorStatus(operatorId, 'active');
      expect((await call(bind(client, 'getCertificateApplication'), { name: app.name })).response.status).to.equal(CertificateApplicationStatus.CERTIFICATE_APPLICATION_STATUS_REGISTERED);

      const ok = confirmation(operatorKey, [operatorCert], goodAct);
      expect((await call(bind(client, 'confirmCertificateApplication'), ok)).response.status).to.equal(CertificateApplicationStatus.CERTIFICATE_APPLICATION_STATUS_ISSUED);
      const twice = await callFails(bind(client, 'confirmCertificateApplication'), ok, grpc.status.FAILED_PRECONDITION);
      expect(twice.status.errorInfo?.reason).to.equal('APPLICATION_NOT_REGISTERED');
    });

    it('records a reasoned refusal by the operator (P7)', async () => {
      const key = makeKey(dir, 'refused', 'ed25519');
      const { response: app } = await submit(key, 'req-a-4');
      const noReason = await callFails(bind(client, 'refuseCertificateApplication'), { name: app.name, refusal: signAct(operatorKey, { act: 'refuse_certificate_application', application: app.name }, [operatorCert]) }, grpc.status.INVALID_ARGUMENT);
      expect(noReason.status.fieldViolations[0]).to.include({ field: 'refusal.payload' });
      const { response } = await call(bind(client, 'refuseCertificateApplication'), { name: app.name, refusal: signAct(operatorKey, { act: 'refuse_certificate_application', application: app.name, reason: 'the identity document does not match the applicant' }, [operatorCert]) });
      expect(response.status).to.equal(CertificateApplicationStatus.CERTIFICATE_APPLICATION_STATUS_REFUSED);
      expect(response.refusalReason).to.equal('the identity document does not match the applicant');
    });
  });

  describe('C and E: revoke, publish, watch', () => {
    let holderKey: TestKey;
    let holder: { name: string; der: Uint8Array };
    let other: { name: string; der: Uint8Array };
    const events: RevocationEvent[] = [];

    before(async () => {
      holderKey = makeKey(dir, 'holder', 'ed25519');
      holder = await issue(holderKey, 'req-c-1');
      other = await issue(makeKey(dir, 'other', 'p256'), 'req-e-1', OTHER);
      const stream = client.watchRevocations({ afterSequence: 0 });
      stream.on('data', (e: RevocationEvent) => events.push(e));
      stream.on('error', () => undefined);
    });

    it('C: the holder revokes with its own key; the delta CRL, OpenSSL and OCSP all say revoked', async () => {
      const act = { act: 'revoke_certificate', certificate: holder.name, reason: 1 };
      // Someone else's certificate cannot revoke it.
      const otherKey = makeKey(dir, 'intruder', 'ed25519');
      const intruder = await issue(otherKey, 'req-c-intruder', OTHER);
      const denied = await callFails(bind(client, 'revokeCertificate'), { name: holder.name, reason: 1, request: signAct(otherKey, act, [intruder.der]) }, grpc.status.PERMISSION_DENIED);
      expect(denied.status.errorInfo?.reason).to.equal('NOT_HOLDER_OR_OPERATOR');
      await callFails(bind(client, 'revokeCertificate'), { name: holder.name, reason: 2, request: signAct(holderKey, { ...act, reason: 2 }, [holder.der]) }, grpc.status.INVALID_ARGUMENT);
      await callFails(bind(client, 'revokeCertificate'), { name: 'authorities/nca/certificates/abcdef', reason: 1, request: signAct(holderKey, act, [holder.der]) }, grpc.status.NOT_FOUND);

      const { response } = await call(bind(client, 'revokeCertificate'), { name: holder.name, reason: 1, request: signAct(holderKey, act, [holder.der]) });
      expect(response.status).to.equal(CertificateStatus.CERTIFICATE_STATUS_REVOKED);
      expect(response.revocationReason).to.equal(1);
      const again = await callFails(bind(client, 'revokeCertificate'), { name: holder.name, reason: 1, request: signAct(holderKey, act, [holder.der]) }, grpc.status.FAILED_PRECONDITION);
      expect(again.status.errorInfo?.reason).to.be.oneOf(['ALREADY_REVOKED', 'ACT_REPLAYED']);

      const full = (await call(bind(client, 'getCrl'), { authority: 'authorities/nca', delta: false })).response;
      const delta = (await call(bind(client, 'getCrl'), { authority: 'authorities/nca', delta: true })).response;
      expect(delta.baseCrlNumber).to.equal(full.crlNumber);
      expect(delta.crlNumber).to.be.greaterThan(full.crlNumber);
      writeFileSync(join(dir, 'full.pem'), pem(full.crlDer, 'X509 CRL'));
      writeFileSync(join(dir, 'delta.pem'), pem(delta.crlDer, 'X509 CRL'));
      writeFileSync(join(dir, 'holder.pem'), pem(holder.der));
      writeFileSync(join(dir, 'other.pem'), pem(other.der));
      expect(openssl(['crl', '-in', join(dir, 'delta.pem'), '-noout', '-text']).output).to.include('Delta CRL Indicator').and.include('Key Compromise');
      const bundle = join(dir, 'crls.pem');
      writeFileSync(bundle, pem(full.crlDer, 'X509 CRL') + pem(delta.crlDer, 'X509 CRL'));
      const revoked = openssl(['verify', '-crl_check', '-use_deltas', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'nca.pem'), '-CRLfile', bundle, join(dir, 'holder.pem')]);
      expect(revoked.status).to.not.equal(0);
      expect(revoked.output).to.include('certificate revoked');
      const good = openssl(['verify', '-crl_check', '-use_deltas', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'nca.pem'), '-CRLfile', bundle, join(dir, 'other.pem')]);
      expect(good.output).to.include('other.pem: OK');

      const verdict = (await call(bind(client, 'verifyChain'), { certificate: Buffer.from(holder.der), intermediates: [], time: undefined, checkWholeChain: false, purpose: '', policies: [] })).response;
      expect(verdict).to.include({ ok: false, code: 'REVOKED', revocationReason: 1 });
    });

    it('E: an RA operator revokes at the office', async () => {
      const act = { act: 'revoke_certificate', certificate: other.name, reason: 3 };
      const { response } = await call(bind(client, 'revokeCertificate'), { name: other.name, reason: 3, request: signAct(operatorKey, act, [operatorCert]) });
      expect(response.status).to.equal(CertificateStatus.CERTIFICATE_STATUS_REVOKED);
    });

    it('streams every revocation in order, with the CRL that carries it, and resumes from a sequence', async () => {
      for (let i = 0; i < 100 && events.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      expect(events.map((e) => e.certificate)).to.deep.equal([holder.name, other.name]);
      expect(events[0]!.sequence).to.be.lessThan(events[1]!.sequence);
      expect(events[1]!.crlDer.length).to.be.greaterThan(0);
      const resumed: RevocationEvent[] = [];
      const stream = client.watchRevocations({ afterSequence: events[0]!.sequence });
      stream.on('error', () => undefined);
      await new Promise<void>((resolve) => {
        stream.on('data', (e: RevocationEvent) => {
          resumed.push(e);
          resolve();
        });
      });
      stream.cancel();
      expect(resumed.map((e) => e.certificate)).to.deep.equal([other.name]);
    });

    it('answers OCSP over HTTP as openssl ocsp asks', async () => {
      const httpPort = /:(\d+)\//.exec(Buffer.from((await call(bind(client, 'getCertificate'), { name: holder.name })).response.certificateDer).toString('latin1').match(/http:\/\/127\.0\.0\.1:\d+\//)?.[0] ?? '')?.[1];
      expect(httpPort).to.match(/^\d+$/);
      const url = `http://127.0.0.1:${httpPort}/ocsp`;
      const ask = (file: string) => opensslAsync(['ocsp', '-issuer', join(dir, 'nca.pem'), '-cert', join(dir, file), '-url', url, '-CAfile', join(dir, 'root.pem'), '-VAfile', join(dir, 'nca.pem')]);
      const revoked = await ask('holder.pem');
      expect(revoked.output, revoked.output).to.include('holder.pem: revoked');
      expect(revoked.output, revoked.output).to.include('Response verify OK');
      writeFileSync(join(dir, 'fresh.pem'), pem((await issue(makeKey(dir, 'fresh', 'ed25519'), 'req-ocsp')).der));
      const good = await ask('fresh.pem');
      expect(good.output, good.output).to.include('fresh.pem: good');

      // RFC 6960 A.1 GET: the DER request base64 in the path.
      const request = await opensslAsync(['ocsp', '-issuer', join(dir, 'nca.pem'), '-cert', join(dir, 'holder.pem'), '-reqout', join(dir, 'req.der'), '-no_nonce']);
      expect(request.status).to.equal(0);
      const der = readFileSync(join(dir, 'req.der'));
      const viaGet = await fetch(`${url}/${encodeURIComponent(der.toString('base64'))}`);
      expect(viaGet.headers.get('content-type')).to.equal('application/ocsp-response');
      writeFileSync(join(dir, 'resp.der'), Buffer.from(await viaGet.arrayBuffer()));
      const read = await opensslAsync(['ocsp', '-respin', join(dir, 'resp.der'), '-issuer', join(dir, 'nca.pem'), '-cert', join(dir, 'holder.pem'), '-CAfile', join(dir, 'root.pem'), '-VAfile', join(dir, 'nca.pem')]);
      expect(read.output).to.include('holder.pem: revoked');
      // A malformed request gets a malformedRequest response, not a crash.
      const garbage = await fetch(url, { method: 'POST', body: Buffer.from('not der'), headers: { 'content-type': 'application/ocsp-request' } });
      writeFileSync(join(dir, 'bad.der'), Buffer.from(await garbage.arrayBuffer()));
      expect((await opensslAsync(['ocsp', '-respin', join(dir, 'bad.der'), '-resp_text', '-noverify'])).output).to.match(/malformedrequest/i);
    });

    it('serves the CRLs at the URL the certificates name, as DER and PEM', async () => {
      const text = openssl(['x509', '-in', join(dir, 'holder.pem'), '-noout', '-ext', 'crlDistributionPoints']).output;
      const cdp = /URI:(http\S+)/.exec(text)?.[1];
      expect(cdp).to.match(/\/crl\/nca\.crl$/);
      const res = await fetch(cdp!);
      expect(res.status).to.equal(200);
      writeFileSync(join(dir, 'fetched.crl'), Buffer.from(await res.arrayBuffer()));
      expect(openssl(['crl', '-inform', 'DER', '-in', join(dir, 'fetched.crl'), '-noout', '-text']).output).to.include('Freshest CRL');
      expect((await fetch(cdp!.replace('.crl', '-delta.pem'))).status).to.equal(200);
      expect((await fetch(cdp!.replace('nca.crl', 'nowhere.crl'))).status).to.equal(404);
    });
  });

  describe('B: re-obtain with the current certificate', () => {
    it('issues to the same subject without an office visit, and refuses what is not the holder\u2019s', async () => {
      const currentKey = makeKey(dir, 'current', 'ed25519');
      const current = await issue(currentKey, 'req-b-current', OTHER);
      const next = makeKey(dir, 'next', 'p256');
      const csrSha256 = createHash('sha256').update(Buffer.from(next.csrPem.split('-----')[2]!.replace(/\s+/g, ''), 'base64')).digest('hex');
      const act = { act: 'reobtain_certificate', profile: 'individual_auth', csr_sha256: csrSha256 };
      const request = (key: TestKey, chain: Uint8Array[], a: object = act) => ({ requestId: 'req-b-1', profile: 'individual_auth', csr: Buffer.from(next.csrPem), keyStorage: 'token', email: 'dana@example.kz', request: signAct(key, a, chain) });

      const wrongAct = await callFails(bind(client, 'reobtainCertificate'), request(currentKey, [current.der], { ...act, profile: 'individual_sign' }), grpc.status.INVALID_ARGUMENT);
      expect(wrongAct.status.fieldViolations[0]).to.include({ field: 'request.payload' });
      const { response } = await call(bind(client, 'reobtainCertificate'), request(currentKey, [current.der]));
      expect(response.status).to.equal(CertificateApplicationStatus.CERTIFICATE_APPLICATION_STATUS_ISSUED);
      const issued = (await call(bind(client, 'getCertificate'), { name: response.certificate })).response;
      expect(issued.subject).to.include(`IIN${OTHER}`);
      expect((await call(bind(client, 'reobtainCertificate'), request(currentKey, [current.der]))).response.name).to.equal(response.name);

      // A revoked current certificate vouches for nothing.
      await call(bind(client, 'revokeCertificate'), { name: current.name, reason: 4, request: signAct(currentKey, { act: 'revoke_certificate', certificate: current.name, reason: 4 }, [current.der]) });
      const revoked = await callFails(bind(client, 'reobtainCertificate'), { ...request(currentKey, [current.der]), requestId: 'req-b-2' }, grpc.status.PERMISSION_DENIED);
      expect(revoked.status.errorInfo?.reason).to.equal('REVOKED');
    });
  });

  describe('accredited certifying centres (para 18)', () => {
    it('registers a centre\u2019s CA certificate under the Root CA with its policies, then revokes it', async () => {
      const caKey = makeKey(dir, 'dala-ca', 'p256', '/C=KZ/O=Dala Crypto Systems JSC/CN=Dala Accredited CA');
      const end = new Date(Date.now() + 3 * 365 * 86_400_000);
      const policy = '1.3.6.1.4.1.55555.1.9.1';
      const bad = await callFails(bind(client, 'registerAccreditedCa'), { name: 'authorities/dala', displayName: '', csr: Buffer.from('nope'), policies: ['x'], accreditationEndTime: new Date(0) }, grpc.status.INVALID_ARGUMENT);
      expect(bad.status.fieldViolations.map((v) => v.field)).to.have.members(['display_name', 'policies', 'accreditation_end_time', 'csr']);
      const { response } = await call(bind(client, 'registerAccreditedCa'), { name: 'authorities/dala', displayName: 'Dala Crypto Systems CA', csr: Buffer.from(caKey.csrPem), policies: [policy], accreditationEndTime: end });
      expect(response.kind).to.equal(AuthorityKind.AUTHORITY_KIND_ACCREDITED);
      writeFileSync(join(dir, 'dala.pem'), pem(response.certificateDer));
      const text = openssl(['x509', '-in', join(dir, 'dala.pem'), '-noout', '-text']).output;
      expect(text).to.include(policy).and.include('CA:TRUE');
      await callFails(bind(client, 'registerAccreditedCa'), { name: 'authorities/dala', displayName: 'again', csr: Buffer.from(caKey.csrPem), policies: [policy], accreditationEndTime: end }, grpc.status.ALREADY_EXISTS);

      // A user certificate from the new CA chains to the Root CA.
      const user = makeKey(dir, 'dala-user', 'p256', '/C=KZ/CN=Dala User');
      writeFileSync(join(dir, 'dala-user.csr'), user.csrPem);
      writeFileSync(join(dir, 'ext.cnf'), `certificatePolicies=${policy}\nbasicConstraints=CA:FALSE\n`);
      const signedUser = openssl(['x509', '-req', '-in', join(dir, 'dala-user.csr'), '-CA', join(dir, 'dala.pem'), '-CAkey', caKey.keyPath, '-CAcreateserial', '-days', '30', '-extfile', join(dir, 'ext.cnf'), '-out', join(dir, 'dala-user.pem')]);
      expect(signedUser.status, signedUser.output).to.equal(0);
      expect(openssl(['verify', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'dala.pem'), '-policy', policy, '-explicit_policy', join(dir, 'dala-user.pem')]).output).to.include('dala-user.pem: OK');

      const before = (await call(bind(client, 'verifyChain'), { certificate: Buffer.from(response.certificateDer), intermediates: [], time: undefined, checkWholeChain: false, purpose: '', policies: [] })).response;
      expect(before).to.include({ ok: true, code: 'OK' });
      await callFails(bind(client, 'revokeAccreditedCa'), { name: 'authorities/dala', reason: 1 }, grpc.status.INVALID_ARGUMENT);
      await callFails(bind(client, 'revokeAccreditedCa'), { name: 'authorities/nca', reason: 5 }, grpc.status.FAILED_PRECONDITION);
      await call(bind(client, 'revokeAccreditedCa'), { name: 'authorities/dala', reason: 5 });
      const after = (await call(bind(client, 'verifyChain'), { certificate: Buffer.from(response.certificateDer), intermediates: [], time: undefined, checkWholeChain: false, purpose: '', policies: [] })).response;
      expect(after).to.include({ ok: false, code: 'REVOKED', revocationReason: 5 });
    });
  });

  describe('durability', () => {
    it('records every act in an unbroken hash-chained audit log', async () => {
      const db = new ServiceDb(t.mesh.database.knex, t.config.schemaPrefix + 'trust');
      const result = await verifyChain(db);
      expect(result).to.include({ ok: true });
      const actions = (await db.table('audit_log').orderBy('position').select('action')).map((r: { action: string }) => r.action);
      expect(actions).to.include.members(['create_authority', 'issue_operator_certificate', 'submit_certificate_application', 'confirm_certificate_application', 'refuse_certificate_application', 'revoke_certificate', 'reobtain_certificate', 'register_accredited_ca', 'revoke_accredited_ca']);
    });

    it('keeps every revocation, CRL number and key across a restart; never shows a private key', async () => {
      const before = (await call(bind(client, 'getCrl'), { authority: 'authorities/nca', delta: true })).response;
      const authorities = (await call(bind(client, 'listAuthorities'), { pageSize: 0, pageToken: '' })).response;
      const envelope = (await t.mesh.database.knex.withSchema(t.config.schemaPrefix + 'trust').table('authorities').where({ id: 'nca' }).first()).key_envelope as string;
      expect(JSON.stringify(authorities)).to.not.include(envelope.slice(0, 40));
      await t.stop({ keepData: true });
      t = await startTestMesh(['trust'], { PGLITE_DIR: join(dir, 'pglite'), DB_SCHEMA_PREFIX: t.config.schemaPrefix, CRL_FULL_INTERVAL_MS: '1000' });
      client = clientFor(TrustServiceClient, t.address('trust'));
      const revoked = (await call(bind(client, 'listCertificates'), { parent: 'authorities/nca', pageSize: 100, pageToken: '' })).response.certificates.filter((c) => c.status === CertificateStatus.CERTIFICATE_STATUS_REVOKED);
      expect(revoked.length).to.be.at.least(3);
      const full = (await call(bind(client, 'getCrl'), { authority: 'authorities/nca', delta: false })).response;
      expect(full.crlNumber).to.be.greaterThan(before.crlNumber);
      // The unlocked keys still sign: a new application is confirmed and issued.
      const fresh = await issue(makeKey(dir, 'after-restart', 'ed25519'), 'req-restart');
      expect(fresh.der.length).to.be.greaterThan(100);
    });
  });
});
