// The ruqsat command as a user runs it: start, health, reflection through buf curl, Ctrl-C.
import { expect } from 'chai';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testEnv } from './helpers/mesh.ts';

const exec = promisify(execFile);
const BIN = 'bin/ruqsat.js';
const BUF = 'node_modules/.bin/buf';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function ruqsat(args: string[], env: Record<string, string | undefined> = testEnv()): Promise<Run> {
  try {
    const { stdout, stderr } = await exec('node', [BIN, ...args], { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Starts the mesh as `npm start` does and waits until it prints its addresses. */
async function startMesh(env: Record<string, string | undefined>): Promise<{ child: ChildProcess; addresses: Record<string, string>; output: () => string }> {
  const child = spawn('node', [BIN, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mesh did not start:\n${out}`)), 150_000);
    const check = () => {
      if (out.includes('Press Ctrl-C to stop.')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`mesh exited with ${code}:\n${out}`)));
  });
  const addresses: Record<string, string> = {};
  for (const m of out.matchAll(/^ {2}(\w+)\s+grpc:\/\/(\S+)$/gm)) addresses[m[1]!] = m[2]!;
  return { child, addresses, output: () => out };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('ruqsat command line', function () {
  this.timeout(300_000);

  it('prints help and exits 0; an unknown command exits 1', async () => {
    const help = await ruqsat(['--help']);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.include('start').and.include('health').and.include('verify');
    const unknown = await ruqsat(['frobnicate']);
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr).to.include('unknown command');
    const startHelp = await ruqsat(['start', '--help']);
    expect(startHelp.code).to.equal(0);
    expect(startHelp.stdout).to.include('usage: ruqsat start');
  });

  it('refuses a bad flag, and a bad environment variable by name, with exit 1', async () => {
    const badService = await ruqsat(['start', '--service', 'customs']);
    expect(badService.code).to.equal(1);
    expect(badService.stderr).to.include('unknown service "customs"');
    const badPort = await ruqsat(['start'], testEnv({ TRUST_PORT: 'fifty' }));
    expect(badPort.code).to.equal(1);
    expect(badPort.stderr).to.include('TRUST_PORT');
    const badUrl = await ruqsat(['start'], testEnv({ DATABASE_URL: 'mysql://root@127.0.0.1/x' }));
    expect(badUrl.code).to.equal(1);
    expect(badUrl.stderr).to.include('DATABASE_URL');
  });

  it('exits 1 with a clear message when the database is down at start', async () => {
    const run = await ruqsat(['start'], testEnv({ DATABASE_URL: 'postgres://postgres:secret@127.0.0.1:1/ruqsat' }));
    expect(run.code).to.equal(1);
    expect(run.stderr).to.match(/database unreachable at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/ruqsat/);
    expect(run.stderr).to.not.include('secret');
  });

  it('starts all five, answers health and reflection (buf curl, no schema), survives a restart, stops on SIGINT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ruqsat-cli-'));
    const env = testEnv({ PGLITE_DIR: join(dir, 'pglite'), SHUTDOWN_DRAIN_MS: '100', LOG_LEVEL: 'info' });
    try {
      for (const round of [1, 2]) {
        const mesh = await startMesh(env);
        expect(Object.keys(mesh.addresses), mesh.output()).to.have.members(['trust', 'licensing', 'permit', 'deposit', 'registry']);

        const targets = Object.values(mesh.addresses).flatMap((a) => ['--target', a]);
        const health = await ruqsat(['health', ...targets], env);
        expect(health.code, health.stdout + health.stderr).to.equal(0);
        expect(health.stdout.match(/SERVING/g)).to.have.length(5);

        if (round === 1) {
          const calls: [string, string, string][] = [
            ['trust', 'ruqsat.trust.v1.TrustService/ListAuthorities', '{}'],
            ['licensing', 'ruqsat.licensing.v1.LicensingService/ListLicenses', '{}'],
            ['permit', 'ruqsat.permit.v1.PermitService/ListPermits', '{}'],
            ['deposit', 'ruqsat.deposit.v1.DepositService/ListDeposits', '{}'],
            ['registry', 'ruqsat.registry.v1.RegistryService/GetRegister', '{"name":"registers/eir-is"}'],
          ];
          for (const [name, path, body] of calls) {
            const { stdout } = await exec(BUF, ['curl', '--protocol', 'grpc', '--http2-prior-knowledge', `http://${mesh.addresses[name]}/${path}`, '-d', body]);
            expect(JSON.parse(stdout), `${name}: ${stdout}`).to.be.an('object');
            const h = await exec(BUF, ['curl', '--protocol', 'grpc', '--http2-prior-knowledge', `http://${mesh.addresses[name]}/grpc.health.v1.Health/Check`]);
            expect(JSON.parse(h.stdout)).to.deep.equal({ status: 'SERVING' });
          }
          const { stdout } = await exec(BUF, ['curl', '--protocol', 'grpc', '--http2-prior-knowledge', `http://${mesh.addresses.registry}/ruqsat.registry.v1.RegistryService/GetRegister`, '-d', '{"name":"registers/eir-is"}']);
          expect(JSON.parse(stdout).titleKk).to.equal('Электрондық ақпараттық ресурстар мен ақпараттық жүйелердің мемлекеттік тіркелімі');
          // Every call is logged as JSON with its request id and caller.
          const line = mesh.output().split('\n').find((l) => l.includes('"method":"/ruqsat.registry.v1.RegistryService/GetRegister"'));
          expect(JSON.parse(line!)).to.include({ msg: 'call', code: 'OK', service: 'registry' }).and.to.have.keys('requestId', 'caller', 'ms', 'level', 'time', 'pid', 'msg', 'code', 'service', 'method');
        }

        const exited = exitOf(mesh.child);
        mesh.child.kill('SIGINT');
        expect(await exited, mesh.output()).to.equal(0);
        expect(mesh.output()).to.include('shutting down');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('start with mutual TLS (as npm start): issues the demo identities; health and buf curl present the operator\u2019s; plaintext is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ruqsat-mtls-cli-'));
    const mesh = join(dir, 'mesh');
    const env = testEnv({ PGLITE_DIR: join(dir, 'pglite'), MESH_TLS: 'on', MESH_TLS_DIR: mesh, SHUTDOWN_DRAIN_MS: '100' });
    try {
      const running = await startMesh(env);
      try {
        const targets = Object.values(running.addresses).flatMap((a) => ['--target', a]);
        const health = await ruqsat(['health', ...targets], env);
        expect(health.code, health.stdout + health.stderr).to.equal(0);
        expect(health.stdout.match(/SERVING/g)).to.have.length(5);
        const tls = ['--cacert', join(mesh, 'ca.pem'), '--cert', join(mesh, 'ruqsat-operator.crt.pem'), '--key', join(mesh, 'ruqsat-operator.key.pem')];
        const { stdout } = await exec(BUF, ['curl', '--protocol', 'grpc', ...tls, `https://${running.addresses.registry}/ruqsat.registry.v1.RegistryService/GetRegister`, '-d', '{"name":"registers/eir-is"}']);
        expect(JSON.parse(stdout).name).to.equal('registers/eir-is');
        const plain = await exec(BUF, ['curl', '--protocol', 'grpc', '--http2-prior-knowledge', `http://${running.addresses.registry}/grpc.health.v1.Health/Check`]).then(() => 'answered', () => 'refused');
        expect(plain).to.equal('refused');
      } finally {
        const exited = exitOf(running.child);
        running.child.kill('SIGINT');
        expect(await exited, running.output()).to.equal(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ca: holds the key ceremony, issues an RA operator\u2019s certificate on a letter, suspends and dismisses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ruqsat-ca-'));
    const env = testEnv({ PGLITE_DIR: join(dir, 'pglite'), RUQSAT_CA_PASSPHRASE: '', RUQSAT_CA_PASSPHRASE_FILE: join(dir, 'passphrase') });
    try {
      const before = await ruqsat(['ca', 'operator', 'suspend', 'x'], env);
      expect(before.code).to.equal(2);
      expect(before.stderr).to.include('ruqsat ca init');
      const init = await ruqsat(['ca', 'init'], env);
      expect(init.code, init.stderr).to.equal(0);
      expect(init.stdout).to.match(/^root .*Root CA/m).and.match(/^nca .*NCA/m).and.match(/^mesh /m);
      expect(statSync(join(dir, 'passphrase')).mode & 0o777).to.equal(0o600);

      await exec('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', join(dir, 'op.key')]);
      await exec('openssl', ['req', '-new', '-key', join(dir, 'op.key'), '-subj', '/CN=op', '-out', join(dir, 'op.csr')]);
      const missing = await ruqsat(['ca', 'operator', 'issue', '--iin', '900315400215'], env);
      expect(missing.code).to.equal(1);
      expect(missing.stderr).to.include('--surname');
      const issued = await ruqsat(['ca', 'operator', 'issue', '--iin', '900315400215', '--surname', 'Omarova', '--given-name', 'Dana', '--office-bin', '010440001231', '--office-name', 'PSC Astana', '--letter', 'No. 14-2/118', '--csr', join(dir, 'op.csr')], env);
      expect(issued.code, issued.stderr).to.equal(0);
      writeFileSync(join(dir, 'op.pem'), issued.stdout);
      const { stdout: subject } = await exec('openssl', ['x509', '-in', join(dir, 'op.pem'), '-noout', '-subject']);
      expect(subject).to.include('IIN900315400215').and.include('BIN010440001231');
      const id = /operator (\S+) /.exec(issued.stderr)?.[1];
      expect((await ruqsat(['ca', 'operator', 'suspend', id!], env)).stdout).to.include('suspended');
      const dismissed = await ruqsat(['ca', 'operator', 'dismiss', id!, '--dismissal-date', '2020-01-01'], env);
      expect(dismissed.code).to.equal(0);
      expect(dismissed.stderr).to.include('less than 2 days');
      expect(dismissed.stdout).to.include('revoked');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
