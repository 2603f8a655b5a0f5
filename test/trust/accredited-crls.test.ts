// An accredited centre's own CRL: refused unless it is the centre's, valid and newer; accepted ones reach another
// service's core within a second; trust fetches it from the centre's distribution points; a revoked centre's count no more.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { parseCertificate, type Certificate } from '../../core-wasm/src/index.ts';
import { TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { TrustFollower } from '../../services/kit/trust-follower.ts';
import { buildCrl, type RevokedEntry } from '../../services/trust/domain/pki/crl.ts';
import { ed25519Signer, generateEd25519, type Signer } from '../../services/trust/domain/pki/keys.ts';
import { encodeName } from '../../services/trust/domain/pki/names.ts';
import { bind, call, callFails } from '../helpers/grpc.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';
import { makeKey, openssl, opensslAsync, pem, type TestKey } from './helpers.ts';

const CENTRE = 'authorities/qorgau';
// openssl's index.txt wants whole bytes of hex.
const evenHex = (n: bigint) => n.toString(16).toUpperCase().padStart(Math.ceil(n.toString(16).length / 2) * 2, '0');
const HOUR = 3_600_000;

describe('trust: accredited centres\u2019 own CRLs', function () {
  this.timeout(60_000);
  let t: TestMesh;
  let dir: string;
  let client: InstanceType<typeof TrustServiceClient>;
  let follower: TrustFollower | undefined;
  let http: Server | undefined;
  let hits = 0;
  let centreKey: TestKey;
  let ca: Certificate;
  let signer: Signer;
  const users: Record<'first' | 'second', { der: Buffer; serial: bigint }> = {} as never;

  /** A CRL as the centre's software would sign it (or, with `by`, as someone else's key would). */
  const crl = (crlNumber: number, entries: RevokedEntry[], o: { base?: number; thisUpdate?: Date; nextUpdate?: Date; by?: Signer; issuer?: Uint8Array } = {}) =>
    Buffer.from(buildCrl({
      issuer: o.issuer ?? ca.subject.raw,
      authorityKeyIdentifier: ca.subjectKeyId!,
      thisUpdate: o.thisUpdate ?? new Date(Date.now() - 60_000),
      nextUpdate: o.nextUpdate ?? new Date(Date.now() + 24 * HOUR),
      crlNumber: BigInt(crlNumber),
      deltaCrlIndicator: o.base === undefined ? undefined : BigInt(o.base),
      entries,
    }, o.by ?? signer));
  const publish = (der: Uint8Array) => call(bind(client, 'publishCrl'), { authority: CENTRE, crl: Buffer.from(der) });
  const refused = async (der: Uint8Array, code: grpc.status, reason: string, authority = CENTRE) => {
    const { status } = await callFails(bind(client, 'publishCrl'), { authority, crl: Buffer.from(der) }, code);
    expect(status.errorInfo?.reason).to.equal(reason);
    return status;
  };
  const held = async () => (await call(bind(client, 'getCrl'), { authority: CENTRE, delta: false })).response.crlNumber;
  const revoked = (user: 'first' | 'second'): RevokedEntry => ({ serialNumber: users[user].serial, revocationDate: new Date(Date.now() - 1000), reason: 1 });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ruqsat-centre-crl-'));
    t = await startTestMesh(['trust'], { ACCREDITED_CRL_FETCH_INTERVAL_MS: '200' });
    client = clientFor(TrustServiceClient, t.address('trust'));
    // The centre's key, made by openssl as its own software would; the Root CA certifies it.
    centreKey = makeKey(dir, 'centre-ca', 'ed25519', '/C=KZ/O=Qorgau Security LLP/CN=Qorgau Accredited CA');
    const { response } = await call(bind(client, 'registerAccreditedCa'), { name: CENTRE, displayName: 'Qorgau Accredited CA', csr: Buffer.from(centreKey.csrPem), policies: [], accreditationEndTime: new Date(Date.now() + 365 * 86_400_000) });
    ca = parseCertificate(response.certificateDer);
    writeFileSync(join(dir, 'ca.pem'), pem(response.certificateDer));
    const seed = Buffer.from(createPrivateKey(centreKey.privatePem).export({ format: 'jwk' }).d!, 'base64url');
    signer = ed25519Signer(seed);
    writeFileSync(join(dir, 'user.cnf'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n');
    for (const name of ['first', 'second'] as const) {
      const user = makeKey(dir, `user-${name}`, 'p256', `/C=KZ/CN=Centre User ${name}`);
      writeFileSync(join(dir, `${name}.csr`), user.csrPem);
      const r = openssl(['x509', '-req', '-in', join(dir, `${name}.csr`), '-CA', join(dir, 'ca.pem'), '-CAkey', centreKey.keyPath, '-CAcreateserial', '-days', '30', '-extfile', join(dir, 'user.cnf'), '-out', join(dir, `${name}.pem`)]);
      expect(r.status, r.output).to.equal(0);
      const der = Buffer.from(readFileSync(join(dir, `${name}.pem`), 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64');
      users[name] = { der, serial: BigInt('0x' + parseCertificate(der).serialHex) };
    }
  });
  after(async () => {
    follower?.stop();
    await new Promise((r) => (http ? http.close(r) : r(undefined)));
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses what is not the centre\u2019s valid CRL, and changes nothing', async () => {
    const garbage = await refused(Buffer.from('not a CRL at all'), grpc.status.INVALID_ARGUMENT, 'CRL_MALFORMED');
    expect(garbage.fieldViolations.map((v) => v.field)).to.deep.equal(['crl']);
    await callFails(bind(client, 'publishCrl'), { authority: 'authorities/nobody', crl: crl(1, []) }, grpc.status.NOT_FOUND);
    await refused(crl(1, []), grpc.status.FAILED_PRECONDITION, 'NOT_ACCREDITED', 'authorities/nca');
    const forged = await refused(crl(1, [], { by: ed25519Signer(generateEd25519().privateKey) }), grpc.status.INVALID_ARGUMENT, 'CRL_BAD_SIGNATURE');
    expect(forged.fieldViolations[0]!.description).to.match(/does not verify/);
    await refused(crl(1, [], { issuer: encodeName([{ type: 'C', value: 'KZ' }, { type: 'CN', value: 'Someone Else CA' }]) }), grpc.status.INVALID_ARGUMENT, 'CRL_ISSUER_MISMATCH');
    await refused(crl(1, [], { thisUpdate: new Date(Date.now() - 48 * HOUR), nextUpdate: new Date(Date.now() - HOUR) }), grpc.status.INVALID_ARGUMENT, 'CRL_EXPIRED');
    await refused(crl(1, [], { thisUpdate: new Date(Date.now() + HOUR), nextUpdate: new Date(Date.now() + 24 * HOUR) }), grpc.status.INVALID_ARGUMENT, 'CRL_NOT_YET_VALID');
    await refused(crl(2, [], { base: 1 }), grpc.status.FAILED_PRECONDITION, 'BASE_CRL_MISSING');
    await callFails(bind(client, 'getCrl'), { authority: CENTRE, delta: false }, grpc.status.NOT_FOUND);
  });

  it('accepts the centre\u2019s CRL, serves it, and keeps CRL numbers moving forward', async () => {
    const first = crl(5, []);
    const { response } = await publish(first);
    expect(response).to.include({ authority: CENTRE, crlNumber: 5, baseCrlNumber: 0 });
    expect(Buffer.from((await call(bind(client, 'getCrl'), { authority: CENTRE, delta: false })).response.crlDer).equals(first)).to.equal(true);
    // The same CRL again (a retry, or a fetch that found nothing new) is fine and changes nothing.
    expect((await publish(first)).response.crlNumber).to.equal(5);
    await refused(crl(5, [revoked('second')]), grpc.status.FAILED_PRECONDITION, 'CRL_NOT_NEWER');
    await refused(crl(4, []), grpc.status.FAILED_PRECONDITION, 'CRL_NOT_NEWER');
    expect(await held()).to.equal(5);
    // Relying parties read it where they read trust's own CRLs, and OpenSSL accepts it under the centre's certificate.
    // The Root CA's certificate of the centre names trust's HTTP endpoint for the Root CA's CRL.
    const base = /http:\/\/127\.0\.0\.1:\d+\//.exec(Buffer.from(ca.der).toString('latin1'))?.[0];
    expect(base).to.be.a('string');
    const res = await fetch(`${base}crl/qorgau.crl`);
    expect(res.status).to.equal(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(first)).to.equal(true);
    writeFileSync(join(dir, 'first.crl'), first);
    expect((await opensslAsync(['crl', '-inform', 'DER', '-in', join(dir, 'first.crl'), '-CAfile', join(dir, 'ca.pem'), '-noout'])).output).to.match(/verify OK/);
  });

  it('a revocation on the centre\u2019s delta CRL counts in another service\u2019s core in under a second', async () => {
    follower = new TrustFollower(client, pino({ level: 'silent' }), 200);
    await follower.start();
    const verify = () => follower!.core.verifyBytes(users.first.der, { intermediates: follower!.intermediates(), crlCheck: 'all' });
    expect(verify()).to.include({ ok: true, code: 'OK' });

    const { response } = await publish(crl(6, [revoked('first')], { base: 5 }));
    expect(response).to.include({ crlNumber: 6, baseCrlNumber: 5 });
    const acknowledged = Date.now();
    while (verify().ok && Date.now() - acknowledged < 1_000) await new Promise((r) => setTimeout(r, 10));
    expect(Date.now() - acknowledged).to.be.lessThan(1_000);
    expect(verify()).to.include({ ok: false, code: 'REVOKED' });
    // Trust's own core agrees.
    const chain = await call(bind(client, 'verifyChain'), { certificate: users.first.der, intermediates: [Buffer.from(ca.der)], time: undefined, checkWholeChain: true, purpose: '', policies: [] });
    expect(chain.response).to.include({ ok: false, code: 'REVOKED' });

    // The next full CRL lists it again: no second revocation goes out on the feed.
    const sequence = follower.sequence;
    await publish(crl(7, [revoked('first')]));
    await new Promise((r) => setTimeout(r, 200));
    expect(follower.sequence).to.equal(sequence);
    expect(verify()).to.include({ ok: false, code: 'REVOKED' });
    // It still reaches the follower, which re-reads CRLs: a re-issue listing nothing new travels on no feed event.
    const heldThere = () => follower!.core.crls.scopesFor(ca.subject.key, ca.subjectKeyId)[0]?.full?.crl.crlNumber;
    for (let i = 0; i < 100 && heldThere() !== 7n; i++) await new Promise((r) => setTimeout(r, 20));
    expect(heldThere()).to.equal(7n);
  });

  it('fetches the CRL from the centre\u2019s distribution points; a failed fetch keeps the CRL held', async () => {
    let body: Buffer | undefined;
    http = createServer((req, res) => {
      hits++;
      if (!body) return void res.writeHead(503).end('down for maintenance');
      res.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(body);
    });
    await new Promise<void>((r) => http!.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/qorgau.crl`;
    const bad = await callFails(bind(client, 'setCrlDistributionPoints'), { authority: CENTRE, crlDistributionPoints: ['ldap://dir.qorgau.kz/crl'] }, grpc.status.INVALID_ARGUMENT);
    expect(bad.status.fieldViolations[0]!.field).to.equal('crl_distribution_points');
    // The first point is down for good; the second is the centre's web server.
    const { response } = await call(bind(client, 'setCrlDistributionPoints'), { authority: CENTRE, crlDistributionPoints: ['http://127.0.0.1:1/qorgau.crl', url] });
    expect(response.crlDistributionPoints).to.deep.equal(['http://127.0.0.1:1/qorgau.crl', url]);

    for (let i = 0; i < 100 && hits < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(hits).to.be.at.least(2);
    expect(await held()).to.equal(7);

    // Made by the openssl command line, as many centres' software would: the same acceptance path.
    writeFileSync(join(dir, 'index.txt'), `R\t991231235959Z\t${new Date(Date.now() - 60_000).toISOString().replace(/[-:T]/g, '').slice(2, 14)}Z,keyCompromise\t${evenHex(users.second.serial)}\tunknown\t/CN=Centre User second\n`);
    writeFileSync(join(dir, 'crlnumber'), '08\n');
    writeFileSync(join(dir, 'ca.cnf'), ['[ca]', 'default_ca=centre', '[centre]', `database=${join(dir, 'index.txt')}`, `crlnumber=${join(dir, 'crlnumber')}`, 'default_md=default', 'default_crl_days=1', 'crl_extensions=crl_ext', '[crl_ext]', 'authorityKeyIdentifier=keyid'].join('\n'));
    const gen = openssl(['ca', '-gencrl', '-config', join(dir, 'ca.cnf'), '-keyfile', centreKey.keyPath, '-cert', join(dir, 'ca.pem'), '-out', join(dir, 'eight.pem')]);
    expect(gen.status, gen.output).to.equal(0);
    expect(openssl(['crl', '-in', join(dir, 'eight.pem'), '-outform', 'DER', '-out', join(dir, 'eight.crl')]).status).to.equal(0);
    body = readFileSync(join(dir, 'eight.crl'));
    for (let i = 0; i < 100 && (await held()) !== 8; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await held()).to.equal(8);
    const verify = () => follower!.core.verifyBytes(users.second.der, { intermediates: follower!.intermediates(), crlCheck: 'all' });
    for (let i = 0; i < 100 && verify().ok; i++) await new Promise((r) => setTimeout(r, 10));
    expect(verify()).to.include({ ok: false, code: 'REVOKED' });
  });

  it('stops accepting and fetching a centre\u2019s CRLs once the centre is revoked', async () => {
    await call(bind(client, 'revokeAccreditedCa'), { name: CENTRE, reason: 5 });
    const status = await refused(crl(9, []), grpc.status.FAILED_PRECONDITION, 'CENTRE_REVOKED');
    expect(status.message).to.match(/revoked at the Root CA/);
    expect(await held()).to.equal(8);
    // The fetcher leaves a revoked centre's distribution points alone.
    await new Promise((r) => setTimeout(r, 400));
    const before = hits;
    await new Promise((r) => setTimeout(r, 800));
    expect(hits).to.equal(before);
  });
});
