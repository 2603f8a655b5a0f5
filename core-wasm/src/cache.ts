// Verification cache: a signature check keyed by SHA-256(certificate DER) + SHA-256(issuer SPKI), so an
// intermediate shared by many chains is verified once. Bounded; cleared when anchors or CRLs change.
import { sha256, hex } from './hash.ts';
import type { SignatureResult } from './signature.ts';

const digests = new WeakMap<Uint8Array, string>();

/** Hex SHA-256 of a byte array, remembered per array instance (parsed certificates are reused). */
export function fingerprint(bytes: Uint8Array): string {
  let f = digests.get(bytes);
  if (f === undefined) {
    f = hex(sha256(bytes));
    digests.set(bytes, f);
  }
  return f;
}

export class VerificationCache {
  private readonly entries = new Map<string, SignatureResult>();
  hits = 0;
  misses = 0;

  constructor(readonly maxEntries = 100_000) {}

  get size(): number {
    return this.entries.size;
  }

  /** Runs check() unless the (signed object, issuer key) pair was seen before. */
  verify(signed: Uint8Array, issuerSpki: Uint8Array, check: () => SignatureResult): SignatureResult {
    const key = fingerprint(signed) + fingerprint(issuerSpki);
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.hits++;
      return hit;
    }
    this.misses++;
    const result = check();
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, result);
    return result;
  }

  clear(): void {
    this.entries.clear();
  }
}
