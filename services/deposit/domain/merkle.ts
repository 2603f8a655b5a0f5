// The Merkle root that identifies a deposit object's content; every hash is SHA-256 in the WASM core.
//
// Definition (version 1):
//   files  sorted by path, comparing the bytes of the UTF-8 paths; paths are unique and hold no
//          control characters (so the 0x00 separator below is unambiguous).
//   leaf   = SHA-256( 0x00 || UTF-8(path) || 0x00 || size as unsigned 64-bit big-endian || SHA-256(content) )
//   node   = SHA-256( 0x01 || left || right )
//   levels pair nodes left to right; an odd last node is promoted unchanged to the next level.
//   root   = the single node left; for one file, its leaf; for no files, SHA-256 of the empty string.
// The 0x00/0x01 prefixes keep a leaf from ever being read as a node (second-preimage safety).
import { sha256, sha256Batch } from '../../../core-wasm/src/index.ts';
import { byPath } from './manifest.ts';

export interface FileEntry {
  path: string;
  size: number;
  sha256: Uint8Array;
}

export function merkleLeaf(f: FileEntry): Uint8Array {
  const path = Buffer.from(f.path, 'utf8');
  const out = Buffer.alloc(1 + path.length + 1 + 8 + 32);
  out[0] = 0x00;
  path.copy(out, 1);
  out[1 + path.length] = 0x00;
  out.writeBigUInt64BE(BigInt(f.size), path.length + 2);
  out.set(f.sha256, path.length + 10);
  return out;
}

/** The root over `files` in any order (they are sorted here). */
export function merkleRoot(files: readonly FileEntry[]): Buffer {
  if (files.length === 0) return Buffer.from(sha256(new Uint8Array(0)));
  let level = sha256Batch([...files].sort(byPath).map(merkleLeaf));
  while (level.length > 1) {
    const pairs: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) {
      const node = new Uint8Array(65);
      node[0] = 0x01;
      node.set(level[i]!, 1);
      node.set(level[i + 1]!, 33);
      pairs.push(node);
    }
    const next = sha256Batch(pairs);
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return Buffer.from(level[0]!);
}
