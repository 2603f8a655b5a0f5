// The blob store's collector against a running deposit service: what it removes, what it never removes, and
// an upload of the same content racing the removal of a blob, in both orders.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DepositObject_State, DepositServiceClient } from '../../gen/ruqsat/deposit/v1/deposit.ts';
import { DiskBlobStore } from '../../services/deposit/blobs.ts';
import { BlobCollector } from '../../services/deposit/collector.ts';
import { DepositStore } from '../../services/deposit/store.ts';
import { ServiceDb } from '../../services/kit/db.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { createLogger } from '../../services/kit/logger.ts';
import { bind, call, callFails } from '../helpers/grpc.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';
import { chunksOf, manifestOf, project, sha, upload, verifyFiles, verifyMessages, type ProjectFile } from './helpers.ts';

const HOUR = 3600_000;

describe('deposit blob collector', function () {
  this.timeout(60_000);
  let dir: string;
  let t: TestMesh;
  let client: DepositServiceClient;
  let store: DepositStore;

  const blobDir = () => join(dir, 'blobs');
  const blobPath = (data: Buffer) => join(blobDir(), 'sha256', sha(data).toString('hex').slice(0, 2), sha(data).toString('hex'));
  const blobHolds = (data: Buffer) => existsSync(blobPath(data)) && readFileSync(blobPath(data)).equals(data);
  const collector = (blobs = new DiskBlobStore(blobDir())) => new BlobCollector(store, blobs, HOUR, () => false, createLogger('silent'));
  // Two hours on, everything written now is past the one-hour retention.
  const later = () => new Date(Date.now() + 2 * HOUR);
  /** A blob as a crash could leave it: content under its hash that no file names. */
  const orphanBlob = (data: Buffer) => {
    mkdirSync(dirname(blobPath(data)), { recursive: true });
    writeFileSync(blobPath(data), data);
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ruqsat-deposit-gc-'));
    t = await startTestMesh(['deposit'], { DEPOSIT_BLOB_DIR: blobDir(), DEPOSIT_ACK_BYTES: String(64 * 1024), DEPOSIT_GC_INTERVAL_S: '0', PGLITE_DIR: join(dir, 'pglite') });
    client = clientFor(DepositServiceClient, t.address('deposit'));
    store = new DepositStore(new ServiceDb(t.mesh.database.knex, t.config.schemaPrefix + 'deposit'));
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('expires an idle upload (rows, staged files, the blobs only it named) and never a stored object or what it names', async () => {
    const kept = project(21);
    const stored = await upload(client, [manifestOf('gc-kept', kept), ...chunksOf(kept)]);
    expect(stored.object!.state).to.equal(DepositObject_State.STATE_STORED);

    const own = Buffer.from('only the idle upload has this\n');
    const shared = kept[1]!.data; // also in the stored object
    const partial = Buffer.alloc(200_000, 0x5a);
    const idle: ProjectFile[] = [{ path: 'own.txt', data: own }, { path: 'shared.c', data: shared }, { path: 'partial.bin', data: partial }];
    await upload(client, [manifestOf('gc-idle', idle), ...chunksOf(idle).slice(0, -2)]);
    expect((await call(bind(client, 'getUploadStatus'), { uploadId: 'gc-idle' })).response.state).to.equal(DepositObject_State.STATE_UPLOADING);
    expect(blobHolds(own)).to.equal(true);
    expect(existsSync(join(blobDir(), 'staging', 'gc-idle'))).to.equal(true);
    // Staged bytes with no upload row (refused before its first acknowledgement), and a blob nothing names.
    mkdirSync(join(blobDir(), 'staging', 'gc-orphan'), { recursive: true });
    writeFileSync(join(blobDir(), 'staging', 'gc-orphan', '0'), 'x');
    const stray = Buffer.from('a blob left by a crash\n');
    orphanBlob(stray);

    // Within the retention nothing goes.
    expect(await collector().sweep()).to.deep.equal({ uploads: [], objects: [], staged: [], blobs: [] });

    const swept = await collector().sweep(later());
    expect(swept.uploads).to.deep.equal(['gc-idle']);
    expect(swept.staged).to.deep.equal(['gc-orphan']);
    expect(swept.blobs.sort()).to.deep.equal([sha(own).toString('hex'), sha(stray).toString('hex')].sort());
    await callFails(bind(client, 'getUploadStatus'), { uploadId: 'gc-idle' }, grpc.status.NOT_FOUND);
    expect(readdirSync(join(blobDir(), 'staging'))).to.deep.equal([]);
    for (const f of kept) expect(blobHolds(f.data), f.path).to.equal(true);
    expect((await verifyFiles(client, verifyMessages('objects/gc-kept', kept))).matches).to.equal(true);

    // The expired upload's id is free again: a new stream starts it afresh.
    const again = await upload(client, [manifestOf('gc-idle', idle), ...chunksOf(idle)]);
    expect(again.object!.state).to.equal(DepositObject_State.STATE_STORED);
    expect(blobHolds(own)).to.equal(true);
  });

  for (const order of ['before', 'after'] as const) {
    it(`an upload storing a blob's content ${order} the collector hides it keeps the blob`, async () => {
      const content = Buffer.from(`content stored while it is being collected (${order})\n`.repeat(5000));
      orphanBlob(content);
      const race = async () => {
        const files = [{ path: 'same.bin', data: content }];
        const { object } = await upload(client, [manifestOf(`gc-race-${order}`, files), ...chunksOf(files)]);
        expect(object!.state).to.equal(DepositObject_State.STATE_STORED);
      };
      // The race made certain: the upload runs to its end just before, or while, the blob is hidden.
      class Racing extends DiskBlobStore {
        override async hideBlob(hex: string, token: string): Promise<boolean> {
          if (hex !== sha(content).toString('hex')) return super.hideBlob(hex, token);
          if (order === 'before') await race();
          const hidden = await super.hideBlob(hex, token);
          if (order === 'after') await race();
          return hidden;
        }
      }
      const swept = await collector(new Racing(blobDir())).sweep(later());
      expect(swept.blobs).to.not.include(sha(content).toString('hex'));
      expect(blobHolds(content)).to.equal(true);
      expect(readdirSync(join(blobDir(), 'collecting'))).to.deep.equal([]);
      // And with no upload naming it, the same blob is collected.
      const lone = Buffer.from(`a lone copy (${order})\n`);
      orphanBlob(lone);
      expect((await collector().sweep(later())).blobs).to.deep.equal([sha(lone).toString('hex')]);
    });
  }

  it('removes a stored object nothing names after the orphan retention, with the blobs only it named', async () => {
    const db = new ServiceDb(t.mesh.database.knex, t.config.schemaPrefix + 'deposit');
    const stored = async (id: string, files: ProjectFile[]) => (await upload(client, [manifestOf(id, files), ...chunksOf(files)])).object!;
    const named = project(31);
    const deposited = project(32);
    const byRoot = project(33);
    const own = Buffer.from('only the orphan has this\n');
    const orphan = [{ path: 'own.txt', data: own }, { path: 'shared.c', data: named[1]!.data }];
    await stored('gc-named', named);
    await stored('gc-deposited', deposited);
    const old = await stored('gc-by-root', byRoot);
    await stored('gc-orphan', orphan);
    // An application names one (whatever became of it), a deposit another, and a deposit registered before objects
    // were linked names the third by its Merkle root only.
    await db.table('applications').insert({
      id: 'gc-app', request_id: 'gc-app', request_hash: 'x', service: 'deposit.software', definition_version: 1, applicant_type: 'individual',
      applicant_identifier: '870601300126', applicant_name: 'Seitkali Aidar', status: 'withdrawn', state: '{}', envelope: Buffer.from('x'), details: JSON.stringify({ object: 'gc-named' }),
    });
    const entry = (id: string, n: number, objectId: string | null, root: Buffer) => ({
      id, deposit_number: `DEP-2026-99999${n}`, object_type: 'program_code', title: 't', version: '1', depositor_type: 'individual', depositor_identifier: '870601300126',
      depositor_name: 'Seitkali Aidar', merkle_root: root, file_count: '5', total_size_bytes: '1', registered_at: new Date(), object_id: objectId,
    });
    await store.insertDeposit(entry('gc-dep-1', 1, 'gc-deposited', Buffer.alloc(32)) as never);
    await store.insertDeposit(entry('gc-dep-2', 2, null, Buffer.from(old.merkleRoot)) as never);

    const orphans = (blobs?: DiskBlobStore) => new BlobCollector(store, blobs ?? new DiskBlobStore(blobDir()), HOUR, () => false, createLogger('silent'), HOUR);
    // Within the retention it stays.
    expect((await orphans().sweep()).objects).to.deep.equal([]);
    const swept = await orphans().sweep(later());
    expect(swept.objects).to.include('gc-orphan');
    for (const id of ['gc-named', 'gc-deposited', 'gc-by-root']) expect(swept.objects, id).to.not.include(id);
    expect(swept.blobs).to.include(sha(own).toString('hex')).and.not.include(sha(named[1]!.data).toString('hex'));
    await callFails(bind(client, 'getUploadStatus'), { uploadId: 'gc-orphan' }, grpc.status.NOT_FOUND);
    expect(blobHolds(own)).to.equal(false);
    // The blob it shared with a named object stays, and every named object still verifies.
    expect(blobHolds(named[1]!.data)).to.equal(true);
    for (const [id, files] of [['gc-named', named], ['gc-deposited', deposited], ['gc-by-root', byRoot]] as const) {
      expect((await verifyFiles(client, verifyMessages(`objects/${id}`, files))).matches, id).to.equal(true);
    }
  });

  it('puts back a blob a stopped collector left hidden, then decides again', async () => {
    const files = project(22);
    await upload(client, [manifestOf('gc-hidden', files), ...chunksOf(files)]);
    const blobs = new DiskBlobStore(blobDir());
    const hex = sha(files[1]!.data).toString('hex');
    expect(await blobs.hideBlob(hex, `${hex}.deadbeef`)).to.equal(true);
    expect(blobHolds(files[1]!.data)).to.equal(false);
    await collector().sweep(later());
    expect(blobHolds(files[1]!.data)).to.equal(true);
    expect(await blobs.listHidden()).to.deep.equal([]);
  });
});
