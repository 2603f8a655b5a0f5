// One file past 1 GiB through UploadObject and VerifyDeposit, end to end: the length past 2^32 bits in the file's hash,
// generated as it is sent (nothing big on disk but the blob store, removed after). Runs where RUQSAT_LARGE_TESTS=1:
// .ci/run sets it for its embedded run only, so CI runs it once.
import { expect } from 'chai';
import { createHash, createHmac } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DepositObject_State, DepositServiceClient, ObjectType } from '../../gen/ruqsat/deposit/v1/deposit.ts';
import { merkleRoot } from '../../services/deposit/domain/merkle.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { bind, call } from '../helpers/grpc.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';
import { openUpload } from './helpers.ts';

const MIB = 1024 * 1024;
const SIZE = 1126 * MIB; // 1.1 GiB: past 2^30 bytes (2^33 bits), not a whole number of chunks
const CHUNK = 2 * MIB;
const PATH = 'image/system.img';

/** Chunk `i` of the file: a pseudo-random block keyed by its index, so no two chunks are alike. */
const block = (i: number, size: number) => {
  const out = Buffer.allocUnsafe(size);
  for (let off = 0; off < size; off += 32) createHmac('sha256', 'ruqsat-large').update(`${i}:${off}`).digest().copy(out, off);
  return out;
};

describe('deposit: one file over 1 GiB, uploaded and verified', function () {
  this.timeout(600_000);
  let dir: string;
  let t: TestMesh;
  let client: DepositServiceClient;

  before(async function () {
    if (process.env.RUQSAT_LARGE_TESTS !== '1') this.skip();
    dir = mkdtempSync(join(tmpdir(), 'ruqsat-deposit-large-'));
    t = await startTestMesh(['deposit'], { DEPOSIT_BLOB_DIR: join(dir, 'blobs'), DEPOSIT_GC_INTERVAL_S: '0' });
    client = clientFor(DepositServiceClient, t.address('deposit'));
  });
  after(async () => {
    await t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`streams ${SIZE / MIB} MiB in ${CHUNK / MIB} MiB chunks; the stored blob and VerifyDeposit agree with the sender's hash`, async () => {
    // One pattern block reused with its index stamped in, so generating costs little beside the upload itself.
    const pattern = block(0, CHUNK);
    const hasher = createHash('sha256');
    const { call: stream, done } = openUpload(client, 600_000);
    const started = Date.now();
    stream.write({ manifest: { uploadId: 'large-1', objectType: ObjectType.OBJECT_TYPE_SOFTWARE_PRODUCT, title: 'Large image', version: '1', files: [{ path: PATH, sizeBytes: SIZE }] } });
    for (let off = 0, i = 0; off < SIZE; off += CHUNK, i++) {
      const data = Buffer.from(pattern.subarray(0, Math.min(CHUNK, SIZE - off)));
      data.writeUInt32BE(i, 0);
      hasher.update(data);
      if (!stream.write({ chunk: { path: PATH, offset: off, data, sha256: Buffer.alloc(0) } })) await new Promise((r) => stream.once('drain', r));
    }
    stream.end();
    const { object } = await done;
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(`      ${SIZE / MIB} MiB ingested in ${seconds.toFixed(1)} s (${(SIZE / MIB / seconds).toFixed(1)} MiB/s)\n`);
    const digest = hasher.digest();

    expect(object!.state).to.equal(DepositObject_State.STATE_STORED);
    expect(object!.check).to.include({ complete: true });
    expect(object!.totalSizeBytes).to.equal(SIZE);
    expect(Buffer.from(object!.files[0]!.sha256).toString('hex')).to.equal(digest.toString('hex'));
    expect(Buffer.from(object!.merkleRoot).equals(merkleRoot([{ path: PATH, size: SIZE, sha256: digest }]))).to.equal(true);

    // The bytes on disk are the bytes sent: the blob under its hash, read back and hashed here.
    const hex = digest.toString('hex');
    const blob = join(dir, 'blobs', 'sha256', hex.slice(0, 2), hex);
    expect(statSync(blob).size).to.equal(SIZE);
    const onDisk = createHash('sha256');
    for await (const piece of createReadStream(blob, { highWaterMark: 4 * MIB })) onDisk.update(piece as Buffer);
    expect(onDisk.digest('hex')).to.equal(hex);

    const verify = async (sha256: Buffer) => (await call(bind(client, 'verifyDeposit'), { deposit: 'objects/large-1', files: [{ path: PATH, sha256, sizeBytes: SIZE }] }, undefined, 60_000)).response;
    expect(await verify(digest)).to.include({ matches: true, object: 'objects/large-1' });
    const flipped = Buffer.from(digest);
    flipped[31] ^= 1;
    expect((await verify(flipped)).differingPaths).to.deep.equal([PATH]);
  });
});
