// `ruqsat verify`: output lines, JSON, exit codes and usage errors.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { command } from '../../scripts/cli/verify.ts';
import { UsageError } from '../../scripts/cli.ts';
import { Pki, type Issued } from './helpers/pki.ts';

const CA = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'];

async function run(args: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((s: string) => { out.push(...s.split('\n').filter(Boolean)); return true; }) as typeof process.stdout.write;
  try {
    return { code: await command.run(args), out };
  } finally {
    process.stdout.write = write;
  }
}

describe('ruqsat verify', function () {
  this.timeout(60_000);
  const pki = new Pki();
  let root: Issued, inter: Issued, good: Issued, revoked: Issued, crl: string, bundle: string;

  before(() => {
    root = pki.issue('root', '/CN=CLI Root', undefined, { ext: CA });
    inter = pki.issue('inter', '/CN=CLI CA', root, { ext: CA });
    good = pki.issue('good', '/CN=good', inter, { ext: ['extendedKeyUsage=serverAuth', 'subjectAltName=DNS:good.ruqsat.kz'] });
    revoked = pki.issue('revoked', '/CN=revoked', inter, { ext: ['subjectAltName=DNS:revoked.ruqsat.kz'] });
    crl = pki.crl('crl', inter, { entries: [{ serial: revoked.serial, reason: 'keyCompromise' }] });
    bundle = pki.path('bundle.pem');
    writeFileSync(bundle, readFileSync(root.cert, 'utf8') + readFileSync(inter.cert, 'utf8'));
  });
  after(() => pki.cleanup());

  it('prints OK per certificate and exits 0', async () => {
    const r = await run(['--ca', root.cert, '--untrusted', inter.cert, '--host', 'good.ruqsat.kz', '--purpose', 'serverAuth', good.cert]);
    expect(r).to.deep.equal({ code: 0, out: [`${good.cert}: OK`] });
  });

  it('prints FAIL with the reason code and exits 2', async () => {
    const r = await run(['--ca', root.cert, '--untrusted', inter.cert, '--crl', crl, '--crl-check', good.cert, revoked.cert]);
    expect(r.code).to.equal(2);
    expect(r.out[0]).to.equal(`${good.cert}: OK`);
    expect(r.out[1]).to.match(new RegExp(`^${revoked.cert}: FAIL REVOKED CN=revoked: revoked \\(keyCompromise\\)`));
  });

  it('refuses a SHA-1 signature unless --legacy-sha1 is given (openssl verify accepts it)', async () => {
    const rsaRoot = pki.issue('rsa-root', '/CN=CLI RSA Root', undefined, { ext: CA, alg: 'rsa' });
    const key = pki.key('rsa');
    writeFileSync(pki.path('sha1.ext'), '[v3]\nbasicConstraints=CA:FALSE\n');
    execFileSync('openssl', ['req', '-new', '-key', key, '-subj', '/CN=sha1', '-out', pki.path('sha1.csr')]);
    execFileSync('openssl', ['x509', '-req', '-in', pki.path('sha1.csr'), '-CA', rsaRoot.cert, '-CAkey', rsaRoot.key, '-sha1', '-days', '30',
      '-extfile', pki.path('sha1.ext'), '-extensions', 'v3', '-out', pki.path('sha1.pem')], { stdio: 'ignore' });
    const refused = await run(['--ca', rsaRoot.cert, pki.path('sha1.pem')]);
    expect(refused.code).to.equal(2);
    expect(refused.out[0]).to.match(/FAIL UNSUPPORTED_ALGORITHM .*sha1WithRSAEncryption/);
    expect(await run(['--legacy-sha1', '--ca', rsaRoot.cert, pki.path('sha1.pem')])).to.deep.equal({ code: 0, out: [`${pki.path('sha1.pem')}: OK`] });
  });

  it('reads several PEM blocks per file, DER files, --at and --json', async () => {
    const der = pki.path('good.der');
    writeFileSync(der, Buffer.from(good.pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
    const r = await run(['--ca', bundle, '--at', '2000-01-01T00:00:00Z', '--json', der]);
    expect(r.code).to.equal(2);
    const line = JSON.parse(r.out[0]);
    expect(line).to.include({ file: der, ok: false, code: 'NOT_YET_VALID' });
    const ok = JSON.parse((await run(['--ca', bundle, '--at', String(Math.floor(Date.now() / 1000)), '--json', der])).out[0]);
    expect(ok.ok).to.equal(true);
    // Any trust anchor ends the path (RFC 5280 §6.1; OpenSSL needs -partial_chain for this).
    expect(ok.chain.map((c: { subject: string }) => c.subject)).to.deep.equal(['CN=good', 'CN=CLI CA']);
    const full = JSON.parse((await run(['--ca', root.cert, '--untrusted', bundle, '--json', good.cert])).out[0]);
    expect(full.chain.map((c: { subject: string }) => c.subject)).to.deep.equal(['CN=good', 'CN=CLI CA', 'CN=CLI Root']);
    expect(full.chain[0].sha256).to.match(/^[0-9a-f]{64}$/);
  });

  it('reports unreadable certificates as MALFORMED', async () => {
    const r = await run(['--ca', root.cert, pki.path('missing.pem')]);
    expect(r.code).to.equal(2);
    expect(r.out[0]).to.match(/FAIL MALFORMED cannot read: ENOENT/);
  });

  it('throws UsageError for bad invocations', async () => {
    for (const args of [[], [good.cert], ['--ca', root.cert], ['--ca', root.cert, '--at', 'yesterday', good.cert], ['--ca', root.cert, '--bogus', good.cert],
      ['--ca', pki.path('nope.pem'), good.cert], ['--ca', root.cert, '--purpose', 'x.y', good.cert], ['--ca', root.cert, '--crl-check', '--crl-check-all', good.cert]]) {
      let thrown: unknown;
      try {
        await run(args);
      } catch (err) {
        thrown = err;
      }
      expect(thrown, args.join(' ')).to.be.instanceOf(UsageError);
    }
  });
});
