// RFC 5280 §4 profile rules held against every certificate of a path, anchors included (x509-limbo's rfc5280::*).
import { expect } from 'chai';
import { Pki, type Issued } from './helpers/pki.ts';
import { expectBoth, runCore, type Case } from './helpers/check.ts';
import { parseCertificate } from '../src/index.ts';

const CA = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'];
const LEAF = ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'subjectAltName=DNS:svc.ruqsat.kz'];

describe('certificate profile', function () {
  this.timeout(120_000);
  const pki = new Pki();
  const now = () => Math.floor(Date.now() / 1000) + 5;
  let root: Issued;
  before(() => {
    root = pki.issue('root', '/C=KZ/CN=Profile Root', undefined, { ext: CA });
  });
  after(() => pki.cleanup());

  const verify = (leaf: Issued, ca: Issued = root, more: Partial<Case> = {}) => runCore({ leaf: leaf.cert, ca: [ca.cert], at: now(), ...more });
  const expectCode = (leaf: Issued, code: string, why: RegExp, ca?: Issued) => {
    const r = verify(leaf, ca);
    expect(r.code, r.message).to.equal(code);
    expect(r.message).to.match(why);
  };

  it('accepts a conforming leaf under a conforming root', () => {
    expect(verify(pki.issue('ok', '/CN=svc.ruqsat.kz', root, { ext: LEAF })).code).to.equal('OK');
  });

  it('MALFORMED: an anchor with an empty subject, whose leaf then has an empty issuer (§4.1.2.4, §4.1.2.6)', () => {
    const nameless = pki.issue('nameless', '/', undefined, { ext: CA });
    expectCode(pki.issue('orphan', '/CN=svc.ruqsat.kz', nameless, { ext: LEAF }), 'MALFORMED', /empty/, nameless);
  });

  it('MALFORMED: an empty subject needs a critical subjectAltName (§4.2.1.6)', () => {
    const san = 'subjectAltName=DNS:svc.ruqsat.kz';
    expectCode(pki.issue('bare', '/', root, { ext: [san] }), 'MALFORMED', /critical subjectAltName/);
    expect(verify(pki.issue('bare-crit', '/', root, { ext: [san.replace('=', '=critical,')] })).code).to.equal('OK');
  });

  it('MALFORMED: authorityKeyIdentifier or authorityInfoAccess marked critical (§4.2.1.1, §4.2.2.1)', () => {
    const keyIds = ['subjectKeyIdentifier=hash', 'authorityKeyIdentifier=critical,keyid:always'];
    expectCode(pki.issue('aki', '/CN=svc.ruqsat.kz', root, { ext: [...LEAF, ...keyIds], noKeyIds: true }), 'MALFORMED', /authorityKeyIdentifier marked critical/);
    const aia = 'authorityInfoAccess=critical,caIssuers;URI:http://pki.ruqsat.kz/root.crt';
    expectCode(pki.issue('aia', '/CN=svc.ruqsat.kz', root, { ext: [...LEAF, aia] }), 'MALFORMED', /authorityInfoAccess marked critical/);
  });

  it('MALFORMED: a missing or keyless authorityKeyIdentifier, a CA without subjectKeyIdentifier (§4.2.1.1, §4.2.1.2)', () => {
    const ski = 'subjectKeyIdentifier=hash';
    expectCode(pki.issue('no-aki', '/CN=svc.ruqsat.kz', root, { ext: [...LEAF, ski, 'authorityKeyIdentifier=none'], noKeyIds: true }), 'MALFORMED', /no authorityKeyIdentifier/);
    const byName = [...LEAF, ski, 'authorityKeyIdentifier=issuer:always'];
    expectCode(pki.issue('aki-name', '/CN=svc.ruqsat.kz', root, { ext: byName, noKeyIds: true }), 'MALFORMED', /without keyIdentifier/);
    const noSki = pki.issue('no-ski', '/C=KZ/CN=No SKI Root', undefined, { ext: [...CA, 'subjectKeyIdentifier=none'], noKeyIds: true });
    expectCode(pki.issue('under-no-ski', '/CN=svc.ruqsat.kz', noSki, { ext: [...LEAF, 'authorityKeyIdentifier=issuer:always', ski], noKeyIds: true }), 'MALFORMED', /without subjectKeyIdentifier/, noSki);
  });

  it('an authorityKeyIdentifier must name the issuer: key id and serial (§4.2.1.1)', () => {
    const keyId = Buffer.from(parseCertificate(root.pem).subjectKeyId!).toString('hex').replace(/(..)(?!$)/g, '$1:');
    // AKI { [0] root's key id, [2] serial 1234 }: the key matches, the serial does not.
    const wrongSerial = `2.5.29.35=DER:30:1a:80:14:${keyId}:82:02:04:d2`;
    expect(verify(pki.issue('serial', '/CN=svc.ruqsat.kz', root, { ext: [...LEAF, 'subjectKeyIdentifier=hash', wrongSerial], noKeyIds: true })).code).to.equal('UNKNOWN_ISSUER');
    // A self-signed anchor whose AKI names another key is not self-signed after all.
    const odd = pki.issue('odd', '/C=KZ/CN=Odd Root', undefined, { ext: [...CA, 'subjectKeyIdentifier=hash', '2.5.29.35=DER:30:06:80:04:de:ad:be:ef'], noKeyIds: true });
    expectCode(pki.issue('under-odd', '/CN=svc.ruqsat.kz', odd, { ext: LEAF }), 'MALFORMED', /does not name its own key/, odd);
  });

  // These three are OpenSSL's -x509_strict rules: plain `openssl verify` accepts such paths (openssl's own defaults make
  // roots without keyUsage), and so does the core unless asked to be strict.
  const both = (leaf: Issued, ca: Issued, strictCode: string, why: RegExp) => {
    expectBoth(pki, { leaf: leaf.cert, ca: [ca.cert], at: now() }, 'OK');
    const r = expectBoth(pki, { leaf: leaf.cert, ca: [ca.cert], at: now(), strict: true }, strictCode);
    expect(r.message).to.match(why);
  };

  it('strict: a CA whose basicConstraints is not critical (§4.2.1.9)', () => {
    const loose = pki.issue('loose', '/C=KZ/CN=Loose Root', undefined, { ext: ['basicConstraints=CA:TRUE', 'keyUsage=critical,keyCertSign'] });
    both(pki.issue('under-loose', '/CN=svc.ruqsat.kz', loose, { ext: LEAF }), loose, 'MALFORMED', /basicConstraints of a CA not marked critical/);
  });

  it('KEY_USAGE: keyCertSign without cA, or cA without keyCertSign, on the leaf too (§4.2.1.3, §4.2.1.9)', () => {
    const san = 'subjectAltName=DNS:svc.ruqsat.kz';
    expectCode(pki.issue('ee-sign', '/CN=svc.ruqsat.kz', root, { ext: ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyCertSign', san] }), 'KEY_USAGE', /keyCertSign asserted without cA/);
    expectCode(pki.issue('ee-ca', '/CN=svc.ruqsat.kz', root, { ext: ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,digitalSignature', san] }), 'KEY_USAGE', /lacks keyCertSign/);
  });

  it('strict: a CA without keyUsage, a pathLenConstraint without cA (§4.2.1.3, §4.2.1.9)', () => {
    const noKu = pki.issue('no-ku', '/C=KZ/CN=No KU Root', undefined, { ext: ['basicConstraints=critical,CA:TRUE'] });
    both(pki.issue('under-no-ku', '/CN=svc.ruqsat.kz', noKu, { ext: LEAF }), noKu, 'MALFORMED', /without keyUsage/);
    const ee = ['basicConstraints=critical,CA:FALSE,pathlen:0', 'keyUsage=critical,digitalSignature', 'subjectAltName=DNS:svc.ruqsat.kz'];
    both(pki.issue('ee-pathlen', '/CN=svc.ruqsat.kz', root, { ext: ee }), root, 'KEY_USAGE', /pathLenConstraint without cA/);
  });
});
