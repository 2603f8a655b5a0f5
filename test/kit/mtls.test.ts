// Mutual TLS on every port, the caller's identity from its certificate, access rights, rate limits,
// and certificate rotation without a restart — on a real mesh over loopback.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { service as healthService } from 'grpc-health-check';
import { execFileSync } from 'node:child_process';
import { sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { CheckPermitRequest, PermitServiceClient } from '../../gen/ruqsat/permit/v1/permit.ts';
import { ListEntriesRequest, ListRegistersRequest, PublishEntryRequest, RegistryServiceClient } from '../../gen/ruqsat/registry/v1/registry.ts';
import { CaseServiceClient, ListCasesRequest } from '../../gen/ruqsat/cases/v1/cases.ts';
import { TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';
import { parseCertificate, pemBlocks } from '../../core-wasm/src/index.ts';
import { identityPaths } from '../../services/kit/tls/identity.ts';
import { bind, call, callFails } from '../helpers/grpc.ts';
import { withCheckDigit } from '../helpers/iin.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';

const CHECK = CheckPermitRequest.fromPartial({ number: 'NSC-P-2026-999999', declarantIdentifier: withCheckDigit('90010130012'), hsCode: '8543709000', quantity: 1, movementType: 1 });
const RIGHTS = JSON.parse(readFileSync(new URL('../../config/access-rights.json', import.meta.url), 'utf8'));

function credentialsOf(dir: string, system: string): grpc.ChannelCredentials {
  const p = identityPaths(dir, system);
  return grpc.credentials.createSsl(readFileSync(p.ca), readFileSync(p.key), readFileSync(p.cert));
}

// A client made here, not by clientFor: each test picks the identity it presents.
const OPTIONS = { 'grpc.ssl_target_name_override': 'localhost', 'grpc.default_authority': 'localhost' };

function serialOf(pem: string): string {
  return parseCertificate(pemBlocks(pem)[0]!.der).serialHex;
}

/** The serial of the certificate a server presents on a new TLS connection. */
function serverSerial(port: number, dir: string): Promise<string> {
  const p = identityPaths(dir, 'ruqsat-operator');
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca: readFileSync(p.ca), cert: readFileSync(p.cert), key: readFileSync(p.key), ALPNProtocols: ['h2'] }, () => {
      const serial = socket.getPeerCertificate().serialNumber.toLowerCase().replace(/^0+/, '');
      socket.destroy();
      resolve(serial);
    });
    socket.on('error', reject);
  });
}

describe('mesh security: mutual TLS, caller identity, access rights, rate limits', function () {
  // Three services on a fresh embedded database, each over mutual TLS: slow on a loaded machine.
  this.timeout(180_000);
  let mesh: TestMesh;
  let dir: string;
  let firstSerial: string;
  const clients: grpc.Client[] = [];
  const client = <C extends grpc.Client>(Ctor: new (a: string, c: grpc.ChannelCredentials, o?: object) => C, service: 'trust' | 'permit' | 'registry', system: string): C => {
    const c = new Ctor(mesh.address(service), credentialsOf(dir, system), OPTIONS);
    clients.push(c);
    return c;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ruqsat-mtls-'));
    const rights = { ...RIGHTS, rateLimits: { ...RIGHTS.rateLimits, customs: { perSecond: 5 } } };
    writeFileSync(join(dir, 'rights.json'), JSON.stringify(rights));
    mesh = await startTestMesh(['trust', 'permit', 'registry'], {
      MESH_TLS: 'on',
      MESH_TLS_DIR: join(dir, 'mesh'),
      MESH_TLS_REFRESH_MS: '200',
      REGISTRY_HEALTH_PORT: '0',
      // Renewed while the tests run: the last test sees the servers present the new certificate.
      MESH_TLS_RENEW_AFTER_MS: '8000',
      ACCESS_RIGHTS_FILE: join(dir, 'rights.json'),
    });
    dir = join(dir, 'mesh');
    firstSerial = serialOf(readFileSync(identityPaths(dir, 'ruqsat-mesh').cert, 'utf8'));
    // The mesh's own followers load revocations over mutual TLS before every call is served.
    for (let i = 0; i < 100 && !mesh.mesh.security?.ready; i++) await new Promise((r) => setTimeout(r, 100));
    expect(mesh.mesh.security?.ready, 'authenticator ready').to.equal(true);
  });
  after(async () => {
    for (const c of clients) c.close();
    await mesh?.stop();
    rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  it('provisions identities in demo mode: service certificates from the mesh CA that OpenSSL verifies', () => {
    const p = identityPaths(dir, 'ruqsat-mesh');
    const out = execFileSync('openssl', ['verify', '-CAfile', p.ca, '-purpose', 'sslclient', p.cert]).toString();
    expect(out).to.contain(': OK');
    const text = execFileSync('openssl', ['x509', '-in', p.cert, '-noout', '-subject', '-ext', 'subjectAltName']).toString();
    expect(text).to.match(/OU ?= ?BIN100140000011/).and.to.match(/CN ?= ?ruqsat-mesh/).and.to.contain('IP Address:127.0.0.1');
  });

  it('refuses a plaintext client and a TLS client without a certificate', async () => {
    const plain = new RegistryServiceClient(mesh.address('registry'), grpc.credentials.createInsecure());
    const anonymous = new RegistryServiceClient(mesh.address('registry'), grpc.credentials.createSsl(readFileSync(identityPaths(dir, 'x').ca)), OPTIONS);
    clients.push(plain, anonymous);
    for (const c of [plain, anonymous]) {
      const err = await call(bind(c, 'listRegisters'), { pageSize: 10, pageToken: '' }, undefined, 3_000).then(() => undefined, (e: grpc.ServiceError) => e);
      expect(err, 'refused').to.not.equal(undefined);
      expect(grpc.status[err!.code]).to.be.oneOf(['UNAVAILABLE', 'UNAUTHENTICATED', 'DEADLINE_EXCEEDED']);
    }
  });

  it('answers kubelet-style plaintext health probes on the health port, and nothing else there', async () => {
    const healthPort = mesh.mesh.services.find((x) => x.name === 'registry')!.healthPort!;
    const Health = grpc.makeGenericClientConstructor(healthService, 'Health');
    const probe = new Health(`127.0.0.1:${healthPort}`, grpc.credentials.createInsecure()) as unknown as grpc.Client & { check: (r: object, cb: (e: grpc.ServiceError | null, r: { status: string }) => void) => void };
    const other = new RegistryServiceClient(`127.0.0.1:${healthPort}`, grpc.credentials.createInsecure());
    clients.push(probe, other);
    const status = await new Promise<string>((resolve, reject) => probe.check({ service: 'ruqsat.registry.v1.RegistryService' }, (e, r) => (e ? reject(e) : resolve(r.status))));
    expect(status).to.equal('SERVING');
    const err = await call(bind(other, 'listRegisters'), ListRegistersRequest.fromPartial({ pageSize: 10 })).then(() => undefined, (e: grpc.ServiceError) => e);
    expect(grpc.status[err!.code]).to.equal('UNIMPLEMENTED');
  });

  it('refuses a certificate from another CA at the handshake', async () => {
    const other = mkdtempSync(join(tmpdir(), 'ruqsat-other-ca-'));
    const o = (...args: string[]) => execFileSync('openssl', args, { cwd: other, stdio: 'pipe' });
    o('req', '-x509', '-newkey', 'ed25519', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=Other CA', '-days', '2');
    o('req', '-newkey', 'ed25519', '-nodes', '-keyout', 'c.key', '-out', 'c.csr', '-subj', '/O=X/OU=BIN100140000011/CN=ruqsat-mesh');
    o('x509', '-req', '-in', 'c.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-out', 'c.pem', '-days', '1');
    const creds = grpc.credentials.createSsl(readFileSync(identityPaths(dir, 'x').ca), readFileSync(join(other, 'c.key')), readFileSync(join(other, 'c.pem')));
    const c = new RegistryServiceClient(mesh.address('registry'), creds, OPTIONS);
    clients.push(c);
    const err = await call(bind(c, 'listRegisters'), { pageSize: 10, pageToken: '' }, undefined, 3_000).then(() => undefined, (e: grpc.ServiceError) => e);
    rmSync(other, { recursive: true, force: true });
    expect(err, 'refused').to.not.equal(undefined);
    expect(grpc.status[err!.code]).to.be.oneOf(['UNAVAILABLE', 'UNAUTHENTICATED']);
  });

  it('lets customs check permits but not call the officials case API or publish to a register', async () => {
    const customs = client(PermitServiceClient, 'permit', 'customs-post-1');
    const { response } = await call(bind(customs, 'checkPermit'), CHECK);
    expect(response).to.have.property('valid', false);
    const cases = client(CaseServiceClient, 'permit', 'customs-post-1');
    await callFails(bind(cases, 'listCases'), ListCasesRequest.fromPartial({ pageSize: 10 }), grpc.status.PERMISSION_DENIED);
    const registry = client(RegistryServiceClient, 'registry', 'customs-post-1');
    const list = ListEntriesRequest.fromPartial({ parent: 'registers/nsc-permits', pageSize: 100 });
    const before = await call(bind(registry, 'listEntries'), list);
    const publish = PublishEntryRequest.fromPartial({ register: 'registers/nsc-permits', sourceService: 'permit', sourceResource: 'permits/forged', sequence: 1, number: 'NSC-P-2026-000666', title: 'forged' });
    const { status } = await callFails(bind(registry, 'publishEntry'), publish, grpc.status.PERMISSION_DENIED);
    expect(status.errorInfo?.reason).to.equal('ACCESS_DENIED');
    expect(status.errorInfo?.metadata.caller).to.equal('100240000022/customs-post-1');
    const after = await call(bind(registry, 'listEntries'), list);
    expect(after.response).to.deep.equal(before.response);
  });

  it('lets a service running alone publish only to the registers it is the source of', async () => {
    const permitAlone = client(RegistryServiceClient, 'registry', 'ruqsat-permit');
    const forged = PublishEntryRequest.fromPartial({ register: 'registers/nsc-licenses', sourceService: 'licensing', sourceResource: 'licenses/forged', sequence: 1, number: 'NSC-LIC-2026-000666', title: 'forged',
      holder: { type: 2, identifier: '010440001231', displayName: 'X' }, status: 1, effectiveTime: new Date() });
    const { status } = await callFails(bind(permitAlone, 'publishEntry'), forged, grpc.status.PERMISSION_DENIED);
    expect(status.errorInfo?.reason).to.equal('NOT_THE_SOURCE_SERVICE');
  });

  it('denies the portal the customs check, and counts the refusal', async () => {
    const portal = client(PermitServiceClient, 'permit', 'egov-portal');
    await callFails(bind(portal, 'checkPermit'), CHECK, grpc.status.PERMISSION_DENIED);
    const metrics = await mesh.mesh.metrics ? await (await fetch(`http://127.0.0.1:${mesh.mesh.metrics!.port}/metrics`)).text() : '';
    expect(metrics).to.match(/ruqsat_access_refused_total\{[^}]*caller="100340000033\/egov-portal"[^}]*reason="ACCESS_DENIED"[^}]*\} [1-9]/);
  });

  it('limits a caller to its rate with RESOURCE_EXHAUSTED', async () => {
    const customs = client(PermitServiceClient, 'permit', 'customs-post-1');
    // Start at the beginning of a second so the burst falls in one or two windows.
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000)));
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => call(bind(customs, 'checkPermit'), CHECK).then(() => 'OK', (e: grpc.ServiceError) => grpc.status[e.code])),
    );
    const windows = Math.floor((Date.now() - Math.floor(started / 1000) * 1000) / 1000) + 1;
    const ok = results.filter((r) => r === 'OK').length;
    expect(results.filter((r) => r === 'RESOURCE_EXHAUSTED').length).to.be.greaterThan(0);
    expect(ok).to.be.at.most(5 * windows).and.at.least(1);
    expect(results.every((r) => r === 'OK' || r === 'RESOURCE_EXHAUSTED'), results.join(',')).to.equal(true);
  });

  it('refuses a revoked client certificate with UNAUTHENTICATED, once the revocation is known', async () => {
    const p = identityPaths(dir, 'nsc-office');
    const certPem = readFileSync(p.cert, 'utf8');
    const der = Buffer.from(pemBlocks(certPem)[0]!.der);
    const office = client(RegistryServiceClient, 'registry', 'nsc-office');
    await call(bind(office, 'listRegisters'), { pageSize: 10, pageToken: '' } as never);
    // The holder revokes its own certificate with the certified key (flow C for a system).
    const name = `authorities/mesh/certificates/${serialOf(certPem)}`;
    const payload = Buffer.from(JSON.stringify({ act: 'revoke_certificate', certificate: name, reason: 1 }));
    const signature = sign(null, payload, readFileSync(p.key));
    const trust = client(TrustServiceClient, 'trust', 'ruqsat-operator');
    await call(bind(trust, 'revokeCertificate'), { name, reason: 1, request: { payload, signature, certificateChain: [der] } } as never);
    let last: grpc.ServiceError | undefined;
    for (let i = 0; i < 30; i++) {
      last = await call(bind(office, 'listRegisters'), { pageSize: 10, pageToken: '' } as never).then(() => undefined, (e: grpc.ServiceError) => e);
      if (last) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(last, 'refused within 3 s').to.not.equal(undefined);
    expect(grpc.status[last!.code]).to.equal('UNAUTHENTICATED');
    expect(last!.details).to.match(/revoked/i);
  });

  it('renews its own certificate and serves new connections with it, without a restart', async () => {
    const port = Number(mesh.address('registry').split(':')[1]);
    const operator = client(RegistryServiceClient, 'registry', 'ruqsat-operator');
    await call(bind(operator, 'listRegisters'), { pageSize: 10, pageToken: '' } as never);
    let now = await serverSerial(port, dir);
    for (let i = 0; i < 100 && now === firstSerial; i++) {
      await new Promise((r) => setTimeout(r, 200));
      now = await serverSerial(port, dir);
    }
    expect(now, 'a renewed certificate').to.not.equal(firstSerial);
    expect(now).to.equal(serialOf(readFileSync(identityPaths(dir, 'ruqsat-mesh').cert, 'utf8')));
    // The connection made before the renewal goes on; a new client connects with the new certificate.
    await call(bind(operator, 'listRegisters'), { pageSize: 10, pageToken: '' } as never);
    await call(bind(client(RegistryServiceClient, 'registry', 'ruqsat-operator'), 'listRegisters'), { pageSize: 10, pageToken: '' } as never);
  });

  it('replaces identities another mesh CA issued (a new database beside an old directory)', async () => {
    const bundle = readFileSync(identityPaths(dir, 'x').ca, 'utf8');
    await mesh.stop();
    // A fresh embedded database holds a new key ceremony: a new mesh CA.
    mesh = await startTestMesh(['trust'], { MESH_TLS: 'on', MESH_TLS_DIR: dir, ACCESS_RIGHTS_FILE: join(dir, '..', 'rights.json') });
    expect(readFileSync(identityPaths(dir, 'x').ca, 'utf8')).to.not.equal(bundle);
    const operator = client(TrustServiceClient, 'trust', 'ruqsat-operator');
    const { response } = await call(bind(operator, 'listTrustAnchors'), {} as never);
    expect(response.anchors).to.have.length.greaterThan(0);
  });
});
