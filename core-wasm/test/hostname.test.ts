// RFC 6125 host matching and IP literal parsing.
import { expect } from 'chai';
import { matchesHost, parseIp, type Certificate } from '../src/index.ts';

const hex = (b: Uint8Array | null) => (b ? Buffer.from(b).toString('hex') : null);

function certWith(dns: string[], ips: string[] = []): Certificate {
  const subjectAltNames = [
    ...dns.map((value) => ({ type: 'dns' as const, value })),
    ...ips.map((value) => ({ type: 'ip' as const, value, bytes: parseIp(value)! })),
  ];
  return { subjectAltNames } as unknown as Certificate;
}

describe('host names', () => {
  it('parses IPv4 and IPv6 literals to bytes', () => {
    expect(hex(parseIp('10.0.0.1'))).to.equal('0a000001');
    expect(hex(parseIp('2001:db8::1'))).to.equal('20010db8000000000000000000000001');
    expect(hex(parseIp('::ffff:10.1.2.3'))).to.equal('00000000000000000000ffff0a010203');
    expect(hex(parseIp('[fe80::1%eth0]'))).to.equal('fe800000000000000000000000000001');
    expect(parseIp('svc.ruqsat.kz')).to.equal(null);
    expect(parseIp('10.0.0.256')).to.equal(null);
  });

  it('matches exact names case-insensitively and wildcards on the left-most label only', () => {
    const c = certWith(['svc.ruqsat.kz', '*.api.ruqsat.kz', '*.kz', 'f*.ruqsat.kz']);
    expect(matchesHost(c, 'SVC.Ruqsat.KZ.')).to.equal(true);
    expect(matchesHost(c, 'a.api.ruqsat.kz')).to.equal(true);
    expect(matchesHost(c, 'api.ruqsat.kz')).to.equal(false);
    expect(matchesHost(c, 'a.b.api.ruqsat.kz')).to.equal(false);
    expect(matchesHost(c, 'ruqsat.kz')).to.equal(false); // "*.kz" is never honoured
    expect(matchesHost(c, 'foo.ruqsat.kz')).to.equal(false); // partial-label wildcards are not supported
  });

  it('matches IP addresses only against iPAddress entries, byte for byte', () => {
    const c = certWith(['10.0.0.7'], ['10.0.0.8', '2001:db8::1']);
    expect(matchesHost(c, '10.0.0.8')).to.equal(true);
    expect(matchesHost(c, '2001:0db8:0:0:0:0:0:1')).to.equal(true);
    expect(matchesHost(c, '10.0.0.7')).to.equal(false);
  });
});
