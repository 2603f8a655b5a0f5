// Revocation index: per-issuer hash tables in the core's linear memory, built once per CRL, so a lookup
// costs the same for ten entries or a million. A delta CRL gets its own small table over its base.
import { core, scratch, mem } from './wasm.ts';
import { scanEntries, type Crl } from './crl.ts';
import { hex } from './hash.ts';

export interface Revocation {
  revocationDate: number;
  reason?: number;
}

/** One CRL's revoked serials, held in core memory until dispose(). */
export class RevocationTable {
  private handle: number;
  readonly count: number;

  /** expected: the entry count when known (Crl.revokedCount) sizes the table once, without rehashing. */
  constructor(revokedDer: Uint8Array, expected?: number) {
    const h = core.tblNew(Math.max(16, expected ?? Math.floor(revokedDer.length / 24)));
    try {
      this.count = scanEntries(revokedDer, h, false).count;
    } catch (err) {
      core.tblFree(h);
      throw err;
    }
    this.handle = h;
  }

  get(serial: Uint8Array): Revocation | undefined {
    if (!this.handle) throw new Error('revocation table disposed');
    const out = scratch(16 + serial.length);
    const m = mem();
    m.set(serial, out + 16);
    if (!core.tblGet(this.handle, out + 16, serial.length, out)) return undefined;
    // out is 16-aligned (core allocations are), so typed views over it need no DataView.
    const revocationDate = new Float64Array(m.buffer, out, 1)[0];
    const reason = new Int32Array(m.buffer, out + 8, 1)[0];
    return reason >= 0 ? { revocationDate, reason } : { revocationDate };
  }

  /** Bytes the hash table occupies in core memory. */
  get bytes(): number {
    return this.handle ? core.tblBytes(this.handle) : 0;
  }

  dispose(): void {
    if (this.handle) core.tblFree(this.handle);
    this.handle = 0;
  }
}

export interface IndexedCrl {
  crl: Crl;
  table: RevocationTable;
}

/** A CRL scope: one issuer (name + key id) with its newest complete CRL and newest delta. */
export interface CrlScope {
  issuerKey: string;
  keyId: string;
  full?: IndexedCrl;
  delta?: IndexedCrl;
}

function newer(a: Crl, b: Crl): boolean {
  if (a.crlNumber !== undefined && b.crlNumber !== undefined) return a.crlNumber > b.crlNumber;
  return a.thisUpdate > b.thisUpdate;
}

export class RevocationIndex {
  private readonly scopes = new Map<string, CrlScope>();
  /** Bumped on every change so verification caches know to drop what they hold. */
  version = 0;

  /** Adds a complete or delta CRL (parsed, not yet signature-checked: that happens against the path). */
  add(crl: Crl): void {
    const keyId = crl.authorityKeyId?.keyId ? hex(crl.authorityKeyId.keyId) : '';
    const id = `${crl.issuer.key}|${keyId}`;
    let scope = this.scopes.get(id);
    if (!scope) this.scopes.set(id, (scope = { issuerKey: crl.issuer.key, keyId }));
    const slot = crl.deltaBase === undefined ? 'full' : 'delta';
    const current = scope[slot];
    if (current && !newer(crl, current.crl)) return;
    const table = new RevocationTable(crl.revokedDer, crl.revokedCount);
    current?.table.dispose();
    scope[slot] = { crl, table };
    this.version++;
  }

  /** Scopes for certificates issued under issuerKey, those whose key id matches first. */
  scopesFor(issuerKey: string, issuerSki: Uint8Array | undefined): CrlScope[] {
    const ski = issuerSki ? hex(issuerSki) : '';
    const out: CrlScope[] = [];
    for (const s of this.scopes.values()) if (s.issuerKey === issuerKey) out.push(s);
    return out.sort((a, b) => Number(b.keyId === ski) - Number(a.keyId === ski));
  }

  clear(): void {
    for (const s of this.scopes.values()) {
      s.full?.table.dispose();
      s.delta?.table.dispose();
    }
    this.scopes.clear();
    this.version++;
  }
}

