// RFC 6960: requests made by `openssl ocsp` are parsed and answered; openssl verifies our responses and prints the status.
import { expect } from 'chai';
import { buildCertificate } from '../../../services/trust/domain/pki/certificate.ts';
import { templateFromProfile } from '../../../services/trust/domain/pki/issue.ts';
import { ed25519Signer, ed25519Spki, generateEd25519 } from '../../../services/trust/domain/pki/keys.ts';
import { encodeName } from '../../../services/trust/domain/pki/names.ts';
import {
  buildOcspResponse, certIdMatchesIssuer, issuerHashes, ocspError, OcspRequestError, parseOcspRequest, type OcspSingle,
} from '../../../services/trust/domain/pki/ocsp.ts';
import { makeHierarchy, NOW, PROFILES } from './fixtures.ts';
import { OpenSslDir } from './openssl.ts';

const LEAF_SERIAL = 0x8a11ce0000000001n;

describe('pki/ocsp', () => {
  const o = new OpenSslDir();
  const { root, nca } = makeHierarchy();
  // openssl checks thisUpdate/nextUpdate against the wall clock, so responses are dated now.
  const now = new Date();
  const tomorrow = new Date(now.getTime() + 86_400_000);
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

  function respond(reqFile: string, status: Partial<OcspSingle>, extra: { certificates?: Uint8Array[]; nonce?: Uint8Array | null; signer?: ReturnType<typeof ed25519Signer> } = {}) {
    const req = parseOcspRequest(o.read(reqFile));
    return buildOcspResponse({
      responderKeyHash: nca.keyId, producedAt: now,
      responses: req.certIds.map((certId) => ({ certId, status: 'good', thisUpdate: now, nextUpdate: tomorrow, ...status })),
      nonce: extra.nonce === null ? undefined : extra.nonce ?? req.nonce,
      certificates: extra.certificates,
    }, extra.signer ?? nca.signer);
  }
  const check = (resp: string, ...args: string[]) =>
    o.run('ocsp', '-respin', resp, '-issuer', 'ca.pem', ...args, '-cert', 'leaf.pem', '-no_nonce', '-resp_text').out; // a digest option must precede -cert

  before(() => {
    o.writePem('root.pem', root.cert);
    o.writePem('ca.pem', nca.cert);
    o.writePem('leaf.pem', buildCertificate(templateFromProfile(PROFILES.individual_auth, {
      serialNumber: LEAF_SERIAL, issuerCertificate: nca.cert, notBefore: NOW, subjectPublicKeyInfo: ed25519Spki(generateEd25519().publicKey),
      subject: encodeName([{ type: 'C', value: 'KZ' }, { type: 'CN', value: 'OCSP test' }, { type: 'SERIALNUMBER', value: 'IIN880101300123' }]),
      ocspUrl: 'http://ocsp.ruqsat.test',
    }), nca.signer));
    o.ok('ocsp', '-issuer', 'ca.pem', '-cert', 'leaf.pem', '-reqout', 'req.der', '-no_nonce');
    o.ok('ocsp', '-issuer', 'ca.pem', '-cert', 'leaf.pem', '-reqout', 'req-nonce.der');
    o.ok('ocsp', '-issuer', 'ca.pem', '-sha256', '-cert', 'leaf.pem', '-reqout', 'req-sha256.der', '-no_nonce');
  });
  after(() => o.remove());

  it('parses an openssl request: SHA-1 CertID of our issuer and leaf serial, no nonce', () => {
    const text = o.ok('ocsp', '-reqin', 'req.der', '-req_text');
    const req = parseOcspRequest(o.read('req.der'));
    expect(req.nonce).to.equal(undefined);
    expect(req.certIds).to.have.length(1);
    const id = req.certIds[0];
    expect(id.hashAlgorithm).to.equal('sha1');
    expect(text).to.match(new RegExp(`Serial Number: ${LEAF_SERIAL.toString(16).toUpperCase()}`));
    expect(id.serialNumber).to.equal(LEAF_SERIAL);
    expect(text).to.include(`Issuer Name Hash: ${hex(id.issuerNameHash)}`);
    expect(text).to.include(`Issuer Key Hash: ${hex(id.issuerKeyHash)}`);
    const { nameHash, keyHash } = issuerHashes(nca.cert, 'sha1');
    expect(hex(nameHash)).to.equal(hex(id.issuerNameHash));
    expect(hex(keyHash)).to.equal(hex(id.issuerKeyHash));
    expect(certIdMatchesIssuer(id, nca.cert)).to.equal(true);
    expect(certIdMatchesIssuer(id, root.cert)).to.equal(false);
    expect(Buffer.from(o.read('req.der')).includes(Buffer.from(id.der))).to.equal(true);
  });

  it('good: openssl verifies the CA-signed response against the root and prints "good"', () => {
    o.write('good.der', respond('req.der', { status: 'good' }, { certificates: [nca.cert] }));
    const out = check('good.der', '-CAfile', 'root.pem');
    expect(out).to.include('Response verify OK');
    expect(out).to.include('OCSP Response Status: successful (0x0)');
    expect(out).to.include(`Responder Id: ${hex(nca.keyId)}`);
    expect(out).to.match(/Cert Status: good/);
    expect(out).to.match(/leaf\.pem: good\n/);
    expect(out).not.to.match(/WARNING/);
    // Without -issuer openssl can only succeed through the chain CA → root, and fails under another root.
    expect(o.run('ocsp', '-respin', 'good.der', '-CAfile', 'root.pem').out).to.include('Response verify OK');
    o.writePem('other-root.pem', makeHierarchy().root.cert);
    expect(o.run('ocsp', '-respin', 'good.der', '-CAfile', 'other-root.pem').out).to.include('Response Verify Failure');
  });

  it('revoked: openssl prints "revoked" with the reason and the revocation time', () => {
    const revokedAt = new Date(Date.UTC(2026, 5, 1, 12, 0, 0));
    o.write('revoked.der', respond('req.der', { status: 'revoked', revocationTime: revokedAt, reason: 1 }, { certificates: [nca.cert] }));
    const out = check('revoked.der', '-CAfile', 'root.pem');
    expect(out).to.include('Response verify OK');
    expect(out).to.match(/leaf\.pem: revoked\n/);
    expect(out).to.match(/Reason: keyCompromise/);
    expect(out).to.match(/Revocation Time: Jun  1 12:00:00 2026 GMT/);
  });

  it('unknown: openssl prints "unknown"; -VAfile trusts the CA as responder without embedded certificates', () => {
    o.write('unknown.der', respond('req.der', { status: 'unknown' }));
    const out = check('unknown.der', '-VAfile', 'ca.pem');
    expect(out).to.include('Response verify OK');
    expect(out).to.match(/leaf\.pem: unknown\n/);
  });

  it('a nonce is parsed and echoed: openssl matches it against its own request', () => {
    const req = parseOcspRequest(o.read('req-nonce.der'));
    expect(req.nonce).to.be.instanceOf(Uint8Array);
    const text = o.ok('ocsp', '-reqin', 'req-nonce.der', '-req_text');
    expect(text.replace(/[\s:]/g, '').toUpperCase()).to.include(hex(req.nonce!));
    o.write('nonce.der', respond('req-nonce.der', { status: 'good' }, { certificates: [nca.cert] }));
    const out = o.run('ocsp', '-reqin', 'req-nonce.der', '-respin', 'nonce.der', '-CAfile', 'root.pem', '-resp_text').out;
    expect(out).to.include('OCSP Nonce');
    expect(out).to.include('Response verify OK');
    expect(out).not.to.include('Nonce Verify error');
    // The same response with another nonce is caught by openssl.
    o.write('wrong-nonce.der', respond('req-nonce.der', { status: 'good' }, { certificates: [nca.cert], nonce: new Uint8Array([4, 2, 0xde, 0xad]) }));
    expect(o.run('ocsp', '-reqin', 'req-nonce.der', '-respin', 'wrong-nonce.der', '-CAfile', 'root.pem').out).to.include('Nonce Verify error');
  });

  it('a SHA-256 CertID is parsed and echoed, and openssl finds its status', () => {
    const req = parseOcspRequest(o.read('req-sha256.der'));
    expect(req.certIds[0].hashAlgorithm).to.equal('sha256');
    expect(certIdMatchesIssuer(req.certIds[0], nca.cert)).to.equal(true);
    o.write('sha256.der', respond('req-sha256.der', { status: 'good' }, { certificates: [nca.cert] }));
    const out = check('sha256.der', '-CAfile', 'root.pem', '-sha256');
    expect(out).to.include('Hash Algorithm: sha256');
    expect(out).to.include('Response verify OK');
    expect(out).to.match(/leaf\.pem: good\n/);
  });

  it('a response signed by another key fails openssl verification', () => {
    const impostor = ed25519Signer(generateEd25519().privateKey);
    o.write('forged.der', respond('req.der', { status: 'good' }, { certificates: [nca.cert], signer: impostor }));
    const out = check('forged.der', '-CAfile', 'root.pem');
    expect(out).to.include('Response Verify Failure');
    expect(out).not.to.include('Response verify OK');
  });

  it('error responses carry only the status, as openssl reads them', () => {
    for (const [status, code] of [['malformedRequest', 1], ['internalError', 2], ['tryLater', 3], ['unauthorized', 6]] as const) {
      o.write(`err-${status}.der`, ocspError(status));
      const out = o.run('ocsp', '-respin', `err-${status}.der`, '-resp_text', '-noverify').out;
      expect(out.toLowerCase()).to.include(`responder error: ${status.toLowerCase()} (${code})`); // openssl prints the name in lower case
    }
  });

  it('garbage and empty requests throw OcspRequestError', () => {
    expect(() => parseOcspRequest(new Uint8Array([0x30, 0x03, 1, 2, 3]))).to.throw(OcspRequestError);
    expect(() => parseOcspRequest(new Uint8Array(0))).to.throw(OcspRequestError);
    expect(() => parseOcspRequest(o.read('root.pem'))).to.throw(OcspRequestError);
  });
});
