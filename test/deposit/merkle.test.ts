// The Merkle root's definition pinned by a test vector computed independently with node:crypto.
import { expect } from 'chai';
import { merkleLeaf, merkleRoot } from '../../services/deposit/domain/merkle.ts';
import { sha } from './helpers.ts';

describe('deposit Merkle root', () => {
  const files = [
    { path: 'd', content: Buffer.from('hello\n') },
    { path: 'a.txt', content: Buffer.from('abc') },
    { path: 'b/c.bin', content: Buffer.alloc(0) },
  ].map((f) => ({ path: f.path, size: f.content.length, sha256: sha(f.content) }));

  it('matches the domain test vector (sorted paths, 0x00 leaves, 0x01 nodes, odd node promoted)', () => {
    expect(merkleRoot(files).toString('hex')).to.equal('bca5da6692e2851880ce9a02614b2e4ea4ecd3a26ec8374e4c6bb798b9565f6b');
  });

  it('encodes a leaf as 0x00 || path || 0x00 || u64 BE size || sha256', () => {
    const leaf = Buffer.from(merkleLeaf(files[1]!));
    expect(leaf.subarray(0, 7).toString('latin1')).to.equal('\u0000a.txt\u0000');
    expect(leaf.readBigUInt64BE(7)).to.equal(3n);
    expect(leaf.subarray(15).toString('hex')).to.equal(sha(Buffer.from('abc')).toString('hex'));
  });

  it('is the leaf for one file, SHA-256("") for none, and changes with any path, size or content', () => {
    expect(merkleRoot([files[0]!]).toString('hex')).to.equal(sha(Buffer.from(merkleLeaf(files[0]!))).toString('hex'));
    expect(merkleRoot([]).toString('hex')).to.equal(sha(Buffer.alloc(0)).toString('hex'));
    const root = merkleRoot(files).toString('hex');
    expect(merkleRoot([{ ...files[0]!, path: 'e' }, files[1]!, files[2]!]).toString('hex')).to.not.equal(root);
    expect(merkleRoot([{ ...files[0]!, size: 7 }, files[1]!, files[2]!]).toString('hex')).to.not.equal(root);
    expect(merkleRoot([{ ...files[0]!, sha256: sha(Buffer.from('x')) }, files[1]!, files[2]!]).toString('hex')).to.not.equal(root);
  });
});
