// sendFiles: files from disk through reused message buffers — what arrives is byte for byte the files, a resumed
// send starts at the acknowledged byte, and a file shorter than declared fails the sender instead of sending junk.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DepositObject_State, DepositServiceClient, ObjectType, type UploadObjectRequest, type UploadObjectResponse } from '../../gen/ruqsat/deposit/v1/deposit.ts';
import { merkleRoot } from '../../services/deposit/domain/merkle.ts';
import { sendFiles, type SourceFile } from '../../services/deposit/send-files.ts';
import { FastDepositServiceClient } from '../../services/deposit/wire.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { bind, call } from '../helpers/grpc.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';
import { sha } from './helpers.ts';

describe('deposit uploader (sendFiles)', function () {
  this.timeout(60_000);
  let dir: string;
  let t: TestMesh;
  let client: DepositServiceClient;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ruqsat-uploader-'));
    t = await startTestMesh(['deposit'], { DEPOSIT_BLOB_DIR: join(dir, 'blobs'), DEPOSIT_ACK_BYTES: String(64 * 1024) });
    client = clientFor(FastDepositServiceClient, t.address('deposit'));
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const files = (name: string, sizes: number[]): Array<SourceFile & { data: Buffer }> =>
    sizes.map((n, i) => {
      const data = Buffer.from(Array.from({ length: n }, (_, k) => (k * 13 + i * 101 + (k >> 9)) & 0xff));
      const file = join(dir, `${name}-${i}.bin`);
      writeFileSync(file, data);
      return { path: `dist/${name}/part-${i}.bin`, file, size: n, data };
    });

  const send = (uploadId: string, fs: SourceFile[], chunk: number) =>
    new Promise<UploadObjectResponse>((resolve, reject) => {
      const c = client.uploadObject(new grpc.Metadata(), { deadline: Date.now() + 30_000 }, (err, res) => (err ? reject(err) : resolve(res!)));
      c.write({ manifest: { uploadId, objectType: ObjectType.OBJECT_TYPE_SOFTWARE_PRODUCT, title: 'Uploader test', version: '1', files: fs.map((f) => ({ path: f.path, sizeBytes: f.size })) } } satisfies UploadObjectRequest);
      sendFiles(c, fs, chunk).then(() => c.end(), (err: unknown) => {
        c.cancel();
        reject(err);
      });
    });

  it('sends files of several sizes (empty, under, at and over the chunk size) byte for byte', async () => {
    const fs = files('whole', [0, 1, 4096, 65_536, 200_003]);
    const { object } = await send('uploader-whole', fs, 65_536);
    expect(object!.state).to.equal(DepositObject_State.STATE_STORED);
    const root = merkleRoot(fs.map((f) => ({ path: f.path, size: f.size, sha256: sha(f.data) })));
    expect(Buffer.from(object!.merkleRoot).toString('hex')).to.equal(root.toString('hex'));
  });

  it('a resumed send starts at the acknowledged byte of each file', async () => {
    const fs = files('resume', [150_000, 90_000]);
    // The first stream sends the first file only up to a byte the service then acknowledges.
    const first = fs.map((f, i) => ({ ...f, size: i === 0 ? 100_000 : 0 }));
    await new Promise<void>((resolve, reject) => {
      const c = client.uploadObject(new grpc.Metadata(), { deadline: Date.now() + 30_000 }, () => resolve());
      c.write({ manifest: { uploadId: 'uploader-resume', objectType: ObjectType.OBJECT_TYPE_SOFTWARE_PRODUCT, title: 'Uploader test', version: '1', files: fs.map((f) => ({ path: f.path, sizeBytes: f.size })) } } satisfies UploadObjectRequest);
      sendFiles(c, first, 32_768).then(() => c.end(), reject);
    });
    const status = (await call(bind(client, 'getUploadStatus'), { uploadId: 'uploader-resume' })).response;
    const acked = Object.fromEntries(status.files.map((f) => [f.path, f.receivedBytes]));
    expect(acked[fs[0]!.path]).to.equal(100_000);
    const { object } = await send('uploader-resume', fs.map((f) => ({ ...f, from: acked[f.path] })), 32_768);
    expect(object!.state).to.equal(DepositObject_State.STATE_STORED);
    expect(Buffer.from(object!.merkleRoot).toString('hex')).to.equal(merkleRoot(fs.map((f) => ({ path: f.path, size: f.size, sha256: sha(f.data) }))).toString('hex'));
  });

  it('a file shorter than declared fails the sender, and the service stores no object', async () => {
    const [f] = files('short', [100_000]);
    truncateSync(f!.file, 50_000);
    const err = await send('uploader-short', [f!], 65_536).then(() => undefined, (e: Error) => e);
    expect(err?.message).to.match(/shorter than its declared 100000 bytes/);
    // What was sent before the sender noticed may be acknowledged, but the object is not stored.
    const status = await call(bind(client, 'getUploadStatus'), { uploadId: 'uploader-short' }).then((r) => r.response, () => undefined);
    if (status) expect(status.state).to.not.equal(DepositObject_State.STATE_STORED);
  });
});
