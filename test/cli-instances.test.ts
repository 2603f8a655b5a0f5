// `ruqsat start --instances N`: N instances of a service, each answering, reached together through round_robin.
import { expect } from 'chai';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { RegistryServiceClient } from '../gen/ruqsat/registry/v1/registry.ts';
import { clientFor, closeClients } from '../services/kit/grpc/client.ts';
import { bind, call } from './helpers/grpc.ts';
import { testEnv } from './helpers/mesh.ts';

const BIN = 'bin/ruqsat.js';

describe('ruqsat start --instances', function () {
  this.timeout(240_000);
  after(() => closeClients());

  it('refuses a count that is not 1–64', async () => {
    const run = await promisify(execFile)('node', [BIN, 'start', '--service', 'registry', '--instances', '0'], { env: testEnv(), timeout: 60_000 }).catch((e: { code: number; stderr: string }) => e);
    expect(run).to.include({ code: 1 });
    expect((run as { stderr: string }).stderr).to.include('--instances');
  });

  it('runs two registry instances (processes on PostgreSQL, one process embedded) that both answer', async () => {
    const env = testEnv({ REGISTRY_HTTP_PORT: '-1' });
    const child = spawn('node', [BIN, 'start', '--service', 'registry', '--instances', '2'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const until = Date.now() + 200_000;
      while ([...out.matchAll(/registry\s+grpc:\/\/(\S+)/g)].length < 2) {
        if (Date.now() > until || child.exitCode !== null) throw new Error(`two instances did not start:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const addresses = [...out.matchAll(/registry\s+grpc:\/\/(\S+)/g)].map((m) => m[1]!);
      expect(new Set(addresses).size).to.equal(2);
      for (const address of [...addresses, addresses.join(',')]) {
        const { response } = await call(bind(clientFor(RegistryServiceClient, address), 'listRegisters'), { pageSize: 1, pageToken: '' });
        expect(response.registers).to.have.length(1);
      }
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).to.equal(0);
    if (env.DATABASE_URL) {
      const db = new pg.Client({ connectionString: env.DATABASE_URL });
      await db.connect();
      await db.query(`drop schema if exists "${env.DB_SCHEMA_PREFIX}registry" cascade`);
      await db.end();
    }
  });
});
