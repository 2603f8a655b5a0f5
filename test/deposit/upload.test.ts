// UploadObject, GetUploadStatus and VerifyDeposit over real gRPC on loopback, with a real blob store on disk.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DepositObject_State, DepositServiceClient, ObjectType } from '../../gen/ruqsat/deposit/v1/deposit.ts';
import { verifyChain } from '../../services/kit/audit.ts';
import { ServiceDb } from '../../services/kit/db.ts';
import { decodeStatusDetails } from '../../services/kit/errors.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { merkleRoot } from '../../services/deposit/domain/merkle.ts';
import { bind, call, callFails } from '../helpers/grpc.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';
import { chunksOf, manifestOf, openUpload, project, sha, upload, verifyFiles, verifyMessages } from './helpers.ts';

const LIMIT = 1024 * 1024;

describe('deposit ingest', function () {
  this.timeout(60_000);
  let dir: string;
  let t: TestMesh;
  let client: DepositServiceClient;
  let env: Record<string, string>;

  const start = async () => {
    t = await startTestMesh(['deposit'], env);
    client = clientFor(DepositServiceClient, t.address('deposit'));
  };
  const blobsIn = () => {
    const root = join(dir, 'blobs', 'sha256');
    return existsSync(root) ? readdirSync(root).flatMap((d) => readdirSync(join(root, d))) : [];
  };
  const stagedIn = () => {
    const root = join(dir, 'blobs', 'staging');
    return existsSync(root) ? readdirSync(root) : [];
  };
  const status = async (uploadId: string) => (await call(bind(client, 'getUploadStatus'), { uploadId })).response;
  const failsWith = async (messages: Parameters<typeof upload>[1], code: grpc.status) => {
    try {
      await upload(client, messages);
    } catch (err) {
      const e = err as grpc.ServiceError;
      expect(grpc.status[e.code], e.details).to.equal(grpc.status[code]);
      return { error: e, status: decodeStatusDetails(e.metadata)! };
    }
    throw new Error(`expected ${grpc.status[code]}, but the upload succeeded`);
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ruqsat-deposit-'));
    // Acknowledge every 64 KiB chunk, so a stream dropped mid-way has acknowledged some and not others.
    env = { DEPOSIT_BLOB_DIR: join(dir, 'blobs'), DEPOSIT_MAX_FILE_BYTES: String(LIMIT), DEPOSIT_ACK_BYTES: String(64 * 1024), PGLITE_DIR: join(dir, 'pglite') };
    await start();
    env.DB_SCHEMA_PREFIX = t.config.schemaPrefix;
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores a multi-file project: file hashes, Merkle root, blobs under their hashes, check result, audit entry', async () => {
    const files = project(1);
    const { object } = await upload(client, [manifestOf('proj-1', files), ...chunksOf(files)]);
    expect(object!.name).to.equal('objects/proj-1');
    expect(object!.state).to.equal(DepositObject_State.STATE_STORED);
    expect(object!.files.map((f) => f.path)).to.deep.equal(['assets/blob.bin', 'docs/README.md', 'empty', 'src/lib/crypto.c', 'src/main.c']);
    for (const f of files) {
      const got = object!.files.find((x) => x.path === f.path)!;
      expect(got.sha256.toString('hex'), f.path).to.equal(sha(f.data).toString('hex'));
      expect(got.receivedBytes).to.equal(f.data.length);
      const blob = join(dir, 'blobs', 'sha256', sha(f.data).toString('hex').slice(0, 2), sha(f.data).toString('hex'));
      expect(readFileSync(blob).equals(f.data), `blob of ${f.path}`).to.equal(true);
    }
    const expected = merkleRoot(files.map((f) => ({ path: f.path, size: f.data.length, sha256: sha(f.data) })));
    expect(object!.merkleRoot.toString('hex')).to.equal(expected.toString('hex'));
    expect(object!.fileCount).to.equal(5);
    expect(object!.totalSizeBytes).to.equal(files.reduce((n, f) => n + f.data.length, 0));
    expect(object!.check).to.deep.include({ complete: true, conformant: true, findings: [], missingPaths: [] });
    expect(stagedIn()).to.deep.equal([]);

    const db = new ServiceDb(t.mesh.database.knex, t.config.schemaPrefix + 'deposit');
    expect(await verifyChain(db)).to.include({ ok: true });
    const entry = await db.table<{ action: string; resource: string; payload: unknown }>('audit_log').where({ resource: 'objects/proj-1' }).first();
    expect(entry?.action).to.equal('store_deposit_object');
  });

  it('stores identical content once, and a re-sent stream of a stored upload returns the same object', async () => {
    const before = blobsIn().length;
    const files = project(1);
    const { object } = await upload(client, [manifestOf('proj-1-copy', files), ...chunksOf(files)]);
    expect(blobsIn().length).to.equal(before);
    const again = await upload(client, [manifestOf('proj-1', files), ...chunksOf(files)]);
    expect(again.object!.merkleRoot.toString('hex')).to.equal(object!.merkleRoot.toString('hex'));
  });

  it('computes completeness and conformity: finish with a file missing, and a type the files do not suit', async () => {
    const files = project(2);
    const sent = files.filter((f) => f.path !== 'docs/README.md');
    const { object } = await upload(client, [manifestOf('proj-partial', files, ObjectType.OBJECT_TYPE_DOCUMENTATION), ...chunksOf(sent), { finish: {} }]);
    expect(object!.state).to.equal(DepositObject_State.STATE_STORED);
    expect(object!.check!.complete).to.equal(false);
    expect(object!.check!.conformant).to.equal(false);
    expect(object!.check!.missingPaths).to.deep.equal(['docs/README.md']);
    expect(object!.check!.findings.join('\n')).to.match(/docs\/README\.md: declared, did not arrive/).and.match(/no document among the stored files/);
    expect(object!.fileCount).to.equal(4);
  });

  it('resumes after a dropped connection from the last acknowledged chunk', async () => {
    const files = project(3);
    const { call: stream, done } = openUpload(client);
    stream.write(manifestOf('proj-drop', files));
    const chunks = chunksOf(files);
    for (const c of chunks.slice(0, 4)) stream.write(c);
    let s = await status('proj-drop').catch(() => undefined);
    for (let i = 0; i < 100 && !(s && s.files.reduce((n, f) => n + f.receivedBytes, 0) >= 3 * 64 * 1024); i++) {
      await new Promise((r) => setTimeout(r, 20));
      s = await status('proj-drop').catch(() => undefined);
    }
    // Acknowledged every DEPOSIT_ACK_BYTES while the stream is still open, not only when it ends.
    expect(s?.files.reduce((n, f) => n + f.receivedBytes, 0) ?? 0, 'acknowledged before the drop').to.be.at.least(3 * 64 * 1024);
    stream.cancel();
    await done.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 100));
    s = await status('proj-drop');
    expect(s.state).to.equal(DepositObject_State.STATE_UPLOADING);
    const from = Object.fromEntries(s.files.map((f) => [f.path, f.receivedBytes]));
    expect(Object.values(from).reduce((a, b) => a + b, 0)).to.be.at.least(3 * 64 * 1024);
    const { object } = await upload(client, [manifestOf('proj-drop', files), ...chunksOf(files, 50_000, from)]);
    expect(object!.state).to.equal(DepositObject_State.STATE_STORED);
    for (const f of files) expect(object!.files.find((x) => x.path === f.path)!.sha256.toString('hex')).to.equal(sha(f.data).toString('hex'));
  });

  it('a resumed stream that re-sends from the start skips what is acknowledged; a gap is OUT_OF_RANGE', async () => {
    const files = project(4);
    await failsWith([manifestOf('proj-gap', files), ...chunksOf(files).slice(0, 2), { chunk: { path: 'src/lib/crypto.c', offset: 200_000, data: Buffer.from('x'), sha256: Buffer.alloc(0) } }], grpc.status.OUT_OF_RANGE);
    expect((await status('proj-gap')).files.find((f) => f.path === 'src/lib/crypto.c')!.receivedBytes).to.equal(65_536);
    const { object } = await upload(client, [manifestOf('proj-gap', files), ...chunksOf(files)]);
    expect(object!.state).to.equal(DepositObject_State.STATE_STORED);
  });

  it('a restart mid-upload loses nothing acknowledged and leaves no corrupt blob', async () => {
    const files = project(5);
    await upload(client, [manifestOf('proj-restart', files), ...chunksOf(files).slice(0, 5)]);
    const before = await status('proj-restart');
    expect(before.files.find((f) => f.path === 'src/lib/crypto.c')!.receivedBytes).to.equal(4 * 65_536);
    await t.stop({ keepData: true });
    // As a crash would leave it: bytes written to the staged file after the last acknowledgement.
    appendFileSync(join(dir, 'blobs', 'staging', 'proj-restart', '3'), Buffer.alloc(10_000, 0xee));
    await start();
    const after = await status('proj-restart');
    expect(after.files.map((f) => f.receivedBytes)).to.deep.equal(before.files.map((f) => f.receivedBytes));
    // Every blob on disk is exactly the content its name says.
    for (const name of blobsIn()) expect(sha(readFileSync(join(dir, 'blobs', 'sha256', name.slice(0, 2), name))).toString('hex')).to.equal(name);
    const from = Object.fromEntries(after.files.map((f) => [f.path, f.receivedBytes]));
    const { object } = await upload(client, [manifestOf('proj-restart', files), ...chunksOf(files, 64 * 1024, from)]);
    expect(object!.state).to.equal(DepositObject_State.STATE_STORED);
    const expected = merkleRoot(files.map((f) => ({ path: f.path, size: f.data.length, sha256: sha(f.data) })));
    expect(object!.merkleRoot.toString('hex')).to.equal(expected.toString('hex'));
  });

  it('hashes a file as it arrives: cut mid-block, across a restart, it has the right SHA-256 (the state is kept with the acknowledgement)', async () => {
    const big = Buffer.from(Array.from({ length: 700_001 }, (_, i) => (i * 131 + (i >> 9)) & 0xff));
    const files = [{ path: 'big.bin', data: big }, { path: 'small.txt', data: Buffer.from('small\n') }];
    // 50,001-byte chunks leave a partial block pending at every acknowledgement.
    await upload(client, [manifestOf('proj-hash-resume', files), ...chunksOf(files, 50_001).slice(0, 5)]);
    const db = () => new ServiceDb(t.mesh.database.knex, t.config.schemaPrefix + 'deposit');
    const row = await db().table<{ object_id: string; path: string; received_bytes: string; sha256_state: Uint8Array | null; sha256: Uint8Array | null }>('object_files').where({ object_id: 'proj-hash-resume', path: 'big.bin' }).first();
    const received = Number(row!.received_bytes);
    expect(received).to.equal(250_005);
    expect(row!.sha256).to.equal(null);
    const state = Buffer.from(row!.sha256_state!);
    expect(state.length).to.equal(40 + (received % 64));
    expect(Number(state.readBigUInt64BE(32))).to.equal(received);
    await t.stop({ keepData: true });
    await start();
    const from = Object.fromEntries((await status('proj-hash-resume')).files.map((f) => [f.path, f.receivedBytes]));
    expect(from['big.bin']).to.equal(received);
    const { object } = await upload(client, [manifestOf('proj-hash-resume', files), ...chunksOf(files, 33_333, from)]);
    expect(object!.state).to.equal(DepositObject_State.STATE_STORED);
    for (const f of files) expect(object!.files.find((x) => x.path === f.path)!.sha256.toString('hex'), f.path).to.equal(sha(f.data).toString('hex'));
    expect(blobsIn()).to.include(sha(big).toString('hex'));
    const done = await db().table<{ object_id: string; sha256_state: Uint8Array | null }>('object_files').where({ object_id: 'proj-hash-resume' });
    expect(done.map((r: { sha256_state: Uint8Array | null }) => r.sha256_state)).to.deep.equal([null, null]);
  });

  it('a resumed file whose row has no hash state re-hashes its staged prefix once', async () => {
    const files = project(6);
    await upload(client, [manifestOf('proj-no-state', files), ...chunksOf(files, 40_000).slice(0, 6)]);
    const db = new ServiceDb(t.mesh.database.knex, t.config.schemaPrefix + 'deposit');
    const cleared = await db.table('object_files').where({ object_id: 'proj-no-state' }).whereNotNull('sha256_state').update({ sha256_state: null });
    expect(Number(cleared)).to.be.greaterThan(0);
    const from = Object.fromEntries((await status('proj-no-state')).files.map((f) => [f.path, f.receivedBytes]));
    const { object } = await upload(client, [manifestOf('proj-no-state', files), ...chunksOf(files, 64 * 1024, from)]);
    expect(object!.state).to.equal(DepositObject_State.STATE_STORED);
    for (const f of files) expect(object!.files.find((x) => x.path === f.path)!.sha256.toString('hex'), f.path).to.equal(sha(f.data).toString('hex'));
  });

  describe('VerifyDeposit', () => {
    const digests = (files: ReturnType<typeof project>) => files.map((f) => ({ path: f.path, sha256: sha(f.data), sizeBytes: f.data.length }));

    it('matches the deposited files, by object name', async () => {
      const { response } = await call(bind(client, 'verifyDeposit'), { deposit: 'objects/proj-1', files: digests(project(1)) });
      expect(response).to.deep.include({ matches: true, object: 'objects/proj-1', differingPaths: [], missingPaths: [], extraPaths: [] });
    });

    it('names a modified file, a missing one and an extra one', async () => {
      const files = project(1);
      files[1] = { path: 'src/lib/crypto.c', data: Buffer.concat([files[1]!.data.subarray(0, 1000), Buffer.from('!'), files[1]!.data.subarray(1001)]) };
      const list = digests(files).filter((f) => f.path !== 'empty');
      list.push({ path: 'extra.txt', sha256: sha(Buffer.from('x')), sizeBytes: 1 });
      const { response } = await call(bind(client, 'verifyDeposit'), { deposit: 'objects/proj-1', files: list });
      expect(response).to.deep.include({ matches: false, differingPaths: ['src/lib/crypto.c'], missingPaths: ['empty'], extraPaths: ['extra.txt'] });
    });

    it('accepts a deposit number of the registry', async () => {
      const db = new ServiceDb(t.mesh.database.knex, t.config.schemaPrefix + 'deposit');
      const { object } = await upload(client, [manifestOf('proj-1', project(1)), ...chunksOf(project(1))]);
      await db.table('deposits').insert({
        id: 'd1', deposit_number: 'KZ-DEP-2026-000001', object_type: 'program_code', title: 'Test project', version: '1.0',
        depositor_type: 'legal_entity', depositor_identifier: '010440001231', depositor_name: 'Test LLP', merkle_root: object!.merkleRoot,
        file_count: 5, total_size_bytes: object!.totalSizeBytes, registered_at: new Date(), object_id: 'proj-1',
      });
      const { response } = await call(bind(client, 'verifyDeposit'), { deposit: 'KZ-DEP-2026-000001', files: digests(project(1)) });
      expect(response.matches).to.equal(true);
      await callFails(bind(client, 'verifyDeposit'), { deposit: 'KZ-DEP-0000', files: [] }, grpc.status.NOT_FOUND);
    });

    it('refuses a malformed deposit reference or upload id with a field violation, not an internal error', async () => {
      for (const deposit of ['DEP-2026\u0000-000001', 'x'.repeat(65), 'DEP 2026 000001']) {
        const { status: s } = await callFails(bind(client, 'verifyDeposit'), { deposit, files: [] }, grpc.status.INVALID_ARGUMENT);
        expect(s.fieldViolations.map((v) => v.field)).to.deep.equal(['deposit']);
      }
      for (const uploadId of ['proj\u00001', 'Proj-1', 'x'.repeat(64)]) {
        const { status: s } = await callFails(bind(client, 'getUploadStatus'), { uploadId }, grpc.status.INVALID_ARGUMENT);
        expect(s.fieldViolations.map((v) => v.field)).to.deep.equal(['upload_id']);
      }
    });

    it('refuses bad file lists with field violations', async () => {
      const { status: s } = await callFails(bind(client, 'verifyDeposit'), { deposit: 'objects/proj-1', files: [{ path: '../x', sha256: Buffer.alloc(3), sizeBytes: undefined }] }, grpc.status.INVALID_ARGUMENT);
      expect(s.fieldViolations.map((v) => v.field)).to.deep.equal(['files[0].path', 'files[0].sha256']);
    });
  });

  describe('VerifyDepositFiles (the files themselves, hashed by the service)', () => {
    const fails = async (messages: Parameters<typeof verifyFiles>[1], code: grpc.status) => {
      try {
        await verifyFiles(client, messages);
      } catch (err) {
        const e = err as grpc.ServiceError;
        expect(grpc.status[e.code], e.details).to.equal(grpc.status[code]);
        return decodeStatusDetails(e.metadata)!;
      }
      throw new Error(`expected ${grpc.status[code]}, but the check succeeded`);
    };

    it('matches the deposited files streamed in chunks of any size, by object name and by deposit number', async () => {
      for (const size of [1000, 65_536, 1 << 20]) {
        const response = await verifyFiles(client, verifyMessages('objects/proj-1', project(1), size));
        expect(response, `chunks of ${size} bytes`).to.deep.include({ matches: true, object: 'objects/proj-1', differingPaths: [], missingPaths: [], extraPaths: [] });
      }
      expect((await verifyFiles(client, verifyMessages('KZ-DEP-2026-000001', project(1)))).matches).to.equal(true);
    });

    it('names a modified file, a missing one and an extra one', async () => {
      const files = project(1);
      const crypto = files[1]!.data;
      files[1] = { path: 'src/lib/crypto.c', data: Buffer.concat([crypto.subarray(0, 1000), Buffer.from('!'), crypto.subarray(1001)]) };
      files.push({ path: 'extra.txt', data: Buffer.from('x') });
      // A file cut short differs too: the size is part of what is compared.
      files[3] = { path: 'assets/blob.bin', data: files[3]!.data.subarray(0, 70_000) };
      const response = await verifyFiles(client, verifyMessages('objects/proj-1', files.filter((f) => f.path !== 'empty')));
      expect(response).to.deep.include({ matches: false, differingPaths: ['assets/blob.bin', 'src/lib/crypto.c'], missingPaths: ['empty'], extraPaths: ['extra.txt'] });
    });

    it('refuses a stream without the deposit first, an unknown deposit, bad paths, gaps, interleaved files and bad chunk digests', async () => {
      const chunk = (path: string, offset: number, data: Buffer, digest = Buffer.alloc(0)) => ({ chunk: { path, offset, data, sha256: digest } });
      let s = await fails([chunk('a', 0, Buffer.from('x'))], grpc.status.INVALID_ARGUMENT);
      expect(s.fieldViolations[0]!.field).to.equal('deposit');
      await fails([{ deposit: 'objects/nope' }, chunk('a', 0, Buffer.from('x'))], grpc.status.NOT_FOUND);
      s = await fails([{ deposit: 'objects/proj-1' }, chunk('src/../../etc/passwd', 0, Buffer.from('x'))], grpc.status.INVALID_ARGUMENT);
      expect(s.fieldViolations[0]!.field).to.equal('chunk.path');
      s = await fails([{ deposit: 'objects/proj-1' }, chunk('a', 0, Buffer.from('x')), chunk('a', 5, Buffer.from('y'))], grpc.status.OUT_OF_RANGE);
      expect(s.errorInfo?.reason).to.equal('CHUNK_NOT_CONTIGUOUS');
      s = await fails([{ deposit: 'objects/proj-1' }, chunk('a', 0, Buffer.from('x')), chunk('b', 0, Buffer.from('y')), chunk('a', 1, Buffer.from('z'))], grpc.status.INVALID_ARGUMENT);
      expect(s.fieldViolations[0]!.description).to.match(/already sent/);
      s = await fails([{ deposit: 'objects/proj-1' }, chunk('a', 0, Buffer.from('x'), sha(Buffer.from('other')))], grpc.status.INVALID_ARGUMENT);
      expect(s.fieldViolations[0]!.field).to.equal('chunk.sha256');
      s = await fails([{ deposit: 'objects/proj-1' }, chunk('a', 0, Buffer.from('x')), { deposit: 'objects/proj-1' }], grpc.status.INVALID_ARGUMENT);
      expect(s.fieldViolations[0]!.field).to.equal('deposit');
      await fails([{ deposit: 'objects/proj-1' }, chunk('big', 0, Buffer.alloc(LIMIT + 1))], grpc.status.RESOURCE_EXHAUSTED);
    });
  });

  describe('bad input: a clear status, nothing stored', () => {
    const files = [{ path: 'a.c', data: Buffer.from('int a;\n') }];
    const nothingStored = async (uploadId: string, blobs: number) => {
      await callFails(bind(client, 'getUploadStatus'), { uploadId }, grpc.status.NOT_FOUND);
      expect(blobsIn().length).to.equal(blobs);
      expect(stagedIn()).to.not.include(uploadId);
    };

    it('a chunk past the declared size is OUT_OF_RANGE', async () => {
      const blobs = blobsIn().length;
      const { status: s } = await failsWith([manifestOf('bad-past', files), { chunk: { path: 'a.c', offset: 0, data: Buffer.from('int a; int b;\n'), sha256: Buffer.alloc(0) } }], grpc.status.OUT_OF_RANGE);
      expect(s.errorInfo?.reason).to.equal('CHUNK_PAST_DECLARED_SIZE');
      await nothingStored('bad-past', blobs);
    });

    it('duplicate, "..", absolute and empty paths are INVALID_ARGUMENT with field violations', async () => {
      const blobs = blobsIn().length;
      const m = manifestOf('bad-paths', files);
      m.manifest!.files = [
        { path: 'a.c', sizeBytes: 1 },
        { path: 'a.c', sizeBytes: 1 },
        { path: 'src/../../etc/passwd', sizeBytes: 1 },
        { path: '/etc/passwd', sizeBytes: 1 },
        { path: 'C:/x', sizeBytes: 1 },
        { path: '', sizeBytes: 1 },
      ];
      const { status: s } = await failsWith([m, { chunk: { path: 'a.c', offset: 0, data: Buffer.from('x'), sha256: Buffer.alloc(0) } }], grpc.status.INVALID_ARGUMENT);
      expect(s.fieldViolations.map((v) => v.field)).to.deep.equal(['manifest.files[1].path', 'manifest.files[2].path', 'manifest.files[3].path', 'manifest.files[4].path', 'manifest.files[5].path']);
      await nothingStored('bad-paths', blobs);
    });

    it('a file over the configured limit is RESOURCE_EXHAUSTED', async () => {
      const blobs = blobsIn().length;
      const m = manifestOf('bad-big', files);
      m.manifest!.files = [{ path: 'big.bin', sizeBytes: LIMIT + 1 }];
      const { status: s } = await failsWith([m], grpc.status.RESOURCE_EXHAUSTED);
      expect(s.errorInfo?.reason).to.equal('FILE_TOO_LARGE');
      await nothingStored('bad-big', blobs);
    });

    it('a chunk for an undeclared path, a chunk before the manifest, a bad chunk digest are INVALID_ARGUMENT', async () => {
      const blobs = blobsIn().length;
      const chunk = { path: 'b.c', offset: 0, data: Buffer.from('x'), sha256: Buffer.alloc(0) };
      let r = await failsWith([manifestOf('bad-undeclared', files), { chunk }], grpc.status.INVALID_ARGUMENT);
      expect(r.status.fieldViolations[0]!.field).to.equal('chunk.path');
      r = await failsWith([{ chunk }, manifestOf('bad-order', files)], grpc.status.INVALID_ARGUMENT);
      expect(r.status.fieldViolations[0]!.field).to.equal('manifest');
      r = await failsWith([manifestOf('bad-digest', files), { chunk: { path: 'a.c', offset: 0, data: files[0]!.data, sha256: sha(Buffer.from('other')) } }], grpc.status.INVALID_ARGUMENT);
      expect(r.status.fieldViolations[0]!.field).to.equal('chunk.sha256');
      for (const id of ['bad-undeclared', 'bad-order', 'bad-digest']) await nothingStored(id, blobs);
    });

    it('a resumed upload with a different manifest is FAILED_PRECONDITION', async () => {
      const r = await failsWith([manifestOf('proj-gap', files)], grpc.status.FAILED_PRECONDITION);
      expect(r.status.errorInfo?.reason).to.equal('MANIFEST_CHANGED');
    });
  });
});
