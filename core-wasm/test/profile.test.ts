// RFC 5280 §4 profile rules held against every certificate of a path, anchors included (x509-limbo's rfc5280::*).
import { expect } from 'chai';
import { Pki, type Issued } from './helpers/pki.ts';
import { runCore, type Case } from './helpers/check.ts';

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
});
